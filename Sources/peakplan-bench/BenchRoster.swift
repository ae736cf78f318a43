import ArgumentParser
import BenchmarkFixtures
import CommandLineSupport
import Foundation
import Pipeline
import PlanningCore
import Reports
import Rostering
import Scheduling

struct RosterBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roster",
        abstract: "Roster N generated agents over W weeks; prints seconds, hard violations, shortfall beside the group-level schedule's, fairness, preferences.",
        discussion: """
            Deterministic generated case (seeded): N agents, W weeks, 30-minute intervals, 6 queues with the shape of
            the bundled Datasets/anonbank-calls-1999/types-30min.csv (mean volume per weekday and half hour, scaled to
            N agents), mixed contracts (full_time, part_time, flex), about 10% of agent-days time off.

            The same requirement is also solved at group level by the scheduling engine (`peakplan schedule`'s), one
            day at a time: one agent group per skill set and contract, with the contract's templates and a head-count
            limit of the group's agents available that day; coverage is soft at 100 per short agent-hour (intervals no
            template reaches stay short in both). That schedule knows no weekly hours, days off, rest or
            consecutive-day rules, so its shortfall is a floor for the roster's: shortfall_diff_pp = roster minus
            group-level (target: at most 1 point).
            Example:
              peakplan-bench roster --agents 500 --weeks 4
              peakplan-bench roster --agents 100 --weeks 4 --format json
            """
    )
    @Option(help: "Agents to generate.") var agents: Int = 500
    @Option(help: "Weeks (1-6).") var weeks: Int = 4
    @Option(help: "Seed of the generator and the engine.") var seed: UInt64 = 42
    @Option(help: ArgumentHelp("Seconds for the improvement phase.", valueName: "seconds")) var timeLimit: Double = 30
    @Option(help: ArgumentHelp("Seconds for the group-level schedule (all weeks together).", valueName: "seconds")) var scheduleTimeLimit: Double = 120
    @Option(help: ArgumentHelp("Interval data giving the requirement's shape.", valueName: "file.csv")) var data: String = "Datasets/anonbank-calls-1999/types-30min.csv"
    @Flag(help: "Roster only (no group-level schedule): one line with the roster's seconds, metrics, objective and a checksum of its shifts (profiling, result comparison).")
    var rosterOnly = false
    @Flag(
        help:
            "Build the roster without the start limits and queue blocks (Workability.unconstrained) and without the presence weight, as the group-level schedule, a floor for it, has none of them."
    )
    var noWorkabilityLimits = false
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard agents >= 1 && agents <= 20_000 else { throw ValidationError("--agents must be 1-20000") }
        guard (1...6).contains(weeks) else { throw ValidationError("--weeks must be 1-6") }
        guard scheduleTimeLimit > 0 else { throw ValidationError("--schedule-time-limit must be > 0") }
    }

    /// The group-level schedule's coverage of the roster's requirement (see the discussion above).
    struct GroupLevel {
        var shortfallPct: Double
        var seconds: Double
        var groups: Int
        /// Head-count findings (must be 0: the limits are what makes the comparison fair).
        var headcountExcess: Int
        var proven: Bool
    }

    /// One day of the roster problem as a scheduling problem (see `AgentGroupSummary`): the day's requirement,
    /// the roster's templates (break fixed in the middle, as the roster places it), one group per skill set and
    /// contract with at most its available agents that day.
    static func scheduleProblem(_ p: RosterProblem, groups: [AgentGroupSummary], day d: Int) -> ScheduleProblem {
        let range = p.grid.index(day: d, slot: 0)..<p.grid.index(day: d + 1, slot: 0)
        let queues = p.channels.indices.map { c in
            QueueSpec(id: p.channels[c], requirement: p.required[c][range].map(Double.init), understaffing: .soft(costPerAgentHour: 100))
        }
        let templates = p.templates.map { $0.onGrid(p.grid) }
        // Every skill at level 1: levels only order the routing of spare capacity, and the roster counts any
        // skilled agent as full cover.
        let specs = groups.filter { $0.availablePerDay[d] > 0 }.map { g in
            AgentGroupSpec(
                id: g.id, skills: g.channels.map { Skill(queue: $0, level: 1) }, costPerPaidHour: 1,
                templates: g.templates, maxAgentsPerDay: g.availablePerDay[d])
        }
        return ScheduleProblem(
            name: "roster-groups-\(p.date(d))", intervalMinutes: p.grid.minutes, firstDay: p.startDay + Int64(d), days: 1,
            queues: queues, groups: specs, templates: templates)
    }

    static func groupLevel(_ p: RosterProblem, timeLimit: Double) throws -> GroupLevel {
        let t0 = Date()
        let groups = p.groupSummaries()
        var short = 0.0, required = 0.0, excess = 0, proven = true
        for d in 0..<p.days {
            let sp = scheduleProblem(p, groups: groups, day: d)
            var o = EngineOptions()
            o.timeLimit = max(3, (timeLimit - Date().timeIntervalSince(t0)) / Double(p.days - d))
            o.settings.soft = true  // intervals no template reaches stay short (in the roster too) instead of infeasible
            o.settings.headcountExcessCost = 10_000
            var outcome = ScheduleEngine().solve(sp, options: o)
            if outcome.result == nil {  // a day that needs longer (or a busy machine): once more with 4x the time
                o.timeLimit *= 4
                outcome = ScheduleEngine().solve(sp, options: o)
            }
            guard let r = outcome.result else {
                throw fail("group-level schedule of \(p.date(d)): no schedule within \(String(format: "%.1f", o.timeLimit)) s (raise --schedule-time-limit)", code: 1)
            }
            short += r.coverage.shortHours; required += r.coverage.requiredHours
            excess += r.scores.first { $0.rule == HeadcountRule.id }?.findings.count ?? 0
            proven = proven && r.proven
        }
        return GroupLevel(
            shortfallPct: required > 0 ? 100 * short / required : 0, seconds: Date().timeIntervalSince(t0), groups: groups.count,
            headcountExcess: excess, proven: proven)
    }

    /// Mean volume per channel and (weekday x 48 + half hour), channels in first-seen order.
    static func profile(_ path: String) -> (channels: [String], profile: [[Double]])? {
        guard let d = FileManager.default.contents(atPath: path), let text = String(data: d, encoding: .utf8) else { return nil }
        var names: [String] = [], sum: [[Double]] = [], count: [[Double]] = []
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count >= 3, f[0].count >= 16, let day = Civil.parseDate(f[0].prefix(10)), let h = Int(f[0].dropFirst(11).prefix(2)),
                let mi = Int(f[0].dropFirst(14).prefix(2)), let v = Double(f[2])
            else { continue }
            let ch = String(f[1])
            var c = names.firstIndex(of: ch) ?? -1
            if c < 0 { names.append(ch); sum.append(Array(repeating: 0, count: 336)); count.append(Array(repeating: 0, count: 336)); c = names.count - 1 }
            let k = Civil.weekday(ofDay: day) * 48 + (h * 60 + mi) / 30
            sum[c][k] += v; count[c][k] += 1
        }
        guard !names.isEmpty else { return nil }
        return (names, sum.indices.map { c in sum[c].indices.map { count[c][$0] > 0 ? sum[c][$0] / count[c][$0] : 0 } })
    }

    /// The roster's figures in full (`--roster-only`): equal lines mean equal results (FNV-1a over every shift).
    static func rosterLine(_ r: RosterEngine.Result, agents: Int, seconds: Double) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ v: Int) { h = (h ^ UInt64(bitPattern: Int64(v))) &* 0x0000_0100_0000_01B3 }
        for s in r.roster.shifts {
            mix(s.agent); mix(s.day); mix(s.template); mix(s.start)
            for c in s.channels { mix(c) }
        }
        let m = r.metrics
        return "agents \(agents) seconds \(String(format: "%.3f", seconds)) shifts \(m.shifts) hard \(m.hardViolations) "
            + "short \(m.shortAgentSlots)/\(m.requiredAgentSlots) shortfall_pct \(String(format: "%.4f", m.shortfallPct)) "
            + "fairness \(m.fairness.weekendSpread)/\(m.fairness.lateSpread) gini \(String(format: "%.6f", m.fairness.weekendGini))/\(String(format: "%.6f", m.fairness.lateGini)) "
            + "preferences_met_pct \(String(format: "%.4f", m.preferencesMetPct)) paid_hours \(String(format: "%.2f", m.paidHours)) "
            + "objective \(String(format: "%.6f", m.softPenalty)) capped \(r.stoppedBySafetyCap) checksum \(String(h, radix: 16))"
    }

    func run() throws {
        var shape = Self.profile(data)
        if shape == nil {
            Diagnostics.warning("\(data) not readable; using a synthetic 6-queue day shape")
            let names = ["q1", "q2", "q3", "q4", "q5", "q6"]
            shape = (names, BenchmarkCase.syntheticProfile(channels: 6))
        }
        var problem = BenchmarkCase.make(agents: agents, weeks: weeks, seed: seed, channels: shape!.channels, profile: shape!.profile)
        if noWorkabilityLimits {
            problem.workability = .unconstrained
            problem.presenceWeight = 0
        }
        let t0 = Date()
        let result: RosterEngine.Result
        do { result = try RosterEngine(problem: problem, options: .init(seed: seed, timeLimitSeconds: timeLimit)).solve() } catch {
            throw fail(error.description, code: 1)
        }
        let seconds = Date().timeIntervalSince(t0)
        let m = result.metrics
        if rosterOnly {
            try output.emit(Self.rosterLine(result, agents: agents, seconds: seconds) + "\n")
            return
        }
        let g = try Self.groupLevel(problem, timeLimit: scheduleTimeLimit)
        if g.headcountExcess > 0 { Diagnostics.warning("the group-level schedule exceeds \(g.headcountExcess) head-count limit(s); its shortfall is not a floor") }
        let diff = m.shortfallPct - g.shortfallPct
        if output.format == .json {
            try output.emit(
                JSONOutput.render(
                    Record(
                        agents: agents, weeks: weeks, seconds: .init(seconds, 3), hard_violations: m.hardViolations, shortfall_pct: .init(m.shortfallPct, 3),
                        schedule_shortfall_pct: .init(g.shortfallPct, 3), shortfall_diff_pp: .init(diff, 3), schedule_seconds: .init(g.seconds, 3),
                        schedule_groups: g.groups, schedule_proven: g.proven, fairness_spread: m.fairness.spread,
                        preferences_met_pct: .init(m.preferencesMetPct, 2))))
            return
        }
        var t = Table(
            title: output.format == .table
                ? "Roster benchmark: \(agents) agents, \(weeks) weeks, \(problem.channels.count) queues (\(problem.channels.joined(separator: ", "))), seed \(seed), \(m.shifts) shifts; group-level schedule: \(g.groups) groups\(g.proven ? "" : " (not proven optimal)")"
                : nil,
            columns: [
                "agents", "weeks", "seconds", "hard_violations", "shortfall_pct", "schedule_shortfall_pct", "shortfall_diff_pp", "schedule_seconds",
                "fairness_spread", "preferences_met_pct"
            ])
        t.rows.append([
            .number(Double(agents), decimals: 0), .number(Double(weeks), decimals: 0), .number(seconds, decimals: 3),
            .number(Double(m.hardViolations), decimals: 0), .number(m.shortfallPct, decimals: 3), .number(g.shortfallPct, decimals: 3),
            .number(diff, decimals: 3), .number(g.seconds, decimals: 3), .number(Double(m.fairness.spread), decimals: 0),
            .number(m.preferencesMetPct, decimals: 2)
        ])
        try output.emit(t.render(output.format.format))
    }

    /// `--format json`: one object.
    struct Record: Encodable {
        var agents, weeks: Int
        var seconds: JSONOutput.Fixed
        var hard_violations: Int
        var shortfall_pct, schedule_shortfall_pct, shortfall_diff_pp, schedule_seconds: JSONOutput.Fixed
        var schedule_groups: Int
        var schedule_proven: Bool
        var fairness_spread: Int
        var preferences_met_pct: JSONOutput.Fixed
    }
}
