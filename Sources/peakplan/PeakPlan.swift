import ArgumentParser
import CommandLineSupport
import Foundation
import Pipeline

@main
struct PeakPlan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peakplan",
        abstract: "Contact-centre workforce management: forecast, staff, schedule, roster, route.",
        discussion: """
        A workspace is a folder holding peakplan.toml (configuration) and peakplan.sqlite (store).

        Example:
          peakplan init --workspace ws --time-zone Asia/Shanghai
          peakplan ingest --workspace ws history.csv
          peakplan history --workspace ws
          peakplan simulate --instance Datasets/simulation/anonbank_demo_2w.json

        Exit codes:
          0   success
          1   unexpected failure
          64  usage error (bad option or argument)
          65  bad input data (the message names file, line, column and value; nothing was written), or
              schedule/plan: no schedule satisfies the hard rules (queues, intervals and rules named)
          66  input file missing or unreadable
          73  cannot create an output file
          74  store error (database cannot be opened or written)
          75  schedule/plan: the solver's time limit came before every part had a schedule
          78  configuration error (peakplan.toml; the message names line and key)
        """,
        version: "0.1.0",
        subcommands: [Init.self, Ingest.self, History.self, Events.self, BacktestCommand.self, ForecastCommand.self, Erlang.self, Staff.self, ScheduleCommand.self, RosterCommand.self, RouteCommand.self, SimulateCommand.self, ReportCommand.self, PlanCommand.self, CompareCommand.self, ConfigCommand.self]
    )

    /// Names the unknown subcommand (and the nearest known one) instead of ArgumentParser's complaint about
    /// the first option that follows it (`peakplan histroy --workspace x` said "Unknown option '--workspace'").
    static func main() {
        Diagnostics.setProgress { Progress($0) }
        let args = Array(CommandLine.arguments.dropFirst())
        if let first = args.first, let message = unknownSubcommandMessage(first) {
            FileHandle.standardError.write(Data(("peakplan: error: " + message + "\n").utf8))
            Self.exit(withError: ExitCode(64))
        }
        Self.main(args)
    }

    static var subcommandNames: [String] { configuration.subcommands.map { $0._commandName } + ["help"] }

    /// nil when `word` is an option or a known subcommand.
    static func unknownSubcommandMessage(_ word: String) -> String? {
        guard !word.hasPrefix("-"), !subcommandNames.contains(word) else { return nil }
        let shown = word.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : String($0) }.joined()
        let ranked = subcommandNames.filter { $0 != "help" }.map { ($0, editDistance(word.lowercased(), $0)) }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        var m = "unknown subcommand '\(shown)'"
        if let best = ranked.first, best.1 <= max(2, best.0.count / 3) { m += "; did you mean '\(best.0)'?" }
        return m + " Subcommands: " + subcommandNames.filter { $0 != "help" }.joined(separator: ", ") + " (see `peakplan --help`)"
    }

    /// Levenshtein distance (insertions, deletions, substitutions; a swap of neighbours counts 1).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[x.count][y.count]
    }
}
