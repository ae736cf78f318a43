import Foundation
import Reports

extension ReportBuilder {
    /// "Simulation-based correction" (`plan --correct`): the iterations, the hires by skill set and the cost
    /// against the Erlang-per-queue requirement.
    func correctionSection(_ c: PlanCorrection) -> ReportDocument.Section {
        var sec = ReportDocument.Section(title: "Simulation-based correction")
        sec.paragraphs.append(
            "The roster corrected by simulation (plan --correct): each round simulates the roster (\(PlanSimulation.policy) routing, \(PlanSimulation.replications) replications, the same random numbers every round), raises the requirement by one agent where a queue-interval with \(Int(PlanSimulation.minimumOffered))+ contacts misses its target and the roster covered it, hires where the named agents left it short, and lowers it by one where service is \(Int(c.settings.wellAbove * 100))+ points above target; then the roster is solved again. "
                + "Result: " + c.summaryLine.replacingOccurrences(of: " -> ", with: " to ")
                + ". The rounds are plan/correction.csv, the corrected roster plan/corrected-roster.csv.")
        let x = c.againstErlangPerQueue
        sec.paragraphs.append(
            String(
                format:
                    "What pooling saves or costs: the Erlang-per-queue plan (each queue's on-shift requirement rounded per queue and interval) needs %.1f agent-hours over the roster's horizon; the corrected plan pays %.1f hours (%+.1f%%), the plan's pooled requirement was %.1f.",
                c.erlangPerQueueHours, c.final.paidHours, x.paid, c.pooledRequirementHours))
        var hires = Table(title: "Hires in the corrected plan", columns: ["skill set", "agents", "FTE"])
        for h in c.hiresBySkillSet { hires.rows.append([.text(h.skills), .int(h.agents), .number(h.fte, decimals: 1)]) }
        if !hires.rows.isEmpty { sec.tables.append(hires) }
        var t = Table(title: "Rounds", columns: ["round", "meeting target %", "raised", "lowered", "hired", "hires", "paid hours", "shortfall %"])
        for it in c.iterations {
            t.rows.append([
                .text("\(it.index)\(it.index == c.chosen ? " (kept)" : "")"), .number(it.meetingShare * 100, decimals: 1), .int(it.raised), .int(it.lowered),
                .int(it.hiresAdded), .int(it.hires), .number(it.paidHours, decimals: 1), .number(it.shortfallPct, decimals: 2)
            ])
        }
        sec.tables.append(t)
        return sec
    }
}
