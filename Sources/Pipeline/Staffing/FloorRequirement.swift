import PlanningCore
import Staffing
import Store

/// What the floor needs, from the stored staffing runs, for the schedule and the roster.
///
/// - **On shift, continuous**: the channel's continuous productive requirement (`agents_fractional`) uplifted for
///   planned and unplanned shrinkage, `x / ((1 - p)(1 - u))`, with the channel's shrinkage on that weekday
///   (`[staffing]`). Breaks in shift templates are placed by the schedule and the roster, so they are not part of
///   shrinkage (document them there, not in `planned_shrinkage`).
/// - **Pooled**: integer rounding is applied once per pool of channels that share agents (connected by a group or
///   an agent with skills in several), not once per channel: per interval the pool needs the ceiling of its
///   channels' sum; each channel gets its whole part and the pool's remaining agents go to the largest remainders.
///   Rounding per channel and interval and then summing overstated the demo's requirement by about a quarter.
public struct FloorRequirement: Sendable {
    /// The staffing configuration the runs were computed with (its shrinkage by channel and weekday).
    public var staffing: StaffingConfig
    /// The share of paid time the roster places as named activities (`[[roster.activities]]`: meetings, training).
    /// It is taken out of the planned shrinkage so that the total stays the same: the rest, applied to the time left
    /// on the queues, is `1 - (1 - planned) / (1 - placed)` (never below 0). Placed time is not uplifted for again.
    public var placedPlanned: Double

    public init(staffing: StaffingConfig, placedPlanned: Double = 0) { self.staffing = staffing; self.placedPlanned = placedPlanned }

    /// The channel's shrinkage on the weekday of a local time (none when the channel cannot be staffed), less the
    /// placed activities' part of the planned shrinkage (`placedPlanned`).
    public func shrinkage(channel: String, local: Int64) -> Shrinkage {
        let t = LocalDateTime(localSeconds: local)
        guard let s = (try? staffing.settings(for: channel))?.shrinkage(weekday: Civil.weekday(ofDay: t.day), minute: t.minuteOfDay) else {
            return try! Shrinkage(planned: 0, unplanned: 0)
        }
        guard placedPlanned > 0 else { return s }
        let rest = placedPlanned < 1 ? max(0, 1 - (1 - s.planned) / (1 - placedPlanned)) : 0
        return (try? Shrinkage(planned: rest, unplanned: s.unplanned)) ?? s
    }

    /// Agents on shift (continuous) for one staffing row at a local time.
    public func onShift(_ row: Store.RequirementRow, channel: String, local: Int64) -> Double {
        shrinkage(channel: channel, local: local).scheduled(productive: row.agentsFractional)
    }

    /// Whole agents per channel and slot, rounded once per pool and slot (see the type's comment). `x[c][t]`:
    /// continuous requirement of channel `c` in slot `t`; `pools`: channel indices per pool (every channel in one).
    public static func pooled(_ x: [[Double]], pools: [[Int]]) -> [[Int]] {
        var out = x.map { $0.map { _ in 0 } }
        let slots = x.first?.count ?? 0
        for pool in pools {
            for t in 0..<slots {
                let values = pool.map { max(0, x[$0][t]) }
                let total = values.reduce(0, +)
                guard total > tolerance else { continue }
                let need = Int((total - tolerance).rounded(.up))
                var whole = values.map { Int(($0 + tolerance).rounded(.down)) }
                var left = need - whole.reduce(0, +)
                // Largest remainders first; ties in channel order.
                let order = values.indices.sorted { (values[$0] - Double(whole[$0]), -$0) > (values[$1] - Double(whole[$1]), -$1) }
                for k in order where left > 0 && values[k] - Double(whole[k]) > tolerance {
                    whole[k] += 1
                    left -= 1
                }
                for (k, c) in pool.enumerated() { out[c][t] = whole[k] }
            }
        }
        return out
    }

    /// Values within this of a whole number are that number (rounding noise never buys an agent).
    public static let tolerance = 1e-6

    /// Pools of channels: connected components of the graph where a skill set links every channel in it (a group
    /// serving several queues, an agent with several skills). Channels in no skill set are pools of their own.
    public static func pools(channels: [String], skillSets: [[String]]) -> [[Int]] {
        var parent = Array(channels.indices)
        func find(_ i: Int) -> Int {
            var i = i
            while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }
            return i
        }
        for set in skillSets {
            let ix = set.compactMap { channels.firstIndex(of: $0) }
            guard let first = ix.first else { continue }
            for j in ix.dropFirst() { parent[find(j)] = find(first) }
        }
        var groups: [Int: [Int]] = [:]
        var order: [Int] = []
        for i in channels.indices {
            let r = find(i)
            if groups[r] == nil { order.append(r) }
            groups[r, default: []].append(i)
        }
        return order.map { groups[$0]! }
    }
}
