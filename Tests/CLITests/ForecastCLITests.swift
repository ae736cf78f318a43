import Foundation
import Testing
import TestSupport
import PlanningCore

@Suite(.serialized) struct ForecastCLITests {
    static let ws: String = {
        let ws = try! CLI.workspace(extra: ["--weekend", "fri,sat"])
        precondition(try! CLI.run(["ingest", "--workspace", ws, CLI.voice6, CLI.types30]).code == 0)
        precondition(try! CLI.run(["events", "import", "--workspace", ws, CLI.root + "/Datasets/anonbank-israel-1999/events-1999.csv"]).code == 0)
        return ws
    }()

    @Test("forecast CSV: every interval of the horizon, ordered bounds, no NaN anywhere")
    func forecastCSV() throws {
        let r = try CLI.run(["forecast", "--workspace", Self.ws, "--channel", "voice", "--aggregate", "30", "--horizon", "7d", "--format", "csv"])
        #expect(r.code == 0, "\(r.err)")
        let lines = r.out.split(separator: "\n")
        #expect(lines.first == "timestamp,channel,mean,lo80,hi80,lo95,hi95,aht_seconds,statistical_mean,adjustment_id")
        #expect(lines.count == 1 + 7 * 48)
        #expect(lines[1].hasPrefix("2000-01-01T00:00:00,voice,"))
        #expect(!r.out.lowercased().contains("nan") && !r.out.lowercased().contains("inf"))
        for l in lines.dropFirst() {
            let v = l.split(separator: ",", omittingEmptySubsequences: false).dropFirst(2).prefix(5).map { Double($0)! }
            #expect(v[3] <= v[1] && v[1] <= v[0] && v[0] <= v[2] && v[2] <= v[4] && v.allSatisfy { $0 >= 0 }, "\(l)")
        }
        // Night hours of the Israeli centre are near zero; the 10:00 peak is high.
        let ten = lines.first { $0.hasPrefix("2000-01-02T10:00:00") }!
        #expect(Double(ten.split(separator: ",")[2])! > 50)
    }

    @Test("forecast --peaks --explain names the holiday and month-start effects with sizes")
    func peaksAndExplain() throws {
        // One CSV holds one table: peaks and effects are two runs (together they are a usage error in CSV).
        let base = ["forecast", "--workspace", Self.ws, "--channel", "ps", "--horizon", "14d", "--format", "csv", "--no-store"]
        let p = try CLI.run(base + ["--peaks"]), e = try CLI.run(base + ["--explain"])
        #expect(p.code == 0 && e.code == 0, "\(p.err)\n\(e.err)")
        let r = (code: p.code, out: p.out + e.out)
        #expect(r.out.contains("1999-11-01,Mon,ps,peak,"), "\(r.out.prefix(600))")
        #expect(r.out.contains("month start"))
        #expect(r.out.contains("ps,holiday (vs an average business day),-9"), "holiday effect around -90%")
        #expect(r.out.contains("ps,month_start,"))
        #expect(!r.out.lowercased().contains("nan"))
    }

    @Test("backtest JSON has the documented keys and stores its rows")
    func backtestJSON() throws {
        let r = try CLI.run(["backtest", "--workspace", Self.ws, "--channel", "nw", "--models", "seasonal-avg-4w,auto", "--format", "json"])
        #expect(r.code == 0, "\(r.err)")
        let rows = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [[String: Any]]
        #expect(rows.count == 8)
        // Units in the names: _pct, _contacts, _seconds; mase and pinball_scaled are ratios.
        let keys: Set<String> = ["channel", "model", "horizon", "mase", "mase_median", "smape_pct", "wape_pct", "rmse_contacts", "pinball_scaled",
                                 "coverage80_pct", "coverage95_pct", "coverage80_busy_pct", "event_day_wape_pct", "peak_day_error_pct", "origins",
                                 "fit_seconds"]
        #expect(rows.allSatisfy { Set($0.keys) == keys })
        #expect(Set(rows.map { $0["horizon"] as! String }) == ["rest-of-day", "1d", "7d", "14-28d"])
        // SeasonalAvg-4w reproduces the peer harness on this series (calls99.json: 1d 0.636, 7d 0.802).
        let sa7 = rows.first { $0["model"] as? String == "seasonal-avg-4w" && $0["horizon"] as? String == "7d" }!["mase"] as! Double
        #expect(abs(sa7 - 0.802) < 0.0005)
    }

    @Test("intraday re-forecast uses the day's actuals so far")
    func asOf() throws {
        let r = try CLI.run(["forecast", "--workspace", Self.ws, "--channel", "voice", "--aggregate", "30", "--as-of", "1999-12-30T12:00", "--horizon", "1d", "--no-store", "--format", "csv"])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.err.contains("intraday update at 1999-12-30T12:00"))
        let lines = r.out.split(separator: "\n")
        #expect(lines[1].hasPrefix("1999-12-30T12:00:00,voice,"))
        #expect(lines.count == 1 + 24)
    }

    @Test("intraday re-forecast reads the day in progress when the store holds it only up to the morning, and names missing intervals")
    func asOfPartialDay() throws {
        let ws = try CLI.workspace()
        defer { try? FileManager.default.removeItem(atPath: ws) }
        // 91 whole days (a busy day profile; each day's level varies as a whole, so a busy morning means a busy
        // afternoon and the update learns to carry it over), then the as-of day up to 11:30 at twice the usual
        // volume, with 10:00 missing.
        var csv = "timestamp,channel,volume\n"
        let first = Civil.daysFromCivil(year: 2026, month: 3, day: 2)
        var soFar = 0.0
        for d in 0 ..< 92 {
            for k in 0 ..< 48 {
                let level = 1 + 0.35 * sin(Double(d) * 2.1)
                let base = (k >= 16 && k < 40 ? (20.0 + Double((d * 7 + k) % 5)) * level : 1.0).rounded()
                if d == 91 {
                    if k >= 24 { break }
                    if k == 20 { continue }
                    soFar += 2 * base
                }
                csv += "\(Civil.formatLocal((first + Int64(d)) * 86_400 + Int64(k * 1800)).prefix(19)),voice,\(d == 91 ? 2 * base : base)\n"
            }
        }
        try csv.write(toFile: ws + "/h.csv", atomically: true, encoding: .utf8)
        let ing = try CLI.run(["ingest", "--workspace", ws, ws + "/h.csv"])
        #expect(ing.code == 0, "\(ing.err)")
        let day = Civil.formatDate(day: first + 91)
        let r = try CLI.run(["forecast", "--workspace", ws, "--channel", "voice", "--as-of", day + "T12:00", "--horizon", "1d", "--no-store", "--format", "csv"])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.err.contains("23 of 24 intervals before 12:00 seen, \(Int(soFar)) contacts so far"), "\(r.err)")
        #expect(r.err.contains("no data for 10:00") && r.err.contains("not counted as zero"), "\(r.err)")
        // Twice the usual volume so far: the rest of the day is scaled up.
        let ratio = try #require(r.err.range(of: "rest of day x").map { Double(r.err[$0.upperBound...].prefix(5)) ?? 0 })
        #expect(ratio > 1.2, "\(r.err)")
        #expect(r.out.split(separator: "\n").dropFirst().first?.hasPrefix(day + "T12:00:00,voice,") == true)
        // Without --as-of, the day in progress is not dropped: the forecast starts where the history ends and the
        // morning updates the afternoon (the same figures as --as-of at that time).
        let plain = try CLI.run(["forecast", "--workspace", ws, "--channel", "voice", "--horizon", "1d", "--no-store", "--format", "csv"])
        #expect(plain.code == 0, "\(plain.err)")
        #expect(plain.err.contains("the history ends at \(day)T12:00 (its last interval starts 11:30), inside that day"), "\(plain.err)")
        #expect(plain.err.contains("23 of 24 intervals before 12:00 seen, \(Int(soFar)) contacts so far"), "\(plain.err)")
        #expect(plain.out == r.out)
        // An as-of day after the history's end: that day is re-forecast (not the day the history ends on), and its
        // morning is reported missing, not read as zero.
        let next = Civil.formatDate(day: first + 92)
        let later = try CLI.run(["forecast", "--workspace", ws, "--channel", "voice", "--as-of", next + "T12:00", "--horizon", "1d", "--no-store", "--format", "csv"])
        #expect(later.code == 0, "\(later.err)")
        #expect(later.out.split(separator: "\n").dropFirst().first?.hasPrefix(next + "T12:00:00,voice,") == true, "\(later.out.prefix(300))")
        #expect(later.out.split(separator: "\n").count == 1 + 24)
        #expect(later.err.contains("0 of 24 intervals before 12:00 seen") && later.err.contains("no data for 00:00..11:30 (24 intervals) on \(next)"), "\(later.err)")
    }

    @Test("bad forecast options are usage errors with a clear message", arguments: [
        (["--horizon", "soon"], "--horizon soon"), (["--model", "crystal-ball"], "not registered"), (["--as-of", "noon"], "--as-of noon"),
    ])
    func badOptions(_ extra: [String], _ fragment: String) throws {
        let r = try CLI.run(["forecast", "--workspace", Self.ws] + extra)
        #expect(r.code == 64)
        #expect(r.err.contains(fragment), "\(r.err)")
    }

    @Test("a committed saved model forecasts from the calendar alone, the same as fitting")
    func fromSavedModel() throws {
        let saved = try CLI.run(["forecast", "--workspace", Self.ws, "--from-model", CLI.root + "/Models/anonbank-calls-1999/nw-30min-auto.json",
                                 "--horizon", "2d", "--format", "csv"])
        #expect(saved.code == 0, "\(saved.err)")
        let fitted = try CLI.run(["forecast", "--workspace", Self.ws, "--channel", "nw", "--horizon", "2d", "--format", "csv", "--no-store"])
        let strip = { (s: String) in s.split(separator: "\n").map { $0.split(separator: ",").prefix(7).joined(separator: ",") } }
        #expect(strip(saved.out) == strip(fitted.out))
        // The model fitted by that run is stored too; forecasting from it gives the same numbers.
        let stored = try CLI.run(["forecast", "--workspace", Self.ws, "--channel", "nw", "--horizon", "2d", "--format", "csv"])
        #expect(stored.code == 0)
        let fromStore = try CLI.run(["forecast", "--workspace", Self.ws, "--from-model", "stored:nw", "--horizon", "2d", "--format", "csv"])
        #expect(fromStore.code == 0, "\(fromStore.err)")
        #expect(strip(fromStore.out) == strip(stored.out))
        let bad = try CLI.run(["forecast", "--workspace", Self.ws, "--from-model", CLI.corpus + "/good-bom-crlf.csv"])
        #expect(bad.code == 65 && bad.err.contains("not a PeakPlan saved model"))
    }

    @Test func unknownChannel() throws {
        let r = try CLI.run(["forecast", "--workspace", Self.ws, "--channel", "fax"])
        #expect(r.code == 64 && r.err.contains("no channel fax"))
    }
}
