import Foundation
import PlanningCore
import Reports
import Rostering
import Scheduling
import Store

/// The plan checked where it matters, on the floor: per channel and slot of the roster's horizon, what staffing
/// requires (productive agents: continuous, and whole per channel), what the floor needs on shift after
/// shrinkage, what the schedule plans, what the roster puts on the channel, and what remains on the channel
/// after shrinkage (`rostered × (1 - p)(1 - u)`). Shortfalls are against the continuous productive requirement,
/// pooled over the channels that share agents (the rounding the plan applies) and per channel.
public struct FloorCheck: Sendable {
    public struct Row: Sendable, Equatable {
        public var localStart: Int64
        public var channel: String
        /// Productive agents staffing requires (continuous) and whole agents per channel.
        public var required: Double
        public var requiredWhole: Int
        /// Agents on shift needed (continuous, after shrinkage) and the roster's whole, pooled requirement.
        public var onShiftNeeded: Double
        public var rosterRequired: Int
        /// Agents the group schedule plans on the channel (nil without a schedule for it).
        public var scheduled: Double?
        public var rostered: Int
        public var onFloor: Double
        /// Share of a rostered agent's time on the channel after shrinkage, (1 - p)(1 - u).
        public var floorFactor: Double
        public var short: Double { max(0, required - onFloor) }
    }

    public let rows: [Row]
    /// Channels per pool (channels that share agents).
    public let pools: [[String]]
    public let intervalHours: Double
    /// Per pool and slot with a shortfall: required and on the floor, largest first (then earlier, then pool
    /// name: the same order every run).
    public let pooledGaps: [(localStart: Int64, pool: [String], required: Double, onFloor: Double, short: Double)]

    public init(rows: [Row], pools: [[String]], intervalHours: Double) {
        self.rows = rows; self.pools = pools; self.intervalHours = intervalHours
        pooledGaps = Self.gaps(rows, pools: pools)
    }

    /// Sum of the productive requirement (agent-hours).
    public var requiredHours: Double { rows.reduce(0) { $0 + $1.required } * intervalHours }
    /// Short agent-hours on the floor per channel, and pooled (a pool's slot is short by its total shortfall).
    public var shortHoursPerChannel: Double { rows.reduce(0) { $0 + $1.short } * intervalHours }
    public var shortHoursPooled: Double { pooledGaps.reduce(0) { $0 + $1.short } * intervalHours }

    public var shortfallPct: Double { requiredHours > 0 ? 100 * shortHoursPooled / requiredHours : 0 }
    public var shortfallPerChannelPct: Double { requiredHours > 0 ? 100 * shortHoursPerChannel / requiredHours : 0 }

    static func gaps(_ rows: [Row], pools: [[String]]) -> [(localStart: Int64, pool: [String], required: Double, onFloor: Double, short: Double)] {
        var byKey: [String: (Int64, [String], Double, Double)] = [:]
        for r in rows {
            guard let pool = pools.first(where: { $0.contains(r.channel) }) else { continue }
            let k = "\(r.localStart)|\(pool.joined(separator: "+"))"
            var e = byKey[k] ?? (r.localStart, pool, 0, 0)
            e.2 += r.required; e.3 += r.onFloor
            byKey[k] = e
        }
        return byKey.values.map { (localStart: $0.0, pool: $0.1, required: $0.2, onFloor: $0.3, short: max(0, $0.2 - $0.3)) }
            .filter { $0.short > FloorRequirement.tolerance }
            .sorted { a, b in
                a.short != b.short ? a.short > b.short : a.localStart != b.localStart ? a.localStart < b.localStart : a.pool.joined() < b.pool.joined()
            }
    }

    /// Builds the check from the staffing runs, the stored roster and (when there is one) the group schedule.
    public static func build(
        runs: [Store.StaffingRun], floor: FloorRequirement, roster doc: RosterDocument, schedule: (problem: ScheduleProblem, plan: ShiftSchedule)?,
        zone: ZoneRules
    ) -> FloorCheck {
        let grid = TimeGrid(validMinutes: doc.intervalMinutes) ?? .halfHour
        let slots = doc.slots
        // The roster's placed activities are planned shrinkage it shows by time: off the queues, not uplifted for.
        var floor = floor
        floor.placedPlanned = doc.activityShare ?? floor.placedPlanned
        var rostered = [[Int]](repeating: [Int](repeating: 0, count: slots), count: doc.queues.count)
        for sh in doc.shifts {
            for (k, c) in sh.queues.enumerated() where c >= 0 && sh.firstSlot + k >= 0 && sh.firstSlot + k < slots { rostered[c][sh.firstSlot + k] += 1 }
        }
        var scheduled: [String: [Double]] = [:]
        if let s = schedule {
            let sp = s.problem
            let planned = s.plan.planned(sp)
            let offset = Int(sp.firstDay - doc.startDay) * grid.slotsPerDay
            for (q, spec) in sp.queues.enumerated() {
                var v = [Double](repeating: 0, count: slots)
                for t in 0..<sp.horizon where t + offset >= 0 && t + offset < slots { v[t + offset] = planned[q][t] }
                scheduled[spec.id] = v
            }
        }
        var rows: [Row] = []
        for run in runs {
            guard let c = doc.queues.firstIndex(of: run.channel) else { continue }
            func lay<V>(_ value: (Store.RequirementRow, Int64) -> V) -> [V] where V: Comparable & Sendable & ExpressibleByIntegerLiteral {
                var req = Requirement<V>(queue: run.channel, grid: grid, firstDay: doc.startDay, days: doc.days)
                _ = req.lay(
                    run.rows.map { r in
                        let local = zone.local(fromUTC: r.ts)
                        return .init(localStart: local, minutes: run.intervalMinutes, value: value(r, local))
                    })
                return req.perSlot
            }
            let required = lay { r, _ in r.agentsFractional }
            let whole = lay { r, _ in r.agents }
            let needed = lay { r, local in floor.onShift(r, channel: run.channel, local: local) }
            for t in 0..<slots {
                let local = grid.localSeconds(firstDay: doc.startDay, index: t)
                let s = floor.shrinkage(channel: run.channel, local: local)
                let onFloor = Double(rostered[c][t]) * (1 - s.planned) * (1 - s.unplanned)
                guard required[t] > 0 || rostered[c][t] > 0 else { continue }
                rows.append(
                    Row(
                        localStart: local, channel: run.channel, required: required[t], requiredWhole: whole[t], onShiftNeeded: needed[t],
                        rosterRequired: doc.required[c][t], scheduled: scheduled[run.channel]?[t], rostered: rostered[c][t], onFloor: onFloor,
                        floorFactor: (1 - s.planned) * (1 - s.unplanned)))
            }
        }
        rows.sort { ($0.localStart, $0.channel) < ($1.localStart, $1.channel) }
        let pools = FloorRequirement.pools(channels: doc.queues, skillSets: doc.agents.map { $0.skills.map(\.queue) }).map { $0.map { doc.queues[$0] } }
        return FloorCheck(rows: rows, pools: pools, intervalHours: grid.hoursPerSlot)
    }

    /// The pooled gap as headcount: paid hours that would close it (each short on-floor hour needs
    /// 1 / ((1 - p)(1 - u)) paid hours), per week and as FTE of `hoursPerWeek`, attributed to channels in proportion
    /// to their own shortfall in each short slot (their share of the requirement where none is short alone).
    public func headcount(hoursPerWeek: Double, weeks: Int) -> (paidHoursPerWeek: Double, fte: Double, byChannel: [(channel: String, fte: Double)]) {
        var paid: [String: Double] = [:]
        var slots: [Int64: [Row]] = [:]
        for r in rows { slots[r.localStart, default: []].append(r) }
        for g in pooledGaps {
            let members = (slots[g.localStart] ?? []).filter { g.pool.contains($0.channel) }
            let own = members.reduce(0) { $0 + $1.short }
            let need = members.reduce(0) { $0 + $1.required }
            for m in members {
                let share = own > 0 ? m.short / own : (need > 0 ? m.required / need : 0)
                paid[m.channel, default: 0] += g.short * share / max(m.floorFactor, 1e-9) * intervalHours
            }
        }
        let perWeek = paid.values.reduce(0, +) / Double(max(weeks, 1))
        let by = paid.keys.sorted().map { (channel: $0, fte: paid[$0]! / Double(max(weeks, 1)) / hoursPerWeek) }.filter { $0.fte >= 0.05 }
        return (perWeek, perWeek / hoursPerWeek, by.sorted { $0.fte != $1.fte ? $0.fte > $1.fte : $0.channel < $1.channel })
    }

    /// floor.csv: one row per channel and slot with a requirement or anyone rostered.
    public func table() -> Table {
        var t = Table(columns: [
            "interval_start", "channel", "required_agents", "required_whole", "on_shift_needed", "roster_required", "scheduled",
            "rostered", "on_floor", "short"
        ])
        for r in rows {
            t.rows.append([
                .text(Civil.formatLocal(r.localStart)), .text(r.channel), .number(r.required, decimals: 3), .int(r.requiredWhole),
                .number(r.onShiftNeeded, decimals: 3), .int(r.rosterRequired), r.scheduled.map { .number($0, decimals: 3) } ?? .null,
                .int(r.rostered), .number(r.onFloor, decimals: 3), .number(r.short, decimals: 3)
            ])
        }
        return t
    }

    /// One line: the shortfall on the floor after shrinkage, pooled and per channel, and the largest gap.
    public var summaryLine: String {
        var s = String(
            format: "on the floor after shrinkage %.2f%% short of the required %.1f agent-hours (pooled; %.2f%% per channel)",
            shortfallPct, requiredHours, shortfallPerChannelPct)
        if let g = pooledGaps.first {
            s +=
                "; largest gap \(Civil.formatLocal(g.localStart)) \(g.pool.joined(separator: "+")): "
                + String(format: "%.1f required, %.1f on the floor", g.required, g.onFloor)
        }
        return s
    }
}
