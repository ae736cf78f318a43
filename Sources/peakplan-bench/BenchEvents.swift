import ArgumentParser
import CommandLineSupport
import Forecasting
import Foundation
import Ingest
import Pipeline
import PlanningCore
import Reports
import Store

/// `peakplan-bench events`: the protocol of `../shared/peers/events/score_events.py` run in-process on a series
/// with known expected day totals (synthetic-cn-bank), PeakPlan beside the recorded Prophet and ridge figures.
struct EventsBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Event-aware forecasting on a series with known day totals, beside Prophet and a plain ridge regression.",
        discussion: """
            Runs the protocol of ../shared/peers/events/score_events.py in-process: one store holding the whole history
            (Asia/Shanghai, weekend sat,sun, channels voice/chat/app) and the bundled China calendar as published; for
            each origin the history before it, a 42-day forecast, day totals scored against the known expected totals
            (truth-days.csv): day-total WAPE over all days and over the calendar-effect days (holidays, make-up days,
            sales windows, days 1-5, the two days after a holiday, the three days before Spring Festival).
            Also prints the month-start effect of days 1-5 per channel, forecast against truth (each as the ratio to
            the same weekday on days 8-28 of the same month without events, in the horizon), and the 80% interval
            coverage on calendar-effect days of the actual history (the noisy draws, not the truth): per slot
            (slot_cov80, the intervals the forecast prints), per day by the day-total 80% interval (day_cov80: the one
            `forecast --peaks` prints, from auto's own backtests of day totals) and by the sums of the
            slots' 80% bounds (day_sum_cov80: what a planner summing the forecast CSV gets; wider than a day-total
            interval, as it adds the slots' independent Poisson noise as if it moved together).
            Last, what auto chose per calendar context (normal, month start, event, near an event) at each origin and
            channel, with each option's backtest error (--auto-setting compares other settings of auto).
            Prophet and ridge figures are those recorded in ../shared/peers/events/README.md.
            Example:
              peakplan-bench events --data ../shared/datasets/synthetic-cn-bank
            """
    )
    @Option(help: ArgumentHelp("Folder with history.csv(.gz) and truth-days.csv.", valueName: "dir"))
    var data: String = "../shared/datasets/synthetic-cn-bank"
    @Option(help: ArgumentHelp("Events CSV (the bundled China calendar).", valueName: "file"))
    var calendar: String = "Datasets/calendars/cn-2024-2027.csv"
    @Option(help: "Forecast origins, comma-separated.") var origins: String = "2025-05-26,2025-10-20,2026-01-19,2026-02-23,2026-05-25"
    @Option(help: "Horizon in days.") var horizon: Int = 42
    @Option(help: "Model id.") var model: String = "auto"
    @Option(
        help: ArgumentHelp(
            "A setting of auto to compare (repeatable): normal-days-average (the seasonal average of normal days everywhere, not only where it forecasts better), no-contexts (every calendar day takes the calendar-aware candidates, the earlier rule), normal-days-weights (normal days weighed on the inner normal days only), interval-scores (contexts scored by the intervals' absolute errors, not day totals).",
            valueName: "setting"))
    var autoSetting: [String] = []
    @Option(
        help: ArgumentHelp(
            "Also write every forecast day (origin,date,channel,forecast,day_lo80,day_hi80,slot_sum_lo80,slot_sum_hi80,truth,actual,calendar) to this CSV.", valueName: "file"))
    var daysOut: String?
    @Option(help: ArgumentHelp("Print the day-total model's fitted calendar effects of this channel at each origin (stderr).", valueName: "channel"))
    var effects: String?
    @Option(
        help: ArgumentHelp(
            "Python with Prophet (default: the venv of ../shared/peers/events/README.md when it exists): Prophet is run on the same origins through score_events.py.",
            valueName: "python"))
    var prophet: String?
    @Option(help: ArgumentHelp("score_events.py (for the Prophet run).", valueName: "file"))
    var scoreScript: String = "../shared/peers/events/score_events.py"
    @OptionGroup var output: OutputOptions

    /// Recorded in ../shared/peers/events/README.md: ridge_baseline.py per origin (all, calendar days), Prophet mean.
    static let ridgeByOrigin: [String: (Double, Double)] = [
        "2025-05-26": (6.2, 7.6), "2025-10-20": (3.4, 4.6), "2026-01-19": (1.4, 1.8), "2026-02-23": (0.8, 1.0), "2026-05-25": (4.5, 5.2)
    ]
    static let recordedMeans: [(String, Double, Double)] = [("prophet (recorded)", 8.75, 11.96), ("ridge_baseline.py (recorded)", 3.26, 4.04)]

    func run() throws {
        do {
            guard var chosen = ModelRegistry.model(model) else { throw ValidationError("model \(model) is not registered") }
            if !autoSetting.isEmpty {
                guard var auto = chosen as? Combination else { throw ValidationError("--auto-setting applies to --model auto only") }
                for setting in autoSetting {
                    switch setting {
                    case "normal-days-average":
                        var a = Combination(candidates: [SeasonalAverage(weeks: ModelRegistry.autoSeasonalWeeks, days: .normal), DayProfile()])
                        a.chooseByContext = auto.chooseByContext; a.normalWeights = auto.normalWeights; a.contextScore = auto.contextScore
                        auto = a
                    case "no-contexts": auto.chooseByContext = false
                    case "normal-days-weights": auto.normalWeights = .innerNormalDays
                    case "scored-normal-days-weights": auto.normalWeights = .scoredNormalDays
                    case "scored-normal-day-totals": auto.normalWeights = .scoredNormalDayTotals
                    case "interval-scores": auto.contextScore = .intervals
                    default:
                        throw ValidationError(
                            "--auto-setting \(setting): expected normal-days-average, no-contexts, normal-days-weights, scored-normal-days-weights, scored-normal-day-totals or interval-scores"
                        )
                    }
                }
                chosen = auto
            }
            let scratch = (NSTemporaryDirectory() as NSString).appendingPathComponent("peakplan-bench-events-\(getpid())")
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            let d = try EventsBenchData.load(data: data, calendar: calendar, scratch: scratch)
            let result = try EventsBenchRun(
                data: d, model: chosen, horizon: horizon, origins: origins.split(separator: ",").map(String.init),
                effectsChannel: effects
            ).run()
            if let path = daysOut {
                let sink = try OutputSink(path: path)
                try sink.write("origin,date,channel,forecast,day_lo80,day_hi80,slot_sum_lo80,slot_sum_hi80,truth,actual,calendar\n" + result.days.joined())
                try sink.finish()
            }
            try output.emit(render(result, prophet: runProphet()))
        } catch { throw failure(error) }
    }

    /// Runs Prophet through score_events.py on the same origins when a python with Prophet exists (`--prophet`, or
    /// the venv of ../shared/peers/events/README.md); returns its mean (all, calendar days) or nil, saying why.
    func runProphet() -> (Double, Double)? {
        let venv = (NSHomeDirectory() as NSString).appendingPathComponent(".cache/peakplan-prophet/.venv/bin/python")
        let python = prophet ?? venv
        let fm = FileManager.default
        guard fm.isExecutableFile(atPath: python), fm.fileExists(atPath: scoreScript) else {
            Diagnostics.note("Prophet not run in this run (no python with Prophet at \(python) or no \(scoreScript)); its recorded figures are shown")
            return nil
        }
        let peakplan = ((CommandLine.arguments[0] as NSString).deletingLastPathComponent as NSString).appendingPathComponent("peakplan")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", scoreScript, peakplan, data, "--prophet", python, "--origins", origins, "--horizon", String(horizon), "--calendar", calendar]
        let pipe = Pipe()
        p.standardOutput = pipe
        do { try p.run() } catch {
            Diagnostics.note("Prophet not run: \(error)")
            return nil
        }
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0, let last = out.split(separator: "\n").last,
            let json = try? JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: [String: Double]],
            let pr = json["prophet"], let a = pr["wape_all"], let c = pr["wape_event"]
        else {
            Diagnostics.note("Prophet run failed (score_events.py status \(p.terminationStatus)); its recorded figures are shown")
            return nil
        }
        return (a, c)
    }

    func render(_ r: EventsBenchRun.Result, prophet measured: (Double, Double)? = nil) -> String {
        let f = output.format.format
        var t = Table(
            title: f == .table ? "Day-total WAPE % against the known expected totals (\(horizon)-day horizon), \(model) beside the plain ridge regression" : nil,
            columns: [
                "origin", "wape_all_pct", "wape_calendar_pct", "calendar_days", "ridge_all_pct", "ridge_calendar_pct", "slot_cov80_calendar_pct", "day_cov80_calendar_pct",
                "day_sum_cov80_calendar_pct"
            ])
        for o in r.origins {
            let ridge = Self.ridgeByOrigin[o.origin]
            t.rows.append([
                .text(o.origin), .number(o.wapeAll, decimals: 2), .number(o.wapeCalendar, decimals: 2), .int(o.calendarDays),
                ridge.map { .number($0.0, decimals: 1) } ?? .null, ridge.map { .number($0.1, decimals: 1) } ?? .null,
                .number(o.slotCoverage80, decimals: 1), .number(o.coverage80, decimals: 1), .number(o.sumCoverage80, decimals: 1)
            ])
        }
        let n = Double(max(r.origins.count, 1))
        t.rows.append([
            .text("mean"), .number(r.origins.map(\.wapeAll).reduce(0, +) / n, decimals: 2),
            .number(r.origins.map(\.wapeCalendar).reduce(0, +) / n, decimals: 2), .int(r.origins.map(\.calendarDays).reduce(0, +)),
            .number(3.26, decimals: 2), .number(4.04, decimals: 2), .number(r.slotCoverage80, decimals: 1),
            .number(r.coverage80, decimals: 1), .number(r.sumCoverage80, decimals: 1)
        ])
        var peers = Table(
            title: f == .table ? "\nMeans of the origins beside the recorded peers (../shared/peers/events/README.md)" : nil,
            columns: ["model", "wape_all_pct", "wape_calendar_pct"])
        peers.rows.append([
            .text("peakplan \(model)"), .number(r.origins.map(\.wapeAll).reduce(0, +) / n, decimals: 2),
            .number(r.origins.map(\.wapeCalendar).reduce(0, +) / n, decimals: 2)
        ])
        if let (a, c) = measured { peers.rows.append([.text("prophet (this run)"), .number(a, decimals: 2), .number(c, decimals: 2)]) }
        for (name, a, c) in Self.recordedMeans { peers.rows.append([.text(name), .number(a, decimals: 2), .number(c, decimals: 2)]) }
        var ms = Table(
            title: f == .table
                ? "\nMonth-start effect of days 1-5 (% against the same weekday on days 8-28 of the month, days without events), mean over the horizons' months" : nil,
            columns: ["channel", "day", "months", "truth_pct", "forecast_pct", "error_points"])
        for row in r.monthStart {
            ms.rows.append([
                .text(row.channel), .int(row.day), .int(row.count), .number(row.truth, decimals: 1), .number(row.forecast, decimals: 1),
                .number(row.forecast - row.truth, decimals: 1)
            ])
        }
        var cx = Table(
            title: f == .table
                ? "\nWhat auto chose per calendar context (backtests on such days: mean absolute error of day totals per option; the earlier rule stands unless an option beats it by 2 standard errors)"
                : nil,
            columns: ["origin", "channel", "context", "days_scored", "winner", "day_total_mae"])
        for row in r.contexts { cx.rows.append([.text(row.origin), .text(row.channel), .text(row.context), .int(row.days), .text(row.winner), .text(row.errors)]) }
        if f == .json { return JSONDocument.sections([("origins", t), ("peers", peers), ("month_start", ms), ("contexts", cx)]) }
        return t.render(f) + peers.render(f) + ms.render(f) + (r.contexts.isEmpty ? "" : cx.render(f))
    }
}

/// The series, truth and calendar of the events benchmark, in a scratch store.
struct EventsBenchData {
    var store: Store
    var config: WorkspaceConfig
    var zone: ZoneRules
    var truth: [String: [Int64: Double]]
    var events: [CalendarEvent]
    static let channels = ["voice", "chat", "app"]

    static func load(data: String, calendar: String, scratch: String) throws -> EventsBenchData {
        let fm = FileManager.default
        var history = data + "/history.csv"
        if !fm.fileExists(atPath: history) {
            let gz = history + ".gz"
            guard fm.fileExists(atPath: gz) else {
                throw PlanError("\(data): no history.csv or history.csv.gz (the synthetic-cn-bank dataset of ../shared/datasets is missing); give --data DIR", .usage)
            }
            history = scratch + "/history.csv"
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["gzip", "-dc", gz]
            _ = fm.createFile(atPath: history, contents: nil)
            p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: history))
            try p.run()
            p.waitUntilExit()
            guard p.terminationStatus == 0 else { throw PlanError("gzip -dc \(gz) failed (status \(p.terminationStatus))", .dataError) }
        }
        let truthPath = data + "/truth-days.csv"
        guard let text = try? String(contentsOfFile: truthPath, encoding: .utf8) else { throw PlanError("\(truthPath): missing; give --data DIR", .usage) }
        var truth: [String: [Int64: Double]] = [:]
        for (i, line) in text.split(separator: "\n").enumerated() where i > 0 {
            let f = line.split(separator: ",")
            guard f.count >= 3, let day = Civil.parseDate(String(f[0])), let v = Double(f[2]) else {
                throw PlanError("\(truthPath) line \(i + 1): expected date,channel,expected_total", .dataError)
            }
            truth[String(f[1]), default: [:]][day] = v
        }
        var config = WorkspaceConfig()
        config.timeZone = "Asia/Shanghai"
        config.weekend = [5, 6]  // Saturday, Sunday (0 = Monday)
        let zone = try config.zone()
        let store = try Store(path: scratch + "/s.sqlite", create: true)
        _ = try store.ingest([try HistoryParser(zone: zone).parse(path: history)])
        let events = try EventsParser.parse(path: calendar).events
        _ = try store.importEvents(events)
        return EventsBenchData(store: store, config: config, zone: zone, truth: truth, events: events)
    }
}
