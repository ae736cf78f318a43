import ArgumentParser
import CommandLineSupport
import Foundation
import Pipeline
import PlanningCore
import Reports
import Store

/// `peakplan forecast adjust`: a planner's override of the forecast, stored apart from the statistical forecast.
struct ForecastAdjust: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adjust",
        abstract: "Override the forecast of a day or interval range (set or scale, with a reason); list and remove overrides.",
        discussion: """
            An adjustment is stored in the workspace and applied to every later `peakplan forecast` and `peakplan plan`
            of the channel. The statistical forecast is kept beside it: the forecast output's statistical_mean column
            holds the model's value and adjustment_id the adjustment applied; the stored forecast keeps both.
              --date D or --date D1..D2   whole local days; --set N gives each day's total (spread over the day
                                          in the forecast's own shape)
              --from T --to T             an interval range (local times, --to exclusive); --set N gives each
                                          interval's contacts
              --scale X                   multiplies the forecast (and its intervals) by X
            Options of `peakplan forecast` given with it: --workspace, --channel (the channel to adjust; with --list
            only its adjustments), --format and --out (for --list).
            Adjustments apply in the order they were made, each to the result of the earlier ones. Precedence:
            a scenario's event size > a planner adjustment > the effect learnt from history; a scenario's volume
            changes then multiply the result.
            Example:
              peakplan forecast adjust --workspace demo --channel voice --date 2000-01-03 --set 9000 --reason "mailing lands"
              peakplan forecast adjust --workspace demo --channel ps --from 2000-01-02T09:00 --to 2000-01-02T12:00 --scale 1.3 --reason "outage callbacks"
              peakplan forecast adjust --workspace demo --list
              peakplan forecast adjust --workspace demo --remove 2
            """
    )
    // --workspace, --format, --out and --channel are the forecast command's own options (read from it: an
    // option of the same name here would never see its value).
    @ParentCommand var forecast: ForecastCommand
    var ws: WorkspaceOptions { forecast.ws }
    var output: OutputOptions { forecast.output }
    /// The channel to adjust (with --list: only its adjustments).
    var channel: String? { forecast.channels.last }
    @Option(help: ArgumentHelp("A day (YYYY-MM-DD) or a range of days (YYYY-MM-DD..YYYY-MM-DD).", valueName: "date")) var date: String?
    @Option(help: ArgumentHelp("First interval (local ISO 8601 time).", valueName: "timestamp")) var from: String?
    @Option(help: ArgumentHelp("End of the interval range (local time, exclusive).", valueName: "timestamp")) var to: String?
    @Option(help: ArgumentHelp("Set the forecast: contacts per day (--date) or per interval (--from/--to).", valueName: "N")) var set: Double?
    @Option(help: ArgumentHelp("Multiply the forecast by this factor.", valueName: "x")) var scale: Double?
    @Option(help: "Why (stored and shown in reports).") var reason: String?
    @Flag(help: "List the stored adjustments.") var list = false
    @Option(help: ArgumentHelp("Remove the adjustment with this id.", valueName: "id")) var remove: Int64?

    func validate() throws {
        guard forecast.channels.count <= 1 else { throw ValidationError("an adjustment is for one channel: give --channel once") }
        if list || remove != nil {
            guard !(list && remove != nil), date == nil, from == nil, to == nil, set == nil, scale == nil, reason == nil else {
                throw ValidationError("--list and --remove take no other adjustment options (--list may take --channel)")
            }
            return
        }
        guard channel != nil else { throw ValidationError("give --channel (or --list, or --remove ID)") }
        guard (date != nil) != (from != nil || to != nil) else { throw ValidationError("give either --date D[..D2] or --from T --to T") }
        if date == nil && (from == nil || to == nil) { throw ValidationError("an interval range needs both --from and --to") }
        guard (set != nil) != (scale != nil) else { throw ValidationError("give either --set N or --scale X") }
        if let n = set, !(n >= 0 && n.isFinite) { throw ValidationError("--set \(n): contacts must be a number >= 0") }
        if let x = scale, !(x >= 0 && x.isFinite) { throw ValidationError("--scale \(x): the factor must be a number >= 0") }
        guard let r = reason?.trimmingCharacters(in: .whitespaces), !r.isEmpty else {
            throw ValidationError("give --reason: why the forecast is overridden (it is shown in the reports)")
        }
        if let why = InputRules.problem(withName: r, use: .label) { throw ValidationError("--reason \(why)") }
    }

    /// The range as (unit, from, to) in local seconds, or a usage error naming the option.
    func range() throws -> (Store.ForecastAdjustment.Unit, Int64, Int64) {
        if let d = date {
            let parts = d.components(separatedBy: "..")
            guard parts.count <= 2, let first = Civil.parseDate(parts[0]), let last = parts.count == 2 ? Civil.parseDate(parts[1]) : first else {
                throw fail("--date \(d): write YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD", code: Exit.usage)
            }
            guard last >= first else { throw fail("--date \(d): the range ends before it starts", code: Exit.usage) }
            return (.day, first * Civil.secondsPerDay, (last + 1) * Civil.secondsPerDay)
        }
        guard let f = try? Civil.parseTimestamp(from!).get().localSeconds else {
            throw fail("--from \(from!): write an ISO 8601 local time such as 2026-06-18T09:00", code: Exit.usage)
        }
        guard let t = try? Civil.parseTimestamp(to!).get().localSeconds else {
            throw fail("--to \(to!): write an ISO 8601 local time such as 2026-06-18T12:00", code: Exit.usage)
        }
        guard t > f else { throw fail("--to \(to!) is not after --from \(from!)", code: Exit.usage) }
        return (.interval, f, t)
    }

    func run() throws {
        do {
            _ = try ws.loadConfig()
            let store = try ws.openStore()
            if list { return try output.emit(ForecastOverrides.table(try store.adjustments(channel: channel)).render(output.format.format)) }
            if let id = remove {
                guard try store.removeAdjustment(id: id) else {
                    throw fail("no forecast adjustment #\(id) in \(ws.storePath) (see `peakplan forecast adjust --list`)", code: Exit.noInput)
                }
                print("forecast adjust: removed #\(id); forecasts and plans from now on leave it out")
                return
            }
            let name = channel!
            guard try store.channels().contains(where: { $0.name == name }) else {
                throw fail("no channel \(name) in the store (have: \(try store.channels().map(\.name).joined(separator: ", ")))", code: Exit.usage)
            }
            let (unit, f, t) = try range()
            var a = Store.ForecastAdjustment(
                channel: name, unit: unit, fromLocal: f, toLocal: t, operation: set != nil ? .set : .scale, value: set ?? scale!,
                reason: reason!.trimmingCharacters(in: .whitespaces))
            a.id = try store.addAdjustment(a)
            let d = ForecastOverrides.describe(a)
            print(
                "forecast adjust: #\(a.id) stored: \(name) \(d.range) \(d.change) (\(a.reason)); every forecast and plan of \(name) applies it from now on (statistical_mean keeps the model's value). Undo: peakplan forecast adjust --remove \(a.id)"
            )
        } catch { throw failure(error) }
    }
}
