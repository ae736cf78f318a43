import PlanningCore
import Rostering

/// Overtime as the correction's first capacity step, and the agents a roster document puts on each queue.
extension PlanCorrection {
    /// The roster's overtime offers (`OvertimeAdvisor` with its defaults, as the roster stage suggests them) worked:
    /// each extension added to the agent's shift of that day in `doc`, each extra shift added as a shift. Every added
    /// slot goes to the agent's skill with the largest open requirement at that moment (requirement minus agents on
    /// the queue, updated slot by slot; ties to the better level, then queue order); an extra shift's unpaid break
    /// (its length less its working hours) sits in its middle. Returns the offers worked.
    static func workOvertime(_ r: SolvedRoster, on doc: inout RosterDocument) -> [OvertimeAdvisor.Suggestion] {
        let p = r.problem
        let offers = OvertimeAdvisor().suggest(r.result.roster, p).suggestions
        var cover = coverage(doc)
        let slotMinutes = p.grid.minutes
        let index = Dictionary(uniqueKeysWithValues: doc.queues.enumerated().map { ($1, $0) })
        for s in offers {
            let first = p.grid.slot(ofMinute: s.start), count = max(0, (s.end - s.start) / slotMinutes)
            let work = Int((s.hours / p.grid.hoursPerSlot).rounded())
            let pause = s.kind == "extra-shift" ? max(0, count - work) : 0
            let pauseStart = (count - pause) / 2
            let skills = doc.agents[s.agent].skills.compactMap { k in index[k.queue].map { (queue: $0, level: k.level) } }
            var queues: [Int] = []
            for k in 0..<count {
                let t = first + k
                guard !(pauseStart..<(pauseStart + pause)).contains(k), t >= 0, t < doc.slots else {
                    queues.append(-1)
                    continue
                }
                let best = skills.min { a, b in
                    (-(doc.required[a.queue][t] - cover[a.queue][t]), a.level, a.queue) < (-(doc.required[b.queue][t] - cover[b.queue][t]), b.level, b.queue)
                }
                guard let q = best?.queue else {
                    queues.append(-1)
                    continue
                }
                queues.append(q)
                cover[q][t] += 1
            }
            let mine = doc.shifts.indices.filter { doc.shifts[$0].agent == s.agent && doc.shifts[$0].day == s.day }
            switch s.kind {
            case "extend-before" where !mine.isEmpty:
                let j = mine[0]
                doc.shifts[j].firstSlot = first
                doc.shifts[j].startMinute -= count * slotMinutes
                doc.shifts[j].queues = queues + doc.shifts[j].queues
            case "extend-after" where !mine.isEmpty:
                doc.shifts[mine[0]].queues += queues
            default:
                doc.shifts.append(
                    RosterDocument.Shift(
                        agent: s.agent, day: s.day, template: "overtime", startMinute: s.start - s.day * TimeGrid.minutesPerDay, firstSlot: first, queues: queues))
            }
        }
        return offers
    }

    /// Agents on each queue per slot in a roster document.
    static func coverage(_ doc: RosterDocument) -> [[Int]] {
        var cover = doc.required.map { $0.map { _ in 0 } }
        for sh in doc.shifts {
            for (k, q) in sh.queues.enumerated() where q >= 0 && sh.firstSlot + k >= 0 && sh.firstSlot + k < doc.slots { cover[q][sh.firstSlot + k] += 1 }
        }
        return cover
    }
}
