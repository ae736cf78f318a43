import Foundation
import PlanningCore
import Rostering
import Routing
import Store

/// The solved roster as stored (peakplan-roster/1, migration 9): agents with their group and skills, and every
/// shift with the queue it works in each slot, so `route` can route the people the roster put on the floor.
///
/// An agent's group is the first of the agents file's `group` column; without one, the `[schedule]` group with
/// exactly the agent's skills (queue and level), else a group named by its skills (`ps+pe:2`: level-1 queues
/// first, then the others).
public struct RosterDocument: Codable, Sendable, Equatable {
    public static let format = "peakplan-roster/1"

    public struct AgentEntry: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
        public var group: String
        public var skills: [ScheduleDocument.SkillLevel]
    }

    public struct Shift: Codable, Sendable, Equatable {
        public var agent: Int
        public var day: Int
        public var template: String
        /// Minutes after the day's local midnight.
        public var startMinute: Int
        /// Slot (from the horizon start) of the shift's first slot.
        public var firstSlot: Int
        /// Queue index per slot of the shift, -1 in the break, -2 - k in activity k (`activities`).
        public var queues: [Int]
    }

    public var formatVersion = RosterDocument.format
    public var intervalMinutes: Int
    public var startDay: Int64
    public var days: Int
    public var queues: [String]
    public var agents: [AgentEntry]
    /// Agents on shift required per queue and slot (the roster's pooled requirement).
    public var required: [[Int]]
    /// Expected contacts per queue and slot (staffing's volume): where one is expected and nobody is planned,
    /// routing names a fallback group.
    public var arrivals: [[Double]]
    public var shifts: [Shift]
    /// The named activities (meetings, training: `[[roster.activities]]`) by code order, and the share of worked
    /// slots they take (it comes off the planned shrinkage on the floor). nil in documents from before them.
    public var activities: [String]?
    public var activityShare: Double?

    public init(roster: SolvedRoster, groups: [AgentGroup], arrivals: [[Double]]) {
        let p = roster.problem
        intervalMinutes = p.grid.minutes
        startDay = p.startDay
        days = p.days
        queues = p.channels
        agents = p.agents.map { a in
            AgentEntry(
                id: a.id, name: a.name, group: a.groups.first ?? Self.group(of: a.skills, among: groups),
                skills: a.skills.map { .init(queue: $0.queue, level: $0.level) })
        }
        required = p.required
        self.arrivals = arrivals
        shifts = roster.result.roster.shifts.filter { $0.day >= 0 }.sorted { ($0.agent, $0.day) < ($1.agent, $1.day) }.map { sh in
            Shift(agent: sh.agent, day: sh.day, template: p.templates[sh.template].name, startMinute: sh.start, firstSlot: p.firstSlot(sh), queues: sh.channels)
        }
        if !p.activities.isEmpty {
            activities = p.activities.map(\.name)
            activityShare = p.placedActivityShare(roster.result.roster)
        }
    }

    /// The document with overtime added (`OvertimeAdvisor`): each suggestion one more shift entry (template
    /// `overtime-<kind>`) working its slots on the queues it was offered for, so a simulation sees the added time.
    public func withOvertime(_ suggestions: [OvertimeAdvisor.Suggestion]) -> RosterDocument {
        var d = self
        for s in suggestions {
            guard let first = s.slots.min(), let last = s.slots.max() else { continue }
            var queues = [Int](repeating: -1, count: last - first + 1)
            for (t, c) in zip(s.slots, s.served) { queues[t - first] = c }
            let minute = s.start - LocalDateTime.minute(day: s.day, minuteOfDay: 0)
            d.shifts.append(Shift(agent: s.agent, day: s.day, template: "overtime-" + s.kind, startMinute: minute, firstSlot: first, queues: queues))
        }
        return d
    }

    /// The `[schedule]` group with exactly these skills, else a name made of them.
    public static func group(of skills: [Skill], among groups: [AgentGroup]) -> String {
        if let g = groups.first(where: { Set($0.skills) == Set(skills) }) { return g.id }
        let ordered = skills.sorted { ($0.level, $0.queue) < ($1.level, $1.queue) }
        return ordered.map { $0.level == 1 ? $0.queue : "\($0.queue):\($0.level)" }.joined(separator: "+")
    }

    public var slots: Int { required.first?.count ?? 0 }

    /// Agents per group, queue and slot, and on duty per group and slot (groups in first-seen agent order).
    public var allocation: (groups: [RoutingTable.GroupSkills], planned: [[[Double]]], onDuty: [[Double]]) {
        // A group's skills: every queue one of its agents serves, at the best level any of them has.
        var order: [String] = []
        var best: [String: [String: Int]] = [:]
        for a in agents {
            if best[a.group] == nil { order.append(a.group) }
            for s in a.skills { best[a.group, default: [:]][s.queue] = min(best[a.group]?[s.queue] ?? Int.max, s.level) }
        }
        let skills = best.mapValues { m in m.map { (queue: $0.key, level: $0.value) }.sorted { ($0.level, $0.queue) < ($1.level, $1.queue) } }
        let index = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        var planned = [[[Double]]](repeating: [[Double]](repeating: [Double](repeating: 0, count: slots), count: queues.count), count: order.count)
        var onDuty = [[Double]](repeating: [Double](repeating: 0, count: slots), count: order.count)
        for sh in shifts {
            let g = index[agents[sh.agent].group]!
            for (k, q) in sh.queues.enumerated() where q >= 0 && sh.firstSlot + k >= 0 && sh.firstSlot + k < slots {
                planned[g][q][sh.firstSlot + k] += 1
                onDuty[g][sh.firstSlot + k] += 1
            }
        }
        return (order.map { RoutingTable.GroupSkills(id: $0, skills: skills[$0]!) }, planned, onDuty)
    }

    /// The routing table of the rostered people: per queue and interval, the groups' shares of the agents the
    /// roster put on it, and a fallback row where contacts are expected and nobody is.
    public var routing: RoutingTable {
        let a = allocation
        return RoutingTable(
            timeline: .init(firstDay: startDay, intervalMinutes: intervalMinutes), queues: queues, groups: a.groups,
            planned: a.planned, onDuty: a.onDuty, arrivals: arrivals)
    }

    public func encoded() throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try e.encode(self), as: UTF8.self)
    }

    public static func decode(_ text: String, source: String) throws -> RosterDocument {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        let doc: RosterDocument
        do { doc = try d.decode(RosterDocument.self, from: Data(text.utf8)) } catch {
            throw PlanError("\(source): not a \(format) document (\(error))", .dataError)
        }
        guard doc.formatVersion == format else {
            throw PlanError("\(source): format \(doc.formatVersion) is not \(format); this PeakPlan reads \(format)", .dataError)
        }
        return doc
    }

    /// Expected contacts per channel and slot of a roster's horizon, from the staffing runs (volume).
    public static func arrivals(_ runs: [Store.StaffingRun], problem p: RosterProblem, zone: ZoneRules) -> [[Double]] {
        p.channels.map { ch in
            var req = Requirement<Double>(queue: ch, grid: p.grid, firstDay: p.startDay, days: p.days)
            if let run = runs.first(where: { $0.channel == ch }) {
                _ = req.lay(run.rows.map { .init(localStart: zone.local(fromUTC: $0.ts), minutes: run.intervalMinutes, value: $0.volume.isFinite ? $0.volume : 0) })
            }
            return req.perSlot
        }
    }
}
