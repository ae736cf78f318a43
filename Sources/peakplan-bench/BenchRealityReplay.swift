import ArgumentParser
import CommandLineSupport
import Foundation
import Pipeline
import PlanningCore
import Reports
import Simulation

extension Bench {
    /// The 1999 call records replayed through the simulator, scored per interval beside Erlang C and Erlang A.
    struct RealityReplayBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reality-replay",
            abstract:
                "Reality replay: the 1999 call records through the simulator; simulated vs observed service level per 30-minute interval, beside Erlang C/A and the noise floor.",
            discussion: """
                Replays every offered call of the "Anonymous Bank" records (Datasets/anonbank-calls-1999)
                through a trace-driven multi-skill simulation (Simulation.Replay):
                  arrivals  the recorded queue entries (arrival + vru_seconds), with type and priority
                  handle    the recorded talk time (capped at 1 hour); abandoned calls draw one from the
                            same type's answered calls of the same month
                  patience  Kaplan-Meier per service type from abandonments (served waits censored),
                            fitted on January-June, drawn per call
                  agents    each server's working sessions (services merged while the idle gap is at most
                            --session-gap minutes), skills = the types it answered (>= 2% of its calls
                            or >= 20 calls)
                  routing   longest credited wait among an agent's skills (priority-2 customers credited
                            90 s, as the Technion documentation says); longest-idle agent for an arrival
                  after-call work  unavailable time after each service, fitted on January-June (the
                            agents' availability within their sessions)
                Scores July-October intervals with >= --min-calls offered calls (those the staffing check
                compares), prints the headline (median, middle 50%, mean absolute SL error) for the
                simulation beside Erlang C, Erlang A and the sampling-noise floor, and the alternatives tried.
                Seeded: the same data and seed give the same figures. With --format csv|json one
                table: the alternatives with --alternatives, else the headline.
                Example:
                  peakplan-bench reality-replay
                  peakplan-bench reality-replay --replications 5 --alternatives
                """
        )
        @Option(help: ArgumentHelp("Call-level records (calls.csv of anonbank-calls-1999).", valueName: "path"))
        var calls: String = "Datasets/anonbank-calls-1999/calls.csv"
        @Option(help: ArgumentHelp("Service level threshold T in seconds.", valueName: "seconds")) var answerSeconds: Double = 20
        @Option(help: ArgumentHelp("Score only intervals with at least this many offered calls.", valueName: "calls")) var minCalls: Int = 10
        @Option(help: ArgumentHelp("Idle gap that ends an agent's working session (minutes).", valueName: "minutes")) var sessionGap: Double = 20
        @Option(help: "Replications averaged per interval.") var replications: Int = 16
        @Option(help: "Seed.") var seed: UInt64 = 1999
        @Flag(help: "Also run the alternatives (each refitted on January-June) and print their table.") var alternatives = false
        @Option(help: ArgumentHelp("Run only the alternatives whose name contains this text (with --alternatives).", valueName: "text")) var only: String?
        @OptionGroup var output: OutputOptions

        func validate() throws {
            try validateReplayOptions(answerSeconds: answerSeconds, minCalls: minCalls, sessionGap: sessionGap, replications: replications)
        }

        func run() throws {
            do {
                let t0 = Date()
                let data = try CallData.read(path: calls)
                let check = RealityCheck(data: data, agents: data.sessionAgents(gapSeconds: sessionGap * 60), answerSeconds: answerSeconds, minCalls: minCalls)
                let replay = RealityReplay(data: data, check: check, replications: replications, seed: seed)
                let rep = replay.report(sessionGap: sessionGap, alternatives: alternatives, only: only)
                let main = rep.main, format = output.format.format
                let headline = replay.headlineTable(main, rep.asCheck, title: format == .table ? replay.headlineTitle : nil)
                let alts = replay.alternativesTable(
                    [main, rep.asCheck] + rep.alternatives,
                    title: format == .table ? "Alternatives tried (each fitted on January-June; July-October scored)" : nil)
                if format == .table {
                    try output.emit(headline.render(format))
                    try output.emit(replay.bandTable(main, title: "By load band (offered load per agent on duty), July-October").render(format))
                    if alternatives { try output.emit(alts.render(format)) }
                } else {
                    // One document per run: the alternatives table when asked for (it holds the fitted model's row), else the headline.
                    try output.emit((alternatives ? alts : headline).render(format))
                }
                Diagnostics.info(String(format: "bench reality-replay: %@; %.1f s", replay.summary(main), Date().timeIntervalSince(t0)))
            } catch { throw failure(error) }
        }
    }
}

extension RealityReplay {
    /// One modelling choice.
    struct Choice {
        enum Patience: String {
            case kaplanMeierByType = "Kaplan-Meier per type", kaplanMeier = "Kaplan-Meier, one for all types", exponential = "exponential (MLE)", none = "none (nobody abandons)"
        }
        enum Skills { case records, all }
        var name: String
        /// Minutes; nil: chosen among `gapCandidates` by the training error (each with its after-call work fitted).
        var sessionGap: Double?
        /// Seconds credited by priority value (0, 1, 2).
        var credit: [Double] = [0, 0, 90]
        /// Static priority per type name (lower first); nil: longest credited wait.
        var typeRank: [String: Int]?
        var patience: Patience = .kaplanMeierByType
        var skills: Skills = .records
        /// After-call work: fitted when nil; exponential or constant.
        var afterWork: Double?
        var afterWorkExponential = true
        /// After-call work proportional to the call's talk time (`afterWork` is then the value at the mean
        /// talk time, 190 s).
        var afterWorkProportional = false
        /// Breaks inside sessions: after a service the agent is away, with a fitted probability, for an idle gap
        /// drawn from the training months' gaps between 5 minutes and the session gap (what a short gap would
        /// have cut out of the sessions, placed at random instead of where it happened).
        var breaks = false
        static let gapCandidates: [Double] = [2.5, 5, 7.5, 10, 15, 20, 30]
        static let breakCandidates: [Double] = [0.01, 0.02, 0.04, 0.08]

        /// The model: session gap and after-call work fitted on January-June.
        static let standard = Choice(name: "replay: session gap and after-call work fitted", sessionGap: nil, afterWorkProportional: true)

        /// The standard choice with the staffing check's agents on duty (its session gap), after-call work fitted.
        static func staffingCheckAgents(sessionGap: Double) -> Choice {
            var c = standard
            c.sessionGap = sessionGap
            c.name = "replay: the staffing check's agents (sessions, gap \(gapName(sessionGap)) min), after-call work fitted"
            return c
        }

        /// One change at a time from the standard choice with its fitted gap (`gap`), each refitted.
        static func alternatives(fittedGap gap: Double) -> [Choice] {
            var base = standard
            base.sessionGap = gap
            var out: [Choice] = []
            func alt(_ name: String, _ change: (inout Choice) -> Void) { var c = base; c.name = name; change(&c); out.append(c) }
            alt("no after-call work (agents always available in their sessions)") { $0.afterWork = 0 }
            alt("after-call work not proportional to talk time (exponential, fitted mean)") { $0.afterWorkProportional = false }
            alt("after-call work proportional to talk time, not random") { $0.afterWorkExponential = false }
            alt("no priority credit (first come first served)") { $0.credit = [0, 0, 0] }
            alt("static type priorities TT, PS/PE, NE, IN, NW (then longest wait)") { $0.typeRank = ["TT": 0, "PS": 1, "PE": 1, "NE": 2, "IN": 3, "NW": 4] }
            alt("one pool (every agent serves every type)") { $0.skills = .all }
            alt("patience: one Kaplan-Meier for all types") { $0.patience = .kaplanMeier }
            alt("patience: exponential (censored MLE), one for all types") { $0.patience = .exponential }
            alt("no abandonment") { $0.patience = .none }
            for g in Choice.gapCandidates where g != gap && g != 20 {
                alt("sessions, gap \(gapName(g)) min") { $0.sessionGap = g }
            }
            alt("sessions, gap 20 min, random breaks inside sessions (probability fitted)") {
                $0.sessionGap = 20; $0.breaks = true
            }
            alt("sessions, gap 20 min, exponential after-call work (first cut)") {
                $0.sessionGap = 20; $0.afterWorkProportional = false
            }
            return out
        }
    }

    static func gapName(_ g: Double) -> String { g == g.rounded() ? String(Int(g)) : String(format: "%.1f", g) }

}

/// The checks shared by `staffing-check` and `reality-replay` (the same records, the same knobs).
func validateReplayOptions(answerSeconds: Double, minCalls: Int, sessionGap: Double, replications: Int) throws {
    guard answerSeconds >= 0 && answerSeconds <= 3600 else { throw ValidationError("--answer-seconds must be between 0 and 3600") }
    guard minCalls >= 1 else { throw ValidationError("--min-calls must be >= 1") }
    guard sessionGap >= 1 && sessionGap <= 240 else { throw ValidationError("--session-gap must be between 1 and 240 minutes") }
    guard replications >= 2 && replications <= 100 else { throw ValidationError("--replications must be 2-100") }
}
