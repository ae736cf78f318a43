import Foundation
import Testing
import TestSupport

@Suite(.serialized) struct BundledDataTests {
    @Test("acceptance: the 6-minute set is 87,600 rows, 6-minute, 365 days, one channel; the per-type set 6 channels at 30 minutes")
    func bundledHistory() throws {
        let ws = try CLI.workspace(extra: ["--weekend", "fri,sat"])
        defer { try? FileManager.default.removeItem(atPath: ws) }
        let a = try CLI.run(["ingest", "--workspace", ws, CLI.voice6])
        #expect(a.code == 0, "\(a.err)")
        #expect(a.err.contains("87,600 rows: 87,600 inserted"))
        let b = try CLI.run(["ingest", "--workspace", ws, "--format", "csv", CLI.types30])
        #expect(b.code == 0, "\(b.err)")
        let json = try CLI.run(["history", "--workspace", ws, "--format", "json"])
        #expect(json.code == 0)
        let parsed = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as! [[String: Any]]
        #expect(parsed.count == 7)
        let voice = parsed[0]
        #expect(voice["channel"] as? String == "voice")
        #expect(voice["rows"] as? Int == 87_600)
        #expect(voice["interval_minutes"] as? Int == 6)
        #expect(voice["days"] as? Int == 365)
        #expect(voice["missing_intervals"] as? Int == 0)
        #expect(voice["total_volume"] as? Double == 445_414.5)
        let types = parsed.dropFirst()
        #expect(types.map { $0["channel"] as! String } == ["ps", "pe", "in", "ne", "nw", "tt"])
        #expect(types.allSatisfy { $0["interval_minutes"] as? Int == 30 && $0["missing_days"] as? Int == 2 })
        // The per-type volumes add up to the source's documented total of offered calls (337,676).
        #expect(types.reduce(0.0) { $0 + ($1["total_volume"] as! Double) } == 337_676)
        try CLI.expectGolden(json.out, "history-bundled.json")
        try CLI.expectGolden(try CLI.run(["history", "--workspace", ws]).out, "history-bundled.txt")

        // Round trip: the export of the 6-minute set is the bundled file, byte for byte.
        let exp = try CLI.run(["history", "export", "--workspace", ws, "--channel", "voice"])
        #expect(exp.code == 0)
        #expect(Data(exp.out.utf8) == CLI.bytes(CLI.voice6))
        // Re-ingesting changes nothing and says so.
        let again = try CLI.run(["ingest", "--workspace", ws, CLI.voice6])
        #expect(again.code == 0 && again.err.contains("nothing changed"))
    }

    @Test func eventsImportAndList() throws {
        let ws = try CLI.workspace(extra: ["--weekend", "fri,sat"])
        defer { try? FileManager.default.removeItem(atPath: ws) }
        let imp = try CLI.run(["events", "import", "--workspace", ws, CLI.root + "/Datasets/anonbank-israel-1999/events-1999.csv"])
        #expect(imp.code == 0, "\(imp.err)")
        let again = try CLI.run(["events", "import", "--workspace", ws, CLI.root + "/Datasets/anonbank-israel-1999/events-1999.csv"])
        #expect(again.out.contains("nothing changed"))
        let list = try CLI.run(["events", "list", "--workspace", ws, "--from", "1999-09-01", "--to", "1999-09-21", "--format", "csv"])
        #expect(list.code == 0)
        try CLI.expectGolden(list.out, "events-sep-1999.csv")
    }
}

@Suite(.serialized) struct BadInputCLITests {
    static let badFiles: [String] = (try? FileManager.default.contentsOfDirectory(atPath: CLI.corpus).filter { $0.hasPrefix("bad-") }.sorted()) ?? []

    @Test("bad input: exit 65, message with file and line, store byte-for-byte unchanged", arguments: badFiles)
    func badFile(_ name: String) throws {
        let ws = try CLI.workspace(zone: "Europe/London")
        defer { try? FileManager.default.removeItem(atPath: ws) }
        let seed = try CLI.run(["ingest", "--workspace", ws, CLI.corpus + "/good-dst-fall-back.csv"])
        #expect(seed.code == 0, "\(seed.err)")
        let store = ws + "/peakplan.sqlite"
        let before = CLI.bytes(store)
        let path = CLI.corpus + "/" + name
        let r = try CLI.run(["ingest", "--workspace", ws, path])
        #expect(r.code == 65, "\(r.err)")
        #expect(r.err.hasPrefix("peakplan: error: \(path)"), "\(r.err)")
        #expect(r.err.contains("Fix: "))
        #expect(r.out.isEmpty)
        #expect(CLI.bytes(store) == before)
        #expect(!FileManager.default.fileExists(atPath: store + "-wal") || CLI.bytes(store + "-wal").isEmpty)
        // The same through standard input.
        let viaStdin = try CLI.run(["ingest", "--workspace", ws, "-"], stdin: CLI.bytes(path))
        #expect(viaStdin.code == 65 && viaStdin.err.contains("<stdin>"), "\(viaStdin.err)")
        #expect(CLI.bytes(store) == before)
    }

    @Test("a bad file among good ones: nothing from any file lands")
    func allOrNothing() throws {
        let ws = try CLI.workspace(zone: "Europe/London")
        defer { try? FileManager.default.removeItem(atPath: ws) }
        let before = CLI.bytes(ws + "/peakplan.sqlite")
        let r = try CLI.run(["ingest", "--workspace", ws, CLI.corpus + "/good-bom-crlf.csv", CLI.corpus + "/bad-volume-negative.csv"])
        #expect(r.code == 65)
        #expect(CLI.bytes(ws + "/peakplan.sqlite") == before)
    }

    @Test("a kill during the write leaves the store exactly as before")
    func killMidWrite() throws {
        let ws = try CLI.workspace(zone: "UTC")
        defer { try? FileManager.default.removeItem(atPath: ws) }
        // 400,000 five-minute rows from 2024-01-01 (UTC), built without date formatters.
        var text = "timestamp,channel,volume\n"
        text.reserveCapacity(400_000 * 32)
        var (y, mo, d) = (2024, 1, 1)
        let dim = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var i = 0
        outer: while true {
            let date = "\(y)-\(two(mo))-\(two(d))T"
            for slot in 0..<288 {
                text += date + two(slot / 12) + ":" + two(slot % 12 * 5) + ":00,voice," + String(i % 97) + "\n"
                i += 1
                if i == 400_000 { break outer }
            }
            d += 1
            if d > dim[mo - 1] - (y % 4 == 0 || mo != 2 ? 0 : 1) { d = 1; mo += 1; if mo > 12 { mo = 1; y += 1 } }
        }
        let file = ws + "/big.csv"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        try "timestamp,channel,volume\n2023-12-31T23:50:00,voice,1\n2023-12-31T23:55:00,voice,2\n".write(toFile: ws + "/small.csv", atomically: true, encoding: .utf8)
        #expect(try CLI.run(["ingest", "--workspace", ws, ws + "/small.csv"]).code == 0)
        let before = try CLI.run(["history", "export", "--workspace", ws]).out
        let beforeBytes = CLI.bytes(ws + "/peakplan.sqlite")

        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLI.binary)
        p.arguments = ["ingest", "--workspace", ws, file]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        var killed = false
        let deadline = Date().addingTimeInterval(120)
        while p.isRunning && Date() < deadline {
            let wal = (try? FileManager.default.attributesOfItem(atPath: ws + "/peakplan.sqlite-wal")[.size] as? Int) ?? 0
            if wal > 64 * 1024 { kill(p.processIdentifier, SIGKILL); killed = true; break }
            usleep(2_000)
        }
        p.waitUntilExit()
        #expect(killed, "the ingest finished before it could be killed mid-write")
        let after = try CLI.run(["history", "export", "--workspace", ws])
        #expect(after.out == before)
        let check = try CLI.run(["history", "--workspace", ws, "--format", "csv"])
        #expect(check.code == 0 && check.out.contains("voice,5,"))
        // After the next clean open and close, the database file itself is as before.
        #expect(CLI.bytes(ws + "/peakplan.sqlite") == beforeBytes)
    }

}

@Suite struct ExitCodeTests {
    @Test func missingWorkspaceIsAConfigError() throws {
        let r = try CLI.run(["history", "--workspace", "/nonexistent/peakplan-ws"])
        #expect(r.code == 78)
        #expect(r.err.contains("peakplan init"))
    }

    @Test func missingInputFile() throws {
        let ws = try CLI.workspace()
        defer { try? FileManager.default.removeItem(atPath: ws) }
        let r = try CLI.run(["ingest", "--workspace", ws, ws + "/nope.csv"])
        #expect(r.code == 66)
        #expect(r.err.contains("nope.csv: cannot open"))
    }

    @Test func badConfigNamesLineAndKey() throws {
        let ws = try CLI.workspace()
        defer { try? FileManager.default.removeItem(atPath: ws) }
        let cfg = ws + "/peakplan.toml"
        var text = try String(contentsOfFile: cfg, encoding: .utf8)
        text = text.replacingOccurrences(of: "interval_minutes = 30", with: "interval_minutes = 45")
        try text.write(toFile: cfg, atomically: true, encoding: .utf8)
        let r = try CLI.run(["history", "--workspace", ws])
        #expect(r.code == 78)
        #expect(r.err.contains("peakplan.toml: line "), "\(r.err)")
        #expect(r.err.contains("key interval_minutes: 45 is not a supported interval"))
    }

    @Test func usageErrors() throws {
        #expect(try CLI.run(["init", "--workspace", "/tmp/x-peakplan", "--time-zone", "Nowhere/Land"]).code == 64)
        #expect(try CLI.run(["init", "--workspace", "/tmp/x-peakplan", "--interval", "7"]).code == 64)
        let ws = try CLI.workspace()
        defer { try? FileManager.default.removeItem(atPath: ws) }
        let again = try CLI.run(["init", "--workspace", ws])
        #expect(again.code == 64 && again.err.contains("already exists"))
    }

    @Test func outFileIsWrittenAtomically() throws {
        let ws = try CLI.workspace(zone: "Europe/London")
        defer { try? FileManager.default.removeItem(atPath: ws) }
        #expect(try CLI.run(["ingest", "--workspace", ws, CLI.corpus + "/good-utf8-chinese.csv"]).code == 0)
        let out = ws + "/export.csv"
        let r = try CLI.run(["history", "export", "--workspace", ws, "--out", out])
        #expect(r.code == 0 && r.out.isEmpty)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.hasPrefix("timestamp,channel,volume,aht_seconds,abandoned\n2026-01-05T08:00:00,语音,10,180,1\n"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: ws).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
        // An output folder that does not exist: exit 73 and no file.
        let bad = try CLI.run(["history", "export", "--workspace", ws, "--out", ws + "/no/such/dir/x.csv"])
        #expect(bad.code == 73)
    }
}
