import ArgumentParser
import CommandLineSupport
import Foundation
import Pipeline

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show or check the workspace configuration (peakplan.toml).",
        subcommands: [Show.self, Check.self],
        defaultSubcommand: Show.self
    )

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the effective configuration: every section decoded, defaults written out.",
            discussion: """
                The output is a valid peakplan.toml that means the same as the workspace's: each section is rebuilt
                from its typed value with every default filled in ([staffing] quantile and shrinkage, [schedule]
                limits and rule weights, [roster] weights, templates and contracts, [plan]). Scenarios are printed as
                written. Comments at the end give the staffing each channel gets (declared channels and, when the
                store exists, every ingested channel). Exit 78 names line and key when the file is invalid.

                Example:
                  peakplan config show --workspace bank
                  peakplan config show --workspace bank --out effective.toml
                """
        )
        @OptionGroup var ws: WorkspaceOptions
        @Option(name: .long, help: ArgumentHelp("Write to FILE (atomically) instead of stdout.", valueName: "file"))
        var out: String?

        func run() throws {
            do {
                let c = try ws.ws.loadConfiguration()
                try writeOrPrint(c.render(channels: ws.ws.storedChannelNames()), out: out)
            } catch { throw failure(error) }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate every section of peakplan.toml (exit 0, or 78 naming line and key).",
            discussion: """
                Decodes the whole file as `plan` would, including every [scenarios.NAME] and each channel's staffing.

                Example:
                  peakplan config check --workspace bank
                """
        )
        @OptionGroup var ws: WorkspaceOptions

        func run() throws {
            do {
                let c = try ws.ws.loadConfiguration()
                let channels = (c.workspace.channels.map(\.name) + ws.ws.storedChannelNames())
                for ch in Set(channels).sorted() {
                    do { _ = try c.staffing.settings(for: ch) } catch { throw PlanError("\(ws.configPath): \(error.description)", .config) }
                }
                print(
                    "\(ws.configPath): ok (\(Set(channels).count) channels, schedule \(c.schedule == nil ? "absent" : "\(c.schedule!.groups.count) groups, \(c.schedule!.templates.count) templates"), \(c.scenarios.count) scenarios)"
                )
            } catch { throw failure(error) }
        }
    }
}

/// Writes `text` to `out` atomically, or prints it.
private func writeOrPrint(_ text: String, out: String?) throws {
    if let out { try writeTextFile(out, text) } else { FileHandle.standardOutput.write(Data(text.utf8)) }
}
