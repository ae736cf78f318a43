import ArgumentParser
import CommandLineSupport
import Foundation
import Pipeline
import PlanningCore
import Store

/// A day or a range of days, `YYYY-MM-DD` or `YYYY-MM-DD..YYYY-MM-DD`, or a usage error naming `option`.
func dayRange(_ text: String, option: String) throws -> ClosedRange<Int64> {
    let parts = text.components(separatedBy: "..")
    guard parts.count <= 2, let first = Civil.parseDate(parts[0]), let last = parts.count == 2 ? Civil.parseDate(parts[1]) : first else {
        throw ValidationError("\(option) \(text): write YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD")
    }
    guard last >= first else { throw ValidationError("\(option) \(text): the range ends before it starts") }
    guard last - first < 366 else { throw ValidationError("\(option) \(text): a range is at most 366 days") }
    return first...last
}

extension Events {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a dated event (one row per day of a range) to the workspace's calendar.",
            discussion: """
                The same rows as an events CSV (`peakplan events import`): keyed by (date, name, channel), so adding
                again updates the kind and windows. A range adds the event on every day of it (a multi-day holiday);
                --lead-days / --lag-days are the days before / after each day that the event also affects.
                Example:
                  peakplan events add --workspace shop --name "618" --kind sales --date 2026-06-18 --lead-days 17 --lag-days 2
                  peakplan events add --workspace shop --name "National Day" --kind holiday --date 2026-10-01..2026-10-07
                """
        )
        @OptionGroup var ws: WorkspaceOptions
        @Option(help: "Event name.") var name: String
        @Option(help: ArgumentHelp("holiday, sales, billing, custom or anomaly.", valueName: "kind")) var kind: String
        @Option(help: ArgumentHelp("A day (YYYY-MM-DD) or a range (YYYY-MM-DD..YYYY-MM-DD).", valueName: "date")) var date: String
        @Option(help: "Only this channel (default: every channel).") var channel: String?
        @Option(help: "Days before the event that it also affects.") var leadDays: Int = 0
        @Option(help: "Days after the event that it also affects.") var lagDays: Int = 0
        @Option(
            help: ArgumentHelp(
                "Expected total change against a normal day as a fraction (1.5 = +150%, -0.4 = -40%): the prior used while the event has no history, which the data move once it has.",
                valueName: "fraction"))
        var change: Double?

        func validate() throws {
            if let why = InputRules.problem(withName: name, use: .label) { throw ValidationError("--name \(why): \(InputRules.nameFix)") }
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--name is empty") }
            guard EventKind(rawValue: kind) != nil else {
                throw ValidationError("--kind \(kind): use one of \(EventKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard (0...366).contains(leadDays), (0...366).contains(lagDays) else { throw ValidationError("--lead-days and --lag-days are 0-366 days") }
            _ = try dayRange(date, option: "--date")
            if let c = change, !(c.isFinite && c > -1) { throw ValidationError("--change \(c): must be a number above -1 (a fraction: 0.5 = +50%)") }
        }

        func run() throws {
            do {
                _ = try ws.loadConfig()
                let store = try ws.openStore()
                let days = try dayRange(date, option: "--date")
                let events = days.map {
                    CalendarEvent(day: $0, name: name, kind: EventKind(rawValue: kind)!, channel: channel, leadDays: leadDays, lagDays: lagDays, expectedChange: change)
                }
                let r = try store.importEvents(events)
                print(
                    "events: \(name) (\(kind)\(channel.map { ", channel \($0)" } ?? "")) on \(days.count) day\(days.count == 1 ? "" : "s"): \(r.inserted) added, \(r.updated) updated, \(r.unchanged) unchanged"
                )
            } catch { throw failure(error) }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove dated events by name (on a day or range when given).",
            discussion: """
                Example:
                  peakplan events remove --workspace shop --name "618" --date 2026-06-18
                  peakplan events remove --workspace shop --name "staff party"
                """
        )
        @OptionGroup var ws: WorkspaceOptions
        @Option(help: "Event name.") var name: String
        @Option(help: ArgumentHelp("Only on this day or range (YYYY-MM-DD[..YYYY-MM-DD]).", valueName: "date")) var date: String?
        @Option(help: "Only the event's rows for this channel (default: all its rows).") var channel: String?

        func validate() throws { if let d = date { _ = try dayRange(d, option: "--date") } }

        func run() throws {
            do {
                _ = try ws.loadConfig()
                let store = try ws.openStore()
                let days = try date.map { try dayRange($0, option: "--date") }
                let n = try store.removeEvents(name: name, fromDay: days?.lowerBound, toDay: days?.upperBound, channel: channel)
                guard n > 0 else {
                    throw fail(
                        "no event named \(InputRules.printable(name))\(date.map { " on \($0)" } ?? "")\(channel.map { " for channel \($0)" } ?? "") in \(ws.storePath) (see `peakplan events list`)",
                        code: Exit.noInput)
                }
                print("events: removed \(n) row\(n == 1 ? "" : "s") of \(name)")
            } catch { throw failure(error) }
        }
    }
}
