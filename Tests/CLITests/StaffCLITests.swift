import Foundation
import Testing
import TestSupport

/// `peakplan staff` end to end on the bundled per-type data: init, ingest, forecast, staff.
@Suite(.serialized) struct StaffCLITests {
    static let columns = "interval_start,channel,volume,aht_seconds,agents,agents_fractional,scheduled,service_level,asa_seconds,occupancy,prob_abandon"
    static let channels = ["ps", "pe", "in", "ne", "nw", "tt"]

    /// A workspace with the 6 per-type channels and a stored 7-day forecast; `config` is appended to peakplan.toml.
    static func forecastWorkspace(config: String = "") throws -> String {
        let ws = try CLI.workspace(extra: ["--weekend", "fri,sat"])
        let ingest = try CLI.run(["ingest", "--workspace", ws, CLI.types30])
        precondition(ingest.code == 0, ingest.err)
        let f = try CLI.run(["forecast", "--workspace", ws, "--horizon", "7d", "--format", "csv"])
        precondition(f.code == 0, f.err)
        if !config.isEmpty { try appendConfig(ws, config) }
        return ws
    }

    static func appendConfig(_ ws: String, _ text: String) throws {
        let path = ws + "/peakplan.toml"
        let old = try String(contentsOfFile: path, encoding: .utf8)
        try (old + "\n" + text + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Lines of the config file, to find the line an error must name.
    static func line(of fragment: String, in ws: String) throws -> Int {
        let lines = try String(contentsOfFile: ws + "/peakplan.toml", encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        return (lines.firstIndex { $0.contains(fragment) } ?? -1) + 1
    }

    struct Row {
        var start, channel: String
        var volume, aht: Double?
        var agents: Int
        var fractional, scheduled: Double
        var sl, asa, occupancy, abandon: Double?
    }

    static func parse(_ csv: String) -> [Row] {
        csv.split(separator: "\n").dropFirst().map { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return Row(start: f[0], channel: f[1], volume: Double(f[2]), aht: Double(f[3]), agents: Int(f[4])!, fractional: Double(f[5])!,
                       scheduled: Double(f[6])!, sl: Double(f[7]), asa: Double(f[8]), occupancy: Double(f[9]), abandon: Double(f[10]))
        }
    }

    static let ws: String = try! forecastWorkspace()

    @Test("staff CSV: one row per channel and forecast interval, every target met, no NaN, summaries on stderr")
    func requirementTable() throws {
        let r = try CLI.run(["staff", "--workspace", Self.ws, "--format", "csv"])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.out.hasPrefix(Self.columns + "\n"))
        #expect(!r.out.lowercased().contains("nan") && !r.out.lowercased().contains("inf"))
        let rows = Self.parse(r.out)
        #expect(rows.count == 6 * 7 * 48)
        #expect(rows.map(\.channel).reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } } == Self.channels)
        #expect(rows.first?.start == "1999-11-01T00:00:00" && rows.last?.start == "1999-11-07T23:30:00")
        for row in rows {
            guard let v = row.volume else { Issue.record("no volume: \(row)"); continue }
            #expect(v >= 0 && row.agents >= 0)
            #expect(row.fractional <= Double(row.agents) + 1e-3 && (row.agents == 0 || row.fractional >= Double(row.agents - 1)), "\(row)")
            // [service] shrinkage 0.3 is the default planned shrinkage.
            #expect(abs(row.scheduled - Double(row.agents) / 0.7) < 0.006, "\(row)")
            // Erlang C, default targets: 80% within 20 s, occupancy <= 85%.
            #expect((row.sl ?? 0) >= 0.8 - 5e-5 && (row.occupancy ?? 1) <= 0.85 + 5e-5, "\(row)")
            #expect(row.asa != nil && row.abandon == nil)
            // Volume prints with 2 decimals: a mean of 0.003 prints 0.00 and still needs an agent on an open line;
            // only a closed interval (no requirement at all) has none.
            if v > 0 { #expect(row.agents >= 1 && row.aht != nil) }
            if row.fractional == 0 { #expect(row.agents == 0, "\(row)") } else { #expect(row.agents >= 1, "\(row)") }
        }
        for c in Self.channels {
            #expect(r.err.contains("peakplan: staff: \(c): erlang_c, mean forecast, 336 30-minute intervals from 1999-11-01T00:00: "), "\(r.err)")
        }
        #expect(r.err.contains("productive agent-hours (continuous "))
        // More volume never means fewer agents, within a channel, among intervals with about the same handle time.
        let ps = rows.filter { $0.channel == "ps" && ($0.volume ?? 0) > 0 }
        for a in ps { for b in ps where abs((a.aht ?? 0) - (b.aht ?? 0)) < 0.5 && (b.volume ?? 0) > (a.volume ?? 0) && b.agents < a.agents {
            Issue.record("more volume, fewer agents: \(a) vs \(b)")
        } }
        // The busy weekday daytime needs several PS agents; the night one.
        #expect((rows.filter { $0.channel == "ps" }.map(\.agents).max() ?? 0) >= 5)
        #expect(rows.first { $0.channel == "ps" && $0.start == "1999-11-01T03:00:00" }.map { $0.agents <= 1 } ?? false)
    }

    @Test("JSON has the documented keys; --quantile p90 never staffs fewer agents than the mean")
    func jsonAndQuantile() throws {
        let mean = try CLI.run(["staff", "--workspace", Self.ws, "--channel", "ps", "--format", "json", "--no-store"])
        #expect(mean.code == 0, "\(mean.err)")
        let objs = try JSONSerialization.jsonObject(with: Data(mean.out.utf8)) as! [[String: Any]]
        #expect(objs.count == 336)
        #expect(Set(objs[0].keys) == Set(Self.columns.split(separator: ",").map(String.init)))
        #expect(objs.allSatisfy { $0["prob_abandon"] is NSNull && $0["agents"] is Int })
        let p90 = try CLI.run(["staff", "--workspace", Self.ws, "--channel", "ps", "--quantile", "p90", "--format", "csv", "--no-store"])
        #expect(p90.code == 0 && p90.err.contains("ps: erlang_c, p90 forecast"), "\(p90.err)")
        let p975 = try CLI.run(["staff", "--workspace", Self.ws, "--channel", "ps", "--quantile", "p97.5", "--format", "csv", "--no-store"])
        let m = Self.parse(try CLI.run(["staff", "--workspace", Self.ws, "--channel", "ps", "--format", "csv", "--no-store"]).out)
        let h = Self.parse(p90.out), hh = Self.parse(p975.out)
        #expect(m.count == h.count && h.count == hh.count)
        for k in m.indices {
            #expect(h[k].volume! >= m[k].volume! - 1e-9 || m[k].volume! == 0)
            #expect(hh[k].agents >= h[k].agents && h[k].agents >= m[k].agents || m[k].volume! > h[k].volume!, "\(m[k]) \(h[k]) \(hh[k])")
        }
        #expect(h.reduce(0) { $0 + $1.agents } > m.reduce(0) { $0 + $1.agents })
        #expect(try CLI.run(["staff", "--workspace", Self.ws, "--quantile", "p80"]).code == 64)
    }

    @Test("requirements are stored for scheduling (migration 4)")
    func stored() throws {
        let ws = try Self.forecastWorkspace()
        defer { try? FileManager.default.removeItem(atPath: ws) }
        #expect(try CLI.run(["staff", "--workspace", ws, "--channel", "ne", "--channel", "tt"]).code == 0)
        let sqlite = "/usr/bin/sqlite3"
        guard FileManager.default.isExecutableFile(atPath: sqlite) else { return }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: sqlite)
        p.arguments = [ws + "/peakplan.sqlite", "SELECT r.channel, r.model, r.quantile, r.source, COUNT(*), SUM(q.agents >= 0) FROM staffing_runs r JOIN staffing_requirements q ON q.run_id = r.id GROUP BY r.id ORDER BY r.id"]
        let o = Pipe()
        p.standardOutput = o
        try p.run()
        let out = String(decoding: o.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(out == "ne|erlang_c|mean|forecast|336|336\ntt|erlang_c|mean|forecast|336|336\n")
    }

    @Test("a bad target is a configuration error naming line and key (exit 78)", arguments: [
        ("[service]\nservice_level = 1.5", "service_level = 1.5", "key service.service_level: 1.5 must be in (0, 1]"),
        ("[staffing]\npatience_seconds = -30", "patience_seconds = -30", "key staffing.patience_seconds: -30 must be >= 0"),
        ("[staffing]\nquantile = \"p80\"", "quantile = \"p80\"", "key staffing.quantile: \"p80\" is not a forecast quantile"),
        ("[staffing]\nmax_abandon = 0.05", "max_abandon = 0.05", "key staffing.max_abandon: channel ps: an abandonment target needs"),
    ])
    func badTarget(_ config: String, _ lineText: String, _ fragment: String) throws {
        let ws = try CLI.workspace(extra: ["--weekend", "fri,sat"])
        defer { try? FileManager.default.removeItem(atPath: ws) }
        #expect(try CLI.run(["ingest", "--workspace", ws, CLI.types30]).code == 0)
        #expect(try CLI.run(["forecast", "--workspace", ws, "--channel", "ps", "--horizon", "1d"]).code == 0)
        var text = try String(contentsOfFile: ws + "/peakplan.toml", encoding: .utf8)
        if config.hasPrefix("[service]") {
            text = text.replacingOccurrences(of: "service_level = 0.8 ", with: "service_level = 1.5 ")
        } else {
            text += "\n" + config + "\n"
        }
        try text.write(toFile: ws + "/peakplan.toml", atomically: true, encoding: .utf8)
        let line = try Self.line(of: lineText, in: ws)
        let r = try CLI.run(["staff", "--workspace", ws])
        #expect(r.code == 78, "\(r.err)")
        #expect(r.err.contains("peakplan.toml: line \(line), " + fragment), "\(r.err)")
        #expect(r.out.isEmpty)
    }

    @Test("--input CSV: local times, kinds from [[channels]], more volume never fewer agents; AHT 0 with volume is exit 65 naming channel and interval")
    func inputCSV() throws {
        let ws = try CLI.workspace(zone: "Europe/London")
        defer { try? FileManager.default.removeItem(atPath: ws) }
        try Self.appendConfig(ws, """
        [[channels]]
        name = "chat"
        kind = "chat"
        [[channels]]
        name = "mail"
        kind = "email"
        [staffing]
        planned_shrinkage = 0.2
        unplanned_shrinkage = 0.1
        [[staffing.channels]]
        name = "voice"
        patience_seconds = 120
        max_abandon = 0.05
        """)
        var csv = "interval_start,channel,volume,aht_seconds\n"
        for k in 0..<24 {
            let t = String(format: "2026-03-02T%02d:%02d:00", 8 + k / 2, (k % 2) * 30)
            csv += "\(t),voice,\(k * 10),240\n\(t),chat,\(k * 5),300\n\(t),mail,\(k % 5 * 8),\n"
        }
        try csv.write(toFile: ws + "/in.csv", atomically: true, encoding: .utf8)
        // Mail rows have no handle time: the channel's fallback applies; work is due within 2 business hours.
        try Self.appendConfig(ws, "[[staffing.channels]]\nname = \"mail\"\naht_seconds = 420\nopen_hours = \"08:00-18:00\"\ndeadline_hours = 2")
        let r = try CLI.run(["staff", "--workspace", ws, "--input", ws + "/in.csv", "--format", "csv"])
        #expect(r.code == 0, "\(r.err)")
        let rows = Self.parse(r.out)
        #expect(rows.count == 72)
        let voice = rows.filter { $0.channel == "voice" }, chat = rows.filter { $0.channel == "chat" }, mail = rows.filter { $0.channel == "mail" }
        #expect(voice.first?.start == "2026-03-02T08:00:00" && voice.count == 24)
        #expect(voice.map(\.agents) == voice.map(\.agents).sorted() && chat.map(\.agents) == chat.map(\.agents).sorted())
        #expect(voice.last!.agents > voice[1].agents)
        #expect(voice.allSatisfy { ($0.abandon ?? 1) <= 0.05 + 5e-5 && ($0.sl ?? 0) >= 0.8 - 5e-5 })
        #expect(voice.allSatisfy { abs($0.scheduled - Double($0.agents) / (0.8 * 0.9)) < 0.006 })
        #expect(mail.allSatisfy { $0.sl == nil && $0.asa == nil && $0.abandon == nil && $0.aht == 420 || $0.volume == 0 })
        #expect(mail.filter { $0.start >= "2026-03-02T18:00:00" }.allSatisfy { $0.agents == 0 })
        #expect(r.err.contains("voice: erlang_a, input volumes") && r.err.contains("chat: chat, input volumes") && r.err.contains("mail: deadline, input volumes"), "\(r.err)")
        // AHT 0 with volume: exit 65, file, line, channel and interval.
        try (csv + "2026-03-02T20:00:00,voice,12,0\n").write(toFile: ws + "/bad.csv", atomically: true, encoding: .utf8)
        let bad = try CLI.run(["staff", "--workspace", ws, "--input", ws + "/bad.csv"])
        #expect(bad.code == 65)
        #expect(bad.err.contains("bad.csv:74: channel voice, interval 2026-03-02T20:00:00: aht_seconds is 0 with volume 12"), "\(bad.err)")
        // A negative volume is refused by the reader with file, line, column and value.
        try (csv + "2026-03-02T20:00:00,voice,-3,200\n").write(toFile: ws + "/neg.csv", atomically: true, encoding: .utf8)
        let neg = try CLI.run(["staff", "--workspace", ws, "--input", ws + "/neg.csv"])
        #expect(neg.code == 65 && neg.err.contains("neg.csv:74: column volume, value \"-3\""), "\(neg.err)")
        #expect(try CLI.run(["staff", "--workspace", ws, "--input", ws + "/missing.csv"]).code == 66)
    }

    @Test("overload: max_agents below the load never crashes; the intervals are named and Erlang A is suggested")
    func overload() throws {
        let ws = try Self.forecastWorkspace(config: "[staffing]\nmax_agents = 2")
        defer { try? FileManager.default.removeItem(atPath: ws) }
        let r = try CLI.run(["staff", "--workspace", ws, "--channel", "ps", "--format", "csv"])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.err.contains("ps: overload: Erlang C has no steady state in "), "\(r.err)")
        #expect(r.err.contains("set patience_seconds") && r.err.contains("intervals need more than max_agents = 2"))
        let rows = Self.parse(r.out)
        #expect(rows.allSatisfy { $0.agents <= 2 })
        #expect(rows.contains { $0.sl == 0 && $0.asa == nil && $0.agents == 2 })
        // With a patience the same cap gives finite Erlang A figures everywhere.
        try Self.appendConfig(ws, "patience_seconds = 180")
        let a = try CLI.run(["staff", "--workspace", ws, "--channel", "ps", "--format", "csv"])
        #expect(a.code == 0 && !a.err.contains("overload"), "\(a.err)")
        #expect(Self.parse(a.out).allSatisfy { $0.asa != nil && $0.abandon != nil })
    }

    @Test("no stored forecast: exit 66 with what to run")
    func noForecast() throws {
        let ws = try CLI.workspace()
        defer { try? FileManager.default.removeItem(atPath: ws) }
        let r = try CLI.run(["staff", "--workspace", ws])
        #expect(r.code == 66 && r.err.contains("peakplan forecast"), "\(r.err)")
    }
}
