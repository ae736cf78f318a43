import Foundation
import Testing
import TestSupport

/// `peakplan config show` / `config check` on a real workspace (the store fixture's configuration).
@Suite struct ConfigCLITests {
    @Test("config show prints a configuration that shows the same again; check passes on it; errors exit 78 with line and key")
    func showAndCheck() throws {
        let ws = NSTemporaryDirectory() + "peakplan-config-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: ws, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: ws) }
        let fixture = CLI.root + "/Tests/CLITests/Fixtures/store-v7"
        for f in ["peakplan.toml", "peakplan.sqlite"] { try FileManager.default.copyItem(atPath: fixture + "/" + f, toPath: ws + "/" + f) }
        let show = try CLI.run(["config", "show", "--workspace", ws])
        #expect(show.code == 0, "\(show.err)")
        // Defaults written out, and the stored channels' staffing resolved.
        for line in ["node_limit = 2000", "[[roster.contracts]]", "soft_fallback = true", "aht_seconds = 188", "#   voice (voice): erlang_c;"] {
            #expect(show.out.contains(line), "\(line) missing")
        }
        try show.out.write(toFile: ws + "/peakplan.toml", atomically: true, encoding: .utf8)
        let again = try CLI.run(["config", "show", "--workspace", ws])
        #expect(again.code == 0 && again.out == show.out)
        let check = try CLI.run(["config", "check", "--workspace", ws])
        #expect(check.code == 0 && check.out.contains(": ok ("), "\(check.err)")
        try (show.out + "\n[routing]\nweights = 1\n").write(toFile: ws + "/peakplan.toml", atomically: true, encoding: .utf8)
        let bad = try CLI.run(["config", "check", "--workspace", ws])
        #expect(bad.code == 78 && bad.err.contains("key routing.weights") && bad.err.contains("line "), "\(bad.err)")
        let out = ws + "/effective.toml"
        try show.out.write(toFile: ws + "/peakplan.toml", atomically: true, encoding: .utf8)
        #expect(try CLI.run(["config", "--workspace", ws, "--out", out]).code == 0)
        #expect(try String(contentsOfFile: out, encoding: .utf8) == show.out)
    }
}
