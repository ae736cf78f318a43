import Foundation
import PlanningCore
import Testing
import TestSupport

/// Planner inputs: `forecast adjust` (overrides kept beside the statistical forecast), `events add/remove`, and a
/// backtest that guides (`--origin`, the summary, event kinds, units in the column names).
@Suite(.serialized) struct PlannerInputCLITests {
    static let ws: String = {
        let ws = try! CLI.workspace(extra: ["--weekend", "fri,sat"])
        precondition(try! CLI.run(["ingest", "--workspace", ws, CLI.types30]).code == 0)
        precondition(try! CLI.run(["events", "import", "--workspace", ws, CLI.root + "/Datasets/anonbank-israel-1999/events-1999.csv"]).code == 0)
        return ws
    }()

    /// Rows of a forecast CSV by timestamp: (mean, statistical_mean, adjustment_id).
    static func rows(_ csv: String) -> [String: (mean: Double, statistical: Double, adjustment: String)] {
        var out: [String: (Double, Double, String)] = [:]
        for l in csv.split(separator: "\n").dropFirst() {
            let f = l.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            out[f[0]] = (Double(f[2])!, Double(f[8])!, f[9])
        }
        return out
    }

    @Test("forecast adjust sets a day and scales an interval range; the output marks them and keeps the statistical values; list and remove")
    func adjust() throws {
        let ws = try CLI.workspace(extra: ["--weekend", "fri,sat"])
        defer { try? FileManager.default.removeItem(atPath: ws) }
        #expect(try CLI.run(["ingest", "--workspace", ws, CLI.types30]).code == 0)
        let fc = ["forecast", "--workspace", ws, "--channel", "ps", "--horizon", "3d", "--format", "csv", "--no-store"]
        let before = try CLI.run(fc)
        #expect(before.code == 0, "\(before.err)")
        let base = Self.rows(before.out)
        let a1 = try CLI.run(["forecast", "adjust", "--workspace", ws, "--channel", "ps", "--date", "1999-11-01", "--set", "3000", "--reason", "mailing lands"])
        #expect(a1.code == 0 && a1.out.contains("#1 stored"), "\(a1.err)")
        let a2 = try CLI.run([
            "forecast", "adjust", "--workspace", ws, "--channel", "ps", "--from", "1999-11-02T09:00", "--to", "1999-11-02T10:00", "--scale", "2",
            "--reason", "callbacks"
        ])
        #expect(a2.code == 0, "\(a2.err)")
        // Later adjustments apply to the result of earlier ones: a day set to 2000, then one interval of it set to 100.
        let a3 = try CLI.run(adjustArgs(ws, ["--date", "1999-11-03", "--set", "2000", "--reason", "day"]))
        let a4 = try CLI.run(adjustArgs(ws, ["--from", "1999-11-03T10:00", "--to", "1999-11-03T10:30", "--set", "100", "--reason", "one"]))
        #expect(a3.code == 0 && a4.code == 0, "\(a3.err) \(a4.err)")
        let after = try CLI.run(fc)
        #expect(after.code == 0, "\(after.err)")
        #expect(after.err.contains("planner adjustments applied: #1 set to 3000 contacts a day on 48 intervals (mailing lands); #2 x2.000 on 2 intervals"), "\(after.err)")
        let adj = Self.rows(after.out)
        #expect(adj.count == base.count)
        let day1 = adj.filter { $0.key.hasPrefix("1999-11-01") }
        #expect(day1.count == 48 && day1.values.allSatisfy { $0.adjustment == "1" })
        #expect(abs(day1.values.reduce(0) { $0 + $1.mean } - 3000) < 48 * 0.005)
        let day3 = adj.filter { $0.key.hasPrefix("1999-11-03") }
        let ten = adj["1999-11-03T10:00:00"]!
        #expect(ten.mean == 100 && ten.adjustment == "4")
        #expect(day3.filter { $0.key != "1999-11-03T10:00:00" }.values.allSatisfy { $0.adjustment == "3" })
        // 2000 spread in the forecast's shape, then the 10:00 share replaced by 100.
        let share10 = 2000 * base["1999-11-03T10:00:00"]!.mean / base.filter { $0.key.hasPrefix("1999-11-03") }.values.reduce(0) { $0 + $1.mean }
        #expect(abs(day3.values.reduce(0) { $0 + $1.mean } - (2000 - share10 + 100)) < 48 * 0.005 + 0.05)
        for (ts, r) in adj {
            let b = base[ts]!
            // The statistical forecast is kept beside the adjusted one, unchanged.
            #expect(abs(r.statistical - b.mean) < 0.006, "\(ts)")
            if ts == "1999-11-02T09:00:00" || ts == "1999-11-02T09:30:00" {
                #expect(abs(r.mean - 2 * b.mean) < 0.011 && r.adjustment == "2", "\(ts)")
            } else if !ts.hasPrefix("1999-11-01") && !ts.hasPrefix("1999-11-03") {
                #expect(r.mean == b.mean && r.adjustment.isEmpty, "\(ts)")
            }
        }
        // Stored with the forecast and listed in the report.
        #expect(try CLI.run(["forecast", "--workspace", ws, "--channel", "ps", "--horizon", "3d", "--format", "csv"]).code == 0)
        let rep = try CLI.run(["report", "--workspace", ws, "--out-dir", ws + "/rep"])
        #expect(rep.code == 0, "\(rep.err)")
        let md = try String(contentsOfFile: ws + "/rep/report.md", encoding: .utf8)
        #expect(md.contains("Planner adjustments") && md.contains("mailing lands"))
        // The fan chart draws the statistical forecast beside the adjusted one.
        let html = try String(contentsOfFile: ws + "/rep/index.html", encoding: .utf8)
        #expect(html.contains("statistical (before planner adjustments)"))
        // List, remove, remove again.
        let list = try CLI.run(["forecast", "adjust", "--workspace", ws, "--list", "--format", "csv"])
        #expect(list.out.split(separator: "\n").count == 5 && list.out.contains("1,ps,1999-11-01,day,set to 3000 contacts a day,mailing lands,"), "\(list.out)")
        let json = try CLI.run(["forecast", "adjust", "--workspace", ws, "--list", "--format", "json"])
        #expect((try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [[String: Any]])?.count == 4, "\(json.out)")
        #expect(try CLI.run(["forecast", "adjust", "--workspace", ws, "--remove", "1"]).code == 0)
        let gone = try CLI.run(["forecast", "adjust", "--workspace", ws, "--remove", "1"])
        #expect(gone.code == 66 && gone.err.contains("no forecast adjustment #1"))
        let back = Self.rows(try CLI.run(fc).out)
        #expect(back["1999-11-01T10:00:00"]!.mean == base["1999-11-01T10:00:00"]!.mean)
    }

    func adjustArgs(_ ws: String, _ extra: [String]) -> [String] { ["forecast", "adjust", "--workspace", ws, "--channel", "ps"] + extra }

    @Test(
        "forecast adjust refuses incomplete or bad input with a clear message",
        arguments: [
            (["--channel", "ps", "--date", "1999-11-01", "--set", "5"], "--reason"),
            (["--channel", "ps", "--date", "1999-11-01", "--set", "5", "--scale", "2", "--reason", "x"], "either --set N or --scale X"),
            (["--channel", "ps", "--date", "1999-11-31", "--set", "5", "--reason", "x"], "--date 1999-11-31"),
            (["--channel", "ps", "--from", "1999-11-01T10:00", "--set", "5", "--reason", "x"], "both --from and --to"),
            (["--channel", "nope", "--date", "1999-11-01", "--scale", "2", "--reason", "x"], "no channel nope"),
            (["--channel", "ps", "--date", "1999-11-01", "--scale=-1", "--reason", "x"], "--scale -1.0: the factor must be a number >= 0")
        ])
    func adjustBadInput(_ extra: [String], _ fragment: String) throws {
        let r = try CLI.run(["forecast", "adjust", "--workspace", Self.ws] + extra)
        #expect(r.code == 64 && r.err.contains(fragment), "\(r.code) \(r.err)")
    }

    @Test("events add writes one row per day of a range with its windows; events remove deletes by name and date")
    func eventsAddRemove() throws {
        let ws = try CLI.workspace()
        defer { try? FileManager.default.removeItem(atPath: ws) }
        let add = try CLI.run([
            "events", "add", "--workspace", ws, "--name", "618", "--kind", "sales", "--date", "2026-06-17..2026-06-18", "--lead-days", "10", "--lag-days", "2"
        ])
        #expect(add.code == 0 && add.out.contains("on 2 days: 2 added"), "\(add.err)")
        #expect(try CLI.run(["events", "add", "--workspace", ws, "--name", "Staff day", "--kind", "custom", "--date", "2026-06-20", "--channel", "voice"]).code == 0)
        let list = try CLI.run(["events", "list", "--workspace", ws, "--from", "2026-06-01", "--to", "2026-06-30", "--no-rules", "--format", "csv"])
        #expect(list.out.contains("2026-06-17,Wed,618,sales,,10,2,,events") && list.out.contains("2026-06-18,Thu,618,sales,,10,2,,events"), "\(list.out)")
        #expect(list.out.contains("2026-06-20,Sat,Staff day,custom,voice,0,0,,events"))
        // --change: the planner's expected total change (the prior while the event has no history).
        #expect(try CLI.run(["events", "add", "--workspace", ws, "--name", "Mailing", "--kind", "custom", "--date", "2026-06-22", "--change", "0.4"]).code == 0)
        let withChange = try CLI.run(["events", "list", "--workspace", ws, "--from", "2026-06-22", "--to", "2026-06-22", "--no-rules", "--format", "csv"])
        #expect(withChange.out.contains("2026-06-22,Mon,Mailing,custom,,0,0,0.400,events"), "\(withChange.out)")
        #expect(try CLI.run(["events", "add", "--workspace", ws, "--name", "X", "--kind", "custom", "--date", "2026-06-22", "--change", "-1"]).code == 64)
        let rm = try CLI.run(["events", "remove", "--workspace", ws, "--name", "618", "--date", "2026-06-17"])
        #expect(rm.code == 0 && rm.out.contains("removed 1 row"), "\(rm.err)")
        let after = try CLI.run(["events", "list", "--workspace", ws, "--from", "2026-06-01", "--to", "2026-06-30", "--no-rules", "--format", "csv"])
        #expect(!after.out.contains("2026-06-17,") && after.out.contains("2026-06-18,Thu,618"))
        let none = try CLI.run(["events", "remove", "--workspace", ws, "--name", "618", "--date", "2026-06-17"])
        #expect(none.code == 66 && none.err.contains("no event named 618 on 2026-06-17"))
        let badKind = try CLI.run(["events", "add", "--workspace", ws, "--name", "x", "--kind", "party", "--date", "2026-06-20"])
        #expect(badKind.code == 64 && badKind.err.contains("--kind party"))
    }

    @Test("backtest --origin scores chosen days; the summary names the best model and where auto stands; units in column names")
    func backtestGuides() throws {
        let base = ["backtest", "--workspace", Self.ws, "--channel", "ps", "--models", "snaive-week,seasonal-avg-4w,auto", "--no-timings"]
        // 1999-10-01 is a holiday-season Friday; two origins.
        let r = try CLI.run(base + ["--origin", "1999-09-20", "--origin", "1999-10-04", "--format", "json"])
        #expect(r.code == 0, "\(r.err)")
        let rows = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [[String: Any]]
        let keys: Set<String> = [
            "channel", "model", "horizon", "mase", "mase_median", "smape_pct", "wape_pct", "rmse_contacts", "pinball_scaled", "coverage80_pct",
            "coverage95_pct", "coverage80_busy_pct", "event_day_wape_pct", "peak_day_error_pct", "origins", "fit_seconds"
        ]
        #expect(rows.allSatisfy { Set($0.keys) == keys })
        #expect(rows.filter { $0["horizon"] as? String == "1d" }.allSatisfy { $0["origins"] as? Int == 2 })
        // Chosen origins are not the rolling ones: the scores differ.
        let rolling = try JSONSerialization.jsonObject(with: Data(try CLI.run(base + ["--format", "json"]).out.utf8)) as! [[String: Any]]
        let pick = { (rs: [[String: Any]]) in rs.first { $0["model"] as? String == "auto" && $0["horizon"] as? String == "7d" }!["mase"] as! Double }
        #expect(abs(pick(rows) - pick(rolling)) > 1e-6)
        // The 1d peak-day error is that day's total error: it is the signed version of the day's WAPE.
        for row in rows where row["horizon"] as? String == "1d" {
            #expect(abs(abs(row["peak_day_error_pct"] as! Double) - (row["wape_pct"] as! Double)) < 100, "\(row)")
        }
        let s = try CLI.run(base + ["--origin", "1999-09-20", "--origin", "1999-10-04", "--summary", "--format", "csv"])
        #expect(s.code == 0, "\(s.err)")
        let lines = s.out.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(lines[0] == ["channel", "horizon", "best_model", "best_mase", "auto_mase", "auto_is_best", "auto_vs_best_other_pct", "models"])
        #expect(lines.count == 5)
        for l in lines.dropFirst() {
            let bucket = rows.filter { $0["horizon"] as? String == l[1] }
            let best = bucket.min { ($0["mase"] as! Double) < ($1["mase"] as! Double) }!
            #expect(l[2] == best["model"] as! String)
            let auto = bucket.first { $0["model"] as? String == "auto" }!["mase"] as! Double
            let other = bucket.filter { $0["model"] as? String != "auto" }.map { $0["mase"] as! Double }.min()!
            // The JSON MASE values are rounded to 3 decimals: their ratio is known to about 0.1% / MASE.
            #expect(abs(Double(l[6])! - (auto / other - 1) * 100) < 0.05 + 0.1 * (1 + auto / other) / other)
            #expect(l[5] == (l[2] == "auto" ? "yes" : "no"))
        }
        // Event days by kind: the 7d week from 1999-09-20 holds Sukkot days (holiday).
        let k = try CLI.run(base + ["--origin", "1999-09-20", "--by-event-kind", "--format", "csv"])
        #expect(k.code == 0 && k.out.hasPrefix("channel,model,horizon,event_kind,days,day_total_wape_pct\n"), "\(k.err)")
        #expect(k.out.contains("ps,auto,7d,holiday,"), "\(k.out)")
        let bad = try CLI.run(base + ["--origin", "1999-01-01"])
        #expect(bad.code == 64 && bad.err.contains("--origin 1999-01-01") && bad.err.contains("3 weeks of history"), "\(bad.err)")
    }
}
