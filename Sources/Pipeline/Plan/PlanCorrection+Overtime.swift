import PlanningCore
import Rostering

/// Overtime as the correction's first capacity step, and the agents a roster document puts on each queue.
extension PlanCorrection {
    /// The roster's overtime offers (`OvertimeAdvisor` with its defaults, as the roster stage suggests them) worked:
    /// each added to `doc` as a shift working its slots on the queues it was offered for
    /// (`RosterDocument.withOvertime`). Returns the offers worked.
    static func workOvertime(_ r: SolvedRoster, on doc: inout RosterDocument) -> [OvertimeAdvisor.Suggestion] {
        let offers = OvertimeAdvisor().suggest(r.result.roster, r.problem).suggestions
        doc = doc.withOvertime(offers)
        return offers
    }

    /// Agents on each queue per slot in a roster document (breaks and activities are off the queues).
    static func coverage(_ doc: RosterDocument) -> [[Int]] {
        var cover = doc.required.map { $0.map { _ in 0 } }
        for sh in doc.shifts {
            for (k, q) in sh.queues.enumerated() where q >= 0 && sh.firstSlot + k >= 0 && sh.firstSlot + k < doc.slots { cover[q][sh.firstSlot + k] += 1 }
        }
        return cover
    }
}
