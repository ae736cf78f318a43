import PlanningCore

/// How workable a roster is for the people on it, measured on the roster (whatever limits built it):
/// - weekly start spread: per agent and roster week with a shift, the latest minus the earliest start (clock
///   times of the start days), in hours;
/// - backward rotations: shifts starting more than an hour earlier than the same agent's shift the day before;
/// - queue switches: per shift, how often the queue changes between worked slots (the break does not count).
public struct WorkabilityMeasure: Sendable, Equatable {
    public var agentWeeks: Int
    public var medianStartSpreadHours: Double
    public var maxStartSpreadHours: Double
    public var backwardRotations: Int
    public var shifts: Int
    public var medianQueueSwitches: Double
    public var meanQueueSwitches: Double
    public var maxQueueSwitches: Int

    public init(_ roster: Roster, _ p: RosterProblem) {
        var spreads: [Double] = []
        var backward = 0
        for shifts in p.shiftsByAgent(roster, includeHistory: false) {
            let weeks = Dictionary(grouping: shifts, by: { $0.day / 7 })
            for w in weeks.keys.sorted() {
                let starts = weeks[w]!.map(\.start)
                spreads.append(LocalDateTime.hours(minutes: starts.max()! - starts.min()!))
            }
            for k in shifts.indices.dropFirst() where shifts[k - 1].day == shifts[k].day - 1 && shifts[k - 1].start - shifts[k].start > 60 {
                backward += 1
            }
        }
        let switches = roster.shifts.map { s -> Int in
            let worked = s.channels.filter { $0 >= 0 }
            return zip(worked, worked.dropFirst()).filter { $0 != $1 }.count
        }
        agentWeeks = spreads.count
        medianStartSpreadHours = Self.median(spreads)
        maxStartSpreadHours = spreads.max() ?? 0
        backwardRotations = backward
        shifts = switches.count
        medianQueueSwitches = Self.median(switches.map(Double.init))
        meanQueueSwitches = switches.isEmpty ? 0 : Double(switches.reduce(0, +)) / Double(switches.count)
        maxQueueSwitches = switches.max() ?? 0
    }

    static func median(_ x: [Double]) -> Double {
        guard !x.isEmpty else { return 0 }
        let s = x.sorted(), n = s.count
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
    }

    /// One line: `median weekly start spread 1.5 h (max 2.0), 0 backward rotations, queue switches per shift median 1 (mean 1.2, max 3)`.
    public var summary: String {
        func f(_ x: Double) -> String { String(format: "%.1f", x) }
        return "median weekly start spread \(f(medianStartSpreadHours)) h (max \(f(maxStartSpreadHours))), \(backwardRotations) backward rotation"
            + (backwardRotations == 1 ? "" : "s")
            + " over 1 h, queue switches per shift median \(f(medianQueueSwitches)) (mean \(String(format: "%.2f", meanQueueSwitches)), max \(maxQueueSwitches))"
    }
}
