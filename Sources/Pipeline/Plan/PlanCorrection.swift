import Foundation
import PlanningCore
import Rostering
import Simulation
import Store

/// Simulation-based correction of a plan's roster (`peakplan plan --correct`): requirement -> roster -> simulation,
/// repeated, moving capacity to where the simulated floor misses its service-level target.
///
/// Iteration 0 is the plan's own roster, simulated exactly as the simulate stage does (`PlanSimulation.instance`:
/// rostered agents less shrinkage, priority routing, `PlanSimulation.replications` replications on seed
/// `PlanSimulation.seed`, so every iteration sees the same random numbers). After each simulation, for every
/// queue-interval with at least `PlanSimulation.minimumOffered` contacts (mean per replication):
/// - **misses the target**, and the roster covered its requirement there: the requirement becomes one agent more
///   than the roster put on the queue (`coverage + 1`), and is never lowered below that again;
/// - **misses the target**, and the roster left the requirement short: the named agents are the limit there, so its
///   short agent-hours count towards hiring for that queue;
/// - **well above the target** (`wellAbove` points or more) with an agent on the queue: the requirement is lowered by
///   one (not below a level at which it missed before), freeing the agent for other intervals.
/// Per queue with short hours in missed intervals, `ceil(short hours / (weekly hours x weeks))` agents are hired (at
/// least one): at the weekly maximum of their contract, the fewest that could cover those hours; the next
/// iterations hire more where misses remain. A hire (`HIRE-<queue>-<n>`) copies the most common skill mix among the
/// named agents whose best skill is that queue (else any mix with the queue; ties in text order) and the most common
/// contract with that mix; hires have no availability limits or preferences and are never removed again.
/// The roster is then solved again from scratch (same engine options, workability limits and seed,
/// `RosterStage.resolve`). The loop stops when `targetShare` of the counted queue-intervals meet their target, when
/// the count meeting has not improved on the best for `stallLimit` iterations (no progress), when nothing is left to
/// change, or after `maxIterations`. The corrected plan is the first iteration reaching `targetShare`, else the one
/// with the most queue-intervals meeting (fewest paid hours on a tie). Same inputs, same iterations.
public struct PlanCorrection: Sendable {
    public struct Settings: Sendable, Equatable {
        public var maxIterations: Int
        /// Share of the counted queue-intervals that must meet their target.
        public var targetShare = 0.95
        /// A queue-interval this far above its target (fraction) gives an agent back.
        public var wellAbove = 0.10
        /// Iterations without a better count meeting before the loop stops.
        public var stallLimit = 2
        /// Work the roster's overtime offers (`OvertimeAdvisor`) from iteration 1 on, before hiring (the cheaper step).
        public var overtime = false
        public init(maxIterations: Int = 10, overtime: Bool = false) { self.maxIterations = maxIterations; self.overtime = overtime }
    }

    /// One requirement -> roster -> simulation round.
    public struct Iteration: Sendable, Equatable {
        public var index: Int
        /// Queue-intervals with enough contacts, and those meeting their target.
        public var counted: Int, meeting: Int
        /// Simulated service level over all contacts (fraction).
        public var serviceLevel: Double?
        /// The changes that led to this iteration's roster: requirement slots raised and lowered, agents hired.
        public var raised: Int, lowered: Int, hiresAdded: Int
        /// Hires in this roster by skill mix (`ps:1|ne:2`), and their count.
        public var hiresBySkillSet: [String: Int]
        public var hires: Int
        /// The roster's requirement, the agent-hours it put on queues, its paid hours (and the hires' share), shortfall.
        /// Paid hours include the overtime worked (`overtimeHours`, `overtimeOffers` extensions and extra shifts).
        public var requiredHours: Double, onQueueHours: Double, paidHours: Double, hirePaidHours: Double
        public var overtimeHours: Double, overtimeOffers: Int
        public var shortfallPct: Double

        public var meetingShare: Double { counted == 0 ? 1 : Double(meeting) / Double(counted) }
    }

    public var settings: Settings
    public var iterations: [Iteration]
    /// The iteration kept as the corrected plan, and why the loop stopped.
    public var chosen: Int
    public var stopReason: String
    /// The corrected roster (named agents and hires), with the overtime worked on it in `roster.overtime`.
    public var roster: SolvedRoster
    /// The plan's on-shift requirement rounded per queue and interval (each queue staffed by its own Erlang model),
    /// in agent-hours over the roster's horizon; and the plan's pooled requirement (the roster's).
    public var erlangPerQueueHours: Double
    public var pooledRequirementHours: Double
    /// Weekly hours of one FTE (the longest weekly contract maximum, 40 without contracts) and the roster weeks.
    public var fteWeekHours: Double
    public var weeks: Int
    public var seconds: Double

    public var final: Iteration { iterations[chosen] }
    public var first: Iteration { iterations[0] }

    /// Runs the loop from a solved plan roster. `groups`: the `[schedule]` groups (routing groups of the agents).
    public static func run(
        _ base: SolvedRoster, configuration c: Configuration, groups: [AgentGroup], settings: Settings = Settings(),
        progress: ((Iteration) -> Void)? = nil
    ) throws -> PlanCorrection {
        let t0 = Date()
        let p0 = base.problem
        let targets = Dictionary(uniqueKeysWithValues: p0.channels.map { q in (q, (try? c.staffing.settings(for: q))?.targets.serviceLevel ?? c.workspace.service.serviceLevel) })
        let mixes = HireMix.choose(p0)
        let arrivals = RosterDocument.arrivals(base.staffing, problem: p0, zone: base.zone)
        var loop = LoopState(required: p0.required, agents: p0.agents)
        var current = base
        var rosters: [SolvedRoster] = []
        var iterations: [Iteration] = []
        var best = -1, stall = 0
        var reason = "iteration cap (\(settings.maxIterations))"
        for i in 0...settings.maxIterations {
            if i > 0 { current = try RosterStage.resolve(base, required: loop.required, agents: loop.agents) }
            var doc = RosterDocument(roster: current, groups: groups, arrivals: arrivals)
            current.overtime = ([], current.result.metrics.shortfallPct)
            if i > 0 && settings.overtime { current.overtime.suggestions = workOvertime(current, on: &doc) }
            let cover = coverage(doc)
            let sim = simulate(doc, current, configuration: c)
            let judged = judge(sim, targets: targets, settings: settings)
            let it = iteration(i, current, cover: cover, judged: judged, serviceLevel: sim.total.serviceLevel.value, changes: loop.changes)
            current.overtime.shortfallPctAfter = it.shortfallPct
            iterations.append(it)
            rosters.append(current)
            progress?(it)
            if it.meetingShare >= settings.targetShare - 1e-12 {
                reason = String(format: "%.0f%% of the counted queue-intervals meet their target", settings.targetShare * 100)
                break
            }
            if it.meeting > best { best = it.meeting; stall = 0 } else { stall += 1 }
            if stall >= settings.stallLimit {
                reason = "no progress (\(settings.stallLimit) iterations without more queue-intervals meeting their target)"
                break
            }
            if i == settings.maxIterations { break }
            loop.adjust(current.problem, cover: cover, judged: judged, mixes: mixes)
            if loop.changes == (0, 0, 0) {
                reason = "nothing left to change"
                break
            }
        }
        let chosen = choose(iterations, settings: settings)
        // The roster's own floor requirement: planned activities placed in the shifts come off the shrinkage uplift.
        let floor = FloorRequirement(staffing: c.staffing, placedPlanned: p0.plannedActivityShare)
        let hours = p0.grid.hoursPerSlot
        let perQueue = RosterStage.requirement(
            base.staffing.filter { p0.channels.contains($0.channel) }, floor: floor, pools: p0.channels.indices.map { [$0] }, zone: base.zone,
            startDay: p0.startDay, days: p0.days, grid: p0.grid
        ).0
        return PlanCorrection(
            settings: settings, iterations: iterations, chosen: chosen, stopReason: reason, roster: rosters[chosen],
            erlangPerQueueHours: Double(perQueue.joined().reduce(0, +)) * hours, pooledRequirementHours: Double(p0.required.joined().reduce(0, +)) * hours,
            fteWeekHours: p0.contracts.map(\.maxHoursWeek).max() ?? 40, weeks: p0.weeks, seconds: Date().timeIntervalSince(t0))
    }

    /// The first iteration reaching the target share, else the most queue-intervals meeting (fewest paid hours on a tie).
    static func choose(_ its: [Iteration], settings: Settings) -> Int {
        if let k = its.firstIndex(where: { $0.meetingShare >= settings.targetShare - 1e-12 }) { return k }
        return its.indices.min { a, b in (-its[a].meeting, its[a].paidHours, a) < (-its[b].meeting, its[b].paidHours, b) } ?? 0
    }

    /// The roster (as a document, with any overtime worked) simulated as the plan's simulate stage does it, with
    /// priority routing only.
    static func simulate(_ doc: RosterDocument, _ r: SolvedRoster, configuration c: Configuration) -> SimulationResult {
        let inst = PlanSimulation.instance(doc, runs: r.staffing, configuration: c, zone: r.zone)
        let options = RunOptions(replications: PlanSimulation.replications, seed: PlanSimulation.seed)
        // "priority" is registered in RoutingPolicies; an empty result would only come from a missing registration.
        return Simulator.run(SimModel(inst), policy: PlanSimulation.policy, options: options)!
    }

    /// The simulated queue-intervals that count, split into misses and those well above their target.
    struct Judged {
        var counted = 0
        var misses: [(queue: Int, slot: Int)] = []
        var wellAbove: [(queue: Int, slot: Int)] = []
    }

    static func judge(_ sim: SimulationResult, targets: [String: Double], settings: Settings) -> Judged {
        var j = Judged()
        let index = Dictionary(uniqueKeysWithValues: sim.queueIDs.enumerated().map { ($1, $0) })
        for r in sim.byInterval where r.offered >= PlanSimulation.minimumOffered {
            guard let q = index[r.queue], let sl = r.serviceLevel.value else { continue }
            j.counted += 1
            let target = targets[r.queue] ?? 0.8
            if sl < target - 1e-9 {
                j.misses.append((q, r.interval))
            } else if sl >= target + settings.wellAbove - 1e-9 {
                j.wellAbove.append((q, r.interval))
            }
        }
        return j
    }

    static func iteration(
        _ i: Int, _ r: SolvedRoster, cover: [[Int]], judged: Judged, serviceLevel: Double?, changes: (raised: Int, lowered: Int, hired: Int)
    ) -> Iteration {
        let p = r.problem, m = r.result.metrics
        let hours = p.grid.hoursPerSlot
        var required = 0, short = 0
        for q in p.channels.indices { for t in 0..<p.slots { required += p.required[q][t]; short += max(0, p.required[q][t] - cover[q][t]) } }
        let overtime = r.overtime.suggestions.reduce(0) { $0 + $1.hours }
        var bySet: [String: Int] = [:]
        for a in p.agents where HireMix.isHire(a) { bySet[HireMix.text(a.skills), default: 0] += 1 }
        let hirePaid =
            r.result.roster.shifts.filter { HireMix.isHire(p.agents[$0.agent]) }.reduce(0) { $0 + p.paidHours($1) }
            + r.overtime.suggestions.filter { HireMix.isHire(p.agents[$0.agent]) }.reduce(0) { $0 + $1.hours }
        return Iteration(
            index: i, counted: judged.counted, meeting: judged.counted - judged.misses.count, serviceLevel: serviceLevel, raised: changes.raised,
            lowered: changes.lowered, hiresAdded: changes.hired, hiresBySkillSet: bySet, hires: bySet.values.reduce(0, +),
            requiredHours: Double(p.required.joined().reduce(0, +)) * hours, onQueueHours: Double(cover.joined().reduce(0, +)) * hours,
            paidHours: m.paidHours + overtime, hirePaidHours: hirePaid, overtimeHours: overtime, overtimeOffers: r.overtime.suggestions.count,
            shortfallPct: required == 0 ? 0 : 100 * Double(short) / Double(required))
    }

    /// The requirement and agents the loop changes between iterations.
    struct LoopState {
        var required: [[Int]]
        var agents: [Agent]
        /// Per queue and slot, the requirement is never lowered below this (a level at which the slot missed).
        var keep: [[Int]]
        var hiredPerQueue: [String: Int] = [:]
        var changes: (raised: Int, lowered: Int, hired: Int) = (0, 0, 0)

        init(required: [[Int]], agents: [Agent]) {
            self.required = required; self.agents = agents
            keep = required.map { $0.map { _ in 0 } }
        }

        mutating func adjust(_ p: RosterProblem, cover: [[Int]], judged: Judged, mixes: HireMix) {
            var raised = 0, lowered = 0, hired = 0
            var shortHours = [Double](repeating: 0, count: p.channels.count)
            for (q, t) in judged.misses {
                if cover[q][t] >= required[q][t] {
                    required[q][t] = cover[q][t] + 1
                    raised += 1
                } else {
                    shortHours[q] += Double(required[q][t] - cover[q][t]) * p.grid.hoursPerSlot
                }
                keep[q][t] = max(keep[q][t], required[q][t])
            }
            for (q, t) in judged.wellAbove where cover[q][t] >= 1 && required[q][t] >= 1 && required[q][t] - 1 >= keep[q][t] {
                required[q][t] -= 1
                lowered += 1
            }
            for q in p.channels.indices where shortHours[q] > 1e-9 {
                let mix = mixes.byQueue[q]
                let week = p.contracts.first { $0.name == mix.contract }?.maxHoursWeek ?? 40
                let n = max(1, Int((shortHours[q] / (week * Double(p.weeks)) - 1e-9).rounded(.up)))
                for _ in 0..<n {
                    let name = p.channels[q]
                    let k = hiredPerQueue[name, default: 0] + 1
                    hiredPerQueue[name] = k
                    agents.append(
                        Agent(id: "HIRE-\(name)-\(k)", name: "Hire \(name) \(k)", skills: mix.skills, contract: mix.contract, site: mix.site))
                    hired += 1
                }
            }
            changes = (raised, lowered, hired)
        }
    }
}

/// The skill mix, contract and site a hire for each queue copies from the named agents.
struct HireMix: Sendable {
    struct Mix: Sendable { var skills: [Skill]; var contract: String; var site: String }
    var byQueue: [Mix]

    static let prefix = "HIRE-"
    static func isHire(_ a: Agent) -> Bool { a.id.hasPrefix(prefix) && a.line == 0 }

    /// `ps:1|ne:2`: skills by level, then queue.
    static func text(_ skills: [Skill]) -> String {
        skills.sorted { ($0.level, $0.queue) < ($1.level, $1.queue) }.map { "\($0.queue):\($0.level)" }.joined(separator: "|")
    }

    static func choose(_ p: RosterProblem) -> HireMix {
        let named = p.agents.filter { !isHire($0) }
        func mostCommon(_ xs: [String]) -> String? {
            Dictionary(xs.map { ($0, 1) }, uniquingKeysWith: +).min { ($1.value, $0.key) < ($0.value, $1.key) }?.key
        }
        let mixes: [Mix] = p.channels.map { q in
            let best = named.filter { a in
                guard let mine = a.skills.first(where: { $0.queue == q }) else { return false }
                return mine.level == a.skills.map(\.level).min()
            }
            let pool = best.isEmpty ? named.filter { $0.skills.contains { $0.queue == q } } : best
            guard let set = mostCommon(pool.map { text($0.skills) }) else {
                return Mix(
                    skills: [Skill(queue: q, level: 1)], contract: mostCommon(named.map(\.contract)) ?? p.contracts.first?.name ?? "", site: mostCommon(named.map(\.site)) ?? "")
            }
            let same = pool.filter { text($0.skills) == set }
            let skills = same[0].skills.sorted { ($0.level, $0.queue) < ($1.level, $1.queue) }
            return Mix(skills: skills, contract: mostCommon(same.map(\.contract)) ?? "", site: mostCommon(same.map(\.site)) ?? "")
        }
        return HireMix(byQueue: mixes)
    }
}

extension RosterStage {
    /// The roster solved again for a changed requirement (agents on shift per channel and slot, as
    /// `RosterProblem.required`) and agent list, with everything else as `base` was solved (templates, contracts,
    /// workability limits, engine options and seed). Used by `PlanCorrection`; no overtime advice or unconstrained
    /// comparison.
    public static func resolve(_ base: SolvedRoster, required: [[Int]], agents: [Agent]) throws -> SolvedRoster {
        var p = base.problem
        p.required = required
        p.agents = agents
        let result: RosterEngine.Result
        do { result = try RosterEngine(problem: p, options: base.engineOptions).solve() } catch { throw PlanError(error.description, .dataError) }
        var s = SolvedRoster(problem: p, result: result, previous: nil, changes: [], zone: base.zone)
        s.staffing = base.staffing
        s.engineOptions = base.engineOptions
        return s
    }
}
