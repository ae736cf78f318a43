import Foundation
import PlanningCore
import Reports
import Rostering
import Scheduling

/// The correction's renderings (plan/correction.csv, the summary section) and its plan stage.
extension PlanCorrection {
    /// correction.csv: one row per iteration.
    public func table() -> Table {
        var t = Table(
            columns: [
                "iteration", "queue_intervals_counted", "meeting_target", "meeting_pct", "service_level_pct", "requirement_slots_raised",
                "requirement_slots_lowered", "hires_added", "hires", "hire_fte", "required_agent_hours", "on_queue_agent_hours", "paid_hours",
                "hire_paid_hours", "overtime_offers", "overtime_hours", "roster_shortfall_pct", "hires_by_skill_set", "chosen"
            ])
        for it in iterations {
            t.rows.append([
                .int(it.index), .int(it.counted), .int(it.meeting), .number(it.meetingShare * 100, decimals: 2),
                it.serviceLevel.map { .number($0 * 100, decimals: 2) } ?? .null, .int(it.raised), .int(it.lowered), .int(it.hiresAdded), .int(it.hires),
                .number(fte(it.hirePaidHours), decimals: 2), .number(it.requiredHours, decimals: 1), .number(it.onQueueHours, decimals: 1),
                .number(it.paidHours, decimals: 1), .number(it.hirePaidHours, decimals: 1), .int(it.overtimeOffers),
                .number(it.overtimeHours, decimals: 1), .number(it.shortfallPct, decimals: 2),
                .text(Self.skillSets(it.hiresBySkillSet)), .text(it.index == chosen ? "yes" : "")
            ])
        }
        return t
    }

    /// Paid hours as full-time equivalents over the roster's weeks.
    public func fte(_ paidHours: Double) -> Double { fteWeekHours * Double(weeks) > 0 ? paidHours / (fteWeekHours * Double(weeks)) : 0 }

    /// `in:1 x2; ps:1|ne:2 x1`: most hires first, then text order.
    static func skillSets(_ m: [String: Int]) -> String {
        m.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) x\($0.value)" }.joined(separator: "; ")
    }

    /// The hires of the corrected roster per skill set: headcount and FTE (their paid hours).
    public var hiresBySkillSet: [(skills: String, agents: Int, fte: Double)] {
        let p = roster.problem
        var out: [String: (Int, Double)] = [:]
        for (a, agent) in p.agents.enumerated() where HireMix.isHire(agent) {
            let h = roster.result.roster.shifts.filter { $0.agent == a }.reduce(0) { $0 + p.paidHours($1) }
            let k = HireMix.text(agent.skills)
            out[k] = ((out[k]?.0 ?? 0) + 1, (out[k]?.1 ?? 0) + fte(h))
        }
        return out.sorted { ($1.value.0, $0.key) < ($0.value.0, $1.key) }.map { ($0.key, $0.value.0, $0.value.1) }
    }

    /// The corrected plan's paid hours against the Erlang-per-queue requirement, as a signed percentage
    /// (negative: pooling saves), and the same for the agent-hours the roster puts on queues.
    public var againstErlangPerQueue: (paid: Double, onQueue: Double) {
        guard erlangPerQueueHours > 0 else { return (0, 0) }
        return (100 * (final.paidHours / erlangPerQueueHours - 1), 100 * (final.onQueueHours / erlangPerQueueHours - 1))
    }

    static func pct(_ it: Iteration) -> String { String(format: "%.1f%% (%d of %d)", it.meetingShare * 100, it.meeting, it.counted) }

    static func savesOrCosts(_ x: Double) -> String {
        x <= 0 ? String(format: "saves %.1f%%", -x) : String(format: "costs %.1f%%", x)
    }

    /// One line for the stage timings.
    public var summaryLine: String {
        let h = final.hires
        return "queue-intervals meeting target \(Self.pct(first)) -> \(Self.pct(final)) at iteration \(chosen) of \(iterations.count - 1) (stopped: \(stopReason)); "
            + String(format: "%d hire%@ (%.1f FTE), paid hours %.1f -> %.1f; ", h, h == 1 ? "" : "s", fte(final.hirePaidHours), first.paidHours, final.paidHours)
            + "against the Erlang-per-queue plan pooling \(Self.savesOrCosts(againstErlangPerQueue.paid))"
    }

    /// The summary section: the outcome, hires by skill set, the cost against Erlang per queue, the iterations.
    public func summaryText(shown: String) -> String {
        var o =
            "\nCorrection (simulation-based, \(PlanSimulation.replications) replications, \(PlanSimulation.policy) routing, the same random numbers every iteration): "
            + "queue-intervals with \(Int(PlanSimulation.minimumOffered))+ contacts meeting their target \(Self.pct(first)) -> \(Self.pct(final)); "
            + "corrected plan = iteration \(chosen) of \(iterations.count - 1) (stopped: \(stopReason)); \(shown)/correction.csv, \(shown)/corrected-roster.csv\n"
        if final.overtimeOffers > 0 {
            o +=
                "Overtime first: \(final.overtimeOffers) overtime offers (extended or extra shifts) worked, \(String(format: "%.1f", final.overtimeHours)) h (\(shown)/correction-overtime.csv)\n"
        }
        let hires = hiresBySkillSet
        if hires.isEmpty {
            o += "Hires: none (the named agents, with the requirement moved, are enough)\n"
        } else {
            o +=
                String(format: "Hires: %d agent%@, %.1f FTE at %g h/week: ", final.hires, final.hires == 1 ? "" : "s", fte(final.hirePaidHours), fteWeekHours)
                + hires.map { String(format: "%@ %d (%.1f FTE)", $0.skills, $0.agents, $0.fte) }.joined(separator: ", ") + "\n"
        }
        let x = againstErlangPerQueue
        o +=
            String(
                format:
                    "Cost: paid hours %.1f -> %.1f (hires %.1f, overtime %.1f); on-queue agent-hours %.1f -> %.1f. The Erlang-per-queue plan (each queue's on-shift requirement rounded per queue and interval) needs %.1f agent-hours (the plan's pooled requirement %.1f): the corrected plan's paid hours are %+.1f%% of it, so against Erlang per queue pooling %@ (on-queue agent-hours %+.1f%%)\n",
                first.paidHours, final.paidHours, final.hirePaidHours, final.overtimeHours, first.onQueueHours, final.onQueueHours, erlangPerQueueHours, pooledRequirementHours,
                x.paid, Self.savesOrCosts(x.paid), x.onQueue)
        var t = Table(columns: ["iteration", "meeting %", "raised", "lowered", "hired", "hires", "overtime h", "paid hours", "on-queue agent-hours", "shortfall %"])
        for it in iterations {
            t.rows.append([
                .text("\(it.index)\(it.index == chosen ? " *" : "")"), .number(it.meetingShare * 100, decimals: 1), .int(it.raised), .int(it.lowered),
                .int(it.hiresAdded), .int(it.hires), .number(it.overtimeHours, decimals: 1), .number(it.paidHours, decimals: 1), .number(it.onQueueHours, decimals: 1),
                .number(it.shortfallPct, decimals: 2)
            ])
        }
        return o + t.renderText()
    }
}

extension PlanStages {
    /// The correction loop on the plan's roster (`PlanCorrection`): correction.csv, corrected-roster.csv and the
    /// overtime worked on it, correction-overtime.csv.
    static func correct(_ s: inout PlanState) throws -> String {
        guard let base = s.roster, let n = s.request.correctIterations else { return "" }
        let groups = s.config.sections["schedule"].flatMap { try? ScheduleConfig.parse($0) }?.groups.map(\.group) ?? []
        let c = try PlanCorrection.run(
            base, configuration: try s.workspace.loadConfiguration(), groups: groups, settings: .init(maxIterations: n, overtime: s.request.correctOvertime)
        ) { it in
            Diagnostics.info(
                String(
                    format: "plan: correct: iteration %d: %.1f%% of %d queue-intervals meet their target; %d hires; %.1f paid hours", it.index,
                    it.meetingShare * 100, it.counted, it.hires, it.paidHours))
        }
        try writeTextFile(s.path("correction.csv"), c.table().renderCSV())
        let p = c.roster.problem
        try writeTextFile(s.path("corrected-roster.csv"), RosterExport.csv(c.roster.result.roster, p))
        try writeTextFile(s.path("correction-overtime.csv"), c.roster.overtimeTable.renderCSV())
        s.correction = c
        return c.summaryLine
    }
}
