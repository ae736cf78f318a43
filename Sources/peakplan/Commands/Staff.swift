import ArgumentParser
import CommandLineSupport
import Foundation
import Ingest
import PlanningCore
import Reports
import Staffing
import Store
import Pipeline

struct Staff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff",
        abstract: "Agents required per channel and interval from the newest forecast (or a CSV): Erlang C/A, chat, email deadlines.",
        discussion: """
        Reads the newest stored forecast of each channel (`peakplan forecast`), or
        --input FILE.csv with header interval_start,channel,volume,aht_seconds
        (local wall-clock time, like history files; aht_seconds may be empty where
        [staffing] aht_seconds gives a fallback). Prints per channel and interval:
          interval_start,channel,volume,aht_seconds,agents,agents_fractional,
          scheduled,service_level,asa_seconds,occupancy,prob_abandon
        agents = productive (on-queue) whole agents, the fewest meeting every target;
        agents_fractional = the exact continuous requirement (for blended planning);
        scheduled = agents / ((1 - planned)(1 - unplanned shrinkage)), not rounded;
        metrics at `agents` as in `peakplan erlang` (service level = answered within
        answer_seconds over all arrivals; ASA over all arrivals; prob_abandon empty
        for Erlang C; service level, ASA and abandonment empty for deadline work).
        A summary per channel (agent-hours, peak) goes to stderr. The result is
        stored in the workspace for scheduling (--no-store to skip).

        Models by channel kind ([[channels]] kind; undeclared channels are voice):
          voice, social, app  Erlang C; Erlang A when a patience is configured
          chat                concurrency slots: up to max_concurrency chats per agent,
                              handle time x factor(j) at j chats (ChatStaffing)
          email, backoffice   deadline staffing: work finished within deadline_hours
                              business hours, backlog carried (DeadlineStaffing)
        Targets: [service] service_level, answer_seconds, max_occupancy, shrinkage
        ([[channels]] may override service_level and answer_seconds), plus:

          [staffing]                       (every key optional; also per channel)
          quantile = "mean"                mean | p90 | p97.5: forecast value to staff
                                           to (p90 = hi80, the upper bound of the 80%
                                           interval; p97.5 = hi95, of the 95% interval)
          patience_seconds = 120           mean patience: voice/social/app -> Erlang A
          max_asa_seconds = 30             mean wait over all arrivals
          max_abandon = 0.05               share abandoning (needs a patience)
          planned_shrinkage = 0.25         default: [service] shrinkage
          unplanned_shrinkage = 0.08       default 0; total = 1 - (1-p)(1-u)
          planned_shrinkage_by_weekday = { fri = 0.35 }
          unplanned_shrinkage_by_weekday = { sun = 0.12 }
          max_concurrency = 3              chat: most chats per agent
          concurrency_factors = [1.0, 1.3, 1.7]   handle-time factor at 1, 2, 3 chats
          deadline_hours = 24              email/backoffice: business hours to finish
          open_hours = "08:00-20:00"       business hours (default all day)
          open_days = ["sun","mon","tue","wed","thu"]  default: days not in weekend
          deadline_curve = "levelled"      levelled (least peak) or latest
          aht_seconds = 300                handle time where the forecast has none
          max_agents = 40                  seats per interval: caps the plan
          [[staffing.channels]]            per-channel overrides of the keys above
          name = "voice"                   plus model = "erlang_c" | "erlang_a" |
          model = "erlang_a"               "chat" | "deadline", and max_occupancy

        With max_agents, intervals needing more are planned at the cap and listed;
        Erlang C at or below its offered load has no steady state (service level 0,
        no finite ASA): those intervals are named and Erlang A is suggested.

        Example:
          peakplan forecast --workspace demo --aggregate 30 --horizon 14d
          peakplan staff --workspace demo --format csv --out requirements.csv
          peakplan staff --workspace demo --channel ps --quantile p90
          peakplan staff --workspace demo --input volumes.csv --no-store

        Exit codes: 65 bad data (the message names channel and interval, or file and
        line); 66 no stored forecast or unreadable input; 78 bad [staffing] or
        [service] setting (the message names line and key).
        """
    )

    @OptionGroup var ws: WorkspaceOptions
    @OptionGroup var output: OutputOptions
    @Option(name: .customLong("channel"), help: "Channels (repeatable; default: every channel with a stored forecast, or in the input).") var channels: [String] = []
    @Option(help: ArgumentHelp("Volume and handle time per interval instead of the stored forecast.", valueName: "file.csv")) var input: String?
    @Option(help: ArgumentHelp("Forecast value to staff to: mean, p90 or p97.5 (overrides [staffing] quantile).", valueName: "quantile"))
    var quantile: String?
    @Flag(help: "Do not store the requirements in the workspace.") var noStore = false

    func validate() throws {
        if let q = quantile, StaffingQuantile(rawValue: q) == nil {
            throw ValidationError("--quantile \(q): use one of mean, p90 (hi80, the forecast's 90th percentile), p97.5 (hi95)")
        }
    }

    func run() throws {
        do {
            var req = StaffingRequest(workspace: ws.ws)
            req.channels = channels; req.inputFile = input; req.quantile = quantile.flatMap(StaffingQuantile.init(rawValue:))
            req.useStore = !(noStore && input != nil)
            let outcome = try StaffingStage.run(req)
            // Write the output first: a bad --out (exit 73) stores nothing.
            try output.emit(outcome.table(title: output.format.format == .table).render(output.format.format))
            if !noStore { _ = try outcome.save(into: try ws.openStore()) }
        } catch { throw failure(error) }
    }
}
