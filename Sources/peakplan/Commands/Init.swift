import ArgumentParser
import CommandLineSupport
import Foundation
import Pipeline
import PlanningCore
import Reports
import Store

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a workspace: peakplan.toml (configuration) and peakplan.sqlite (store).",
        discussion: """
        Example:
          peakplan init --workspace bank --time-zone +02:00 --weekend fri,sat --channel voice:voice
        An existing workspace is left alone unless --force is given (which rewrites peakplan.toml and keeps the store).
        """
    )

    @OptionGroup var ws: WorkspaceOptions

    @Option(help: ArgumentHelp("Time zone of all timestamps: IANA name (Asia/Shanghai) or fixed offset (+02:00, UTC).", valueName: "zone"))
    var timeZone: String = WorkspaceConfig().timeZone

    @Option(help: ArgumentHelp("Planning interval in minutes (5, 6, 10, 15, 30, 60).", valueName: "minutes"))
    var interval: Int = WorkspaceConfig().intervalMinutes

    @Option(help: ArgumentHelp("Non-business days, comma-separated (e.g. sat,sun or fri,sat).", valueName: "days"))
    var weekend: String = "sat,sun"

    @Option(name: .customLong("channel"), help: ArgumentHelp("Declare a channel as NAME[:KIND] (kind: voice, chat, email, social, app, backoffice). Repeatable.", valueName: "name[:kind]"))
    var channels: [String] = []

    @Flag(help: "Rewrite peakplan.toml of an existing workspace (the store is kept).")
    var force = false

    func validate() throws {
        do { _ = try ZoneRules(timeZone) } catch { throw ValidationError(error.description) }
        guard IntervalLength.isAllowed(interval) else {
            throw ValidationError("--interval \(interval) is not supported; use one of \(IntervalLength.allowedText)")
        }
        for d in weekend.split(separator: ",") where !WorkspaceConfig.weekdayKeys.contains(d.lowercased().trimmingCharacters(in: .whitespaces)) {
            throw ValidationError("--weekend: \"\(d)\" is not a weekday; use mon, tue, wed, thu, fri, sat, sun")
        }
        for c in channels {
            let parts = c.split(separator: ":", maxSplits: 1).map(String.init)
            guard let n = parts.first, !n.isEmpty else { throw ValidationError("--channel needs a name, e.g. voice:voice") }
            if parts.count == 2, ChannelKind(rawValue: parts[1]) == nil {
                throw ValidationError("--channel \(c): kind \"\(parts[1])\" is not one of \(ChannelKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
    }

    func run() throws {
        do {
            var config = WorkspaceConfig()
            config.timeZone = timeZone
            config.intervalMinutes = interval
            config.weekend = weekend.split(separator: ",").compactMap { WorkspaceConfig.weekdayKeys.firstIndex(of: $0.lowercased().trimmingCharacters(in: .whitespaces)) }.sorted()
            var seen = Set<String>()
            for c in channels {
                let parts = c.split(separator: ":", maxSplits: 1).map(String.init)
                guard seen.insert(parts[0]).inserted else { continue }
                config.channels.append(ChannelConfig(name: parts[0], kind: parts.count == 2 ? ChannelKind(rawValue: parts[1])! : .voice))
            }
            let version = try ws.ws.create(config, force: force)
            print("workspace \(ws.workspace): wrote \(WorkspaceConfig.fileName) (time zone \(timeZone), \(interval)-minute planning interval); store \(Store.fileName) at schema version \(version)")
        } catch { throw failure(error) }
    }
}
