import ArgumentParser
import CommandLineSupport
import Foundation
import PlanningCore
import Reports
import Rostering
import Routing
import Scheduling
import Store
import Pipeline

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Plan end to end from the workspace: checks, backtest, forecast, staff, report; one summary.",
        discussion: """
        Stages (timed, progress on stderr): history checks -> backtest of every model -> forecast (default model)
        -> [scenario changes] -> staffing requirement -> schedule (when peakplan.toml has a [schedule] table) ->
        roster (when an agents file is given) -> routing weights (with a schedule) -> report. Every channel is
        planned at the workspace's planning interval (interval_minutes in peakplan.toml; finer data is summed up
        to it). The schedule covers the queues its [[schedule.groups]] serve; when the hard rules cannot all be
        met it is solved again with priced understaffing and the short intervals are reported (set
        soft_fallback = false under [plan] to stop with exit 65 instead).

          [plan]
          agents = "agents.csv"      # agents CSV for the roster stage (relative to the workspace); or --agents
          roster_weeks = 2           # 1-6 (default: whole weeks of the horizon)
          soft_fallback = true

        Outputs go to <workspace>/plan/: forecast-*.csv, peaks-*.csv, backtest-*.csv, staffing.csv, schedule.csv,
        coverage.csv, routing.csv, roster.csv, roster.html and report/ (index.html, report.md). Schedules and
        rosters are also stored (the report and `peakplan compare` read them). Re-running with unchanged inputs
        (history, events, configuration, agents, options) reuses the stored results and says so. A plan is written
        into plan.partial-PID/ and replaces plan/ only when every stage succeeded; a plan that fails leaves the
        previous plan/ as it was and undoes the runs its stages stored.
        --correct (with a roster) then corrects the roster by simulation: requirement -> roster -> simulation,
        repeated. Each round simulates the roster as the simulate stage does (priority routing, 20 replications,
        the same random numbers every round); where a queue-interval with 10+ contacts misses its service-level
        target and the roster covered its requirement, the requirement there becomes one agent more than the roster
        put on the queue (with --correct-overtime, from the second round the roster's overtime offers are worked
        first); where the roster is still short, the named agents are the limit and agents are hired
        (HIRE-<queue>-<n>, with the most common skill mix and contract of the named agents whose best skill is that
        queue; at least the short hours at full weekly hours); where service is 10+ points above target the
        requirement drops by one. It stops when 95% of those queue-intervals meet their target, after 2 rounds
        without progress, or after --correct-iterations rounds (default 10). correction.csv has one row per round
        (share meeting, hires by skill set, overtime, paid hours); corrected-roster.csv the corrected roster and
        correction-overtime.csv the overtime worked on it (empty without --correct-overtime); the summary
        compares its paid hours with the Erlang-per-queue requirement (each queue's on-shift requirement rounded
        per queue and interval): what pooling saves or costs. The plan's own roster, routing and simulation stay
        those of the named agents.
        Exit codes: 0 planned; 65 bad data or an infeasible schedule without soft fallback; 66 missing input;
        75 the schedule's time limit came first; 78 configuration error.
        Example:
          peakplan plan --workspace demo --horizon 14d
          peakplan plan --workspace demo --correct --correct-iterations 8
        """
    )
    @OptionGroup var ws: WorkspaceOptions
    @Option(help: ArgumentHelp("Forecast horizon: days (14d) or hours (36h).", valueName: "length")) var horizon: String = "14d"
    @Flag(help: "Run every stage even when the inputs are unchanged.") var force = false
    @Option(help: ArgumentHelp("Plan a what-if scenario from [scenarios.NAME] in a copy of the workspace (<workspace>/scenarios/NAME).", valueName: "name"))
    var scenario: String?
    @Option(help: ArgumentHelp("Agents CSV for the roster stage (default: [plan] agents in peakplan.toml).", valueName: "file.csv"))
    var agents: String?
    @Flag(help: "Correct the roster by simulation (hiring where the named agents are the limit); writes correction.csv and corrected-roster.csv.")
    var correct = false
    @Option(help: ArgumentHelp("Most correction rounds (with --correct; 1-50).", valueName: "n")) var correctIterations: Int?
    @Flag(help: "With --correct: work the roster's overtime offers before hiring (correction-overtime.csv).") var correctOvertime = false

    func validate() throws {
        if let n = correctIterations {
            guard correct else { throw ValidationError("--correct-iterations \(n) needs --correct") }
            guard (1...50).contains(n) else { throw ValidationError("--correct-iterations \(n): give 1 to 50 rounds") }
        }
        if correctOvertime && !correct { throw ValidationError("--correct-overtime needs --correct") }
        // The same horizon forms `forecast` takes (days or hours), checked before any stage writes.
        guard PlanHorizon(horizon) != nil else { throw ValidationError("--horizon \(horizon): write days from 1d to 366d (e.g. 14d) or hours from 1h (e.g. 36h)") }
    }

    func run() throws {
        do {
            var req = PlanRequest(workspace: ws.ws, horizon: PlanHorizon(horizon)!, version: PeakPlan.configuration.version)
            req.force = force; req.scenario = scenario; req.agents = agents
            if correct { req.correctIterations = correctIterations ?? 10 }
            req.correctOvertime = correctOvertime
            print(try PlanRunner.run(req).summary, terminator: "")
        } catch { throw failure(error) }
    }
}
