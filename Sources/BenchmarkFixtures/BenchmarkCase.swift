import Foundation
import PlanningCore
import Rostering

/// Deterministic generated roster cases for `peakplan-bench roster` and the tests.
public enum BenchmarkCase {
    /// - profile: per channel, mean volume per (weekday x slots per day + half-hour slot), weekday 0 = Monday (the
    ///   bundled data's shape); requirements are this shape scaled so the week's required agent-hours are
    ///   `load` x the agents' expected paid hours. Slots no template can reach (before 06:00) need no one.
    /// - Agents: 60% full_time, 25% part_time, 15% flex; primary skill drawn by channel volume, 40% a second
    ///   skill (proficiency 2), 10% a third (3); about 10% of agent-days time off in blocks of 1-5 days; 30%
    ///   a preferred start band, 30% preferred days off.
    public static func make(agents n: Int, weeks: Int, seed: UInt64, channels: [String], profile: [[Double]],
                            startDay: Int64 = Civil.daysFromCivil(year: 2026, month: 3, day: 2), load: Double = 0.9) -> RosterProblem {
        var rng = SplitMix(seed: seed)
        func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        let days = weeks * 7
        let volume = profile.map { $0.reduce(0, +) }
        let totalVolume = max(volume.reduce(0, +), 1e-9)
        func pickChannel(excluding: Set<Int>) -> Int {
            let w = volume.enumerated().map { excluding.contains($0.offset) ? 0 : max($0.element, 1e-6) }
            var x = uniform() * w.reduce(0, +)
            for (i, v) in w.enumerated() { x -= v; if x <= 0 { return i } }
            return w.lastIndex { $0 > 0 } ?? 0
        }
        var agents: [Agent] = []
        var weeklyHours = 0.0
        for i in 0..<n {
            let u = uniform()
            let contract = u < 0.6 ? "full_time" : (u < 0.85 ? "part_time" : "flex")
            let k = RosterConfig.builtInContracts.first { $0.name == contract }!
            var chosen: [Int] = [pickChannel(excluding: [])]
            if uniform() < 0.4 && channels.count > 1 { chosen.append(pickChannel(excluding: Set(chosen))) }
            if chosen.count == 2 && uniform() < 0.25 && channels.count > 2 { chosen.append(pickChannel(excluding: Set(chosen))) }
            var off = Set<Int64>()
            let target = Int((Double(days) * 0.1).rounded())
            var guardCount = 0
            while off.count < target && guardCount < 50 {
                guardCount += 1
                let len = 1 + Int(rng.next() % 5), s = Int(rng.next() % UInt64(days))
                for d in s..<min(days, s + len, s + target - off.count + 0) where off.count < target { off.insert(startDay + Int64(d)) }
            }
            let band: ClosedRange<Int>? = uniform() < 0.3 ? { let s = (12 + Int(rng.next() % 12)) * 30; return s...(s + 120) }() : nil
            let prefOff: Set<Int> = uniform() < 0.3 ? (uniform() < 0.7 ? [5, 6] : [Int(rng.next() % 5)]) : []
            agents.append(Agent(id: "A\(i + 1)", name: "Agent \(i + 1)", skills: chosen.enumerated().map { Skill(queue: channels[$0.element], level: $0.offset + 1) },
                                contract: contract, site: i % 2 == 0 ? "north" : "south", unavailable: off, preferredStart: band, preferredDaysOff: prefOff))
            weeklyHours += (k.minHoursWeek + k.maxHoursWeek) / 2 * 0.9
        }
        let grid = TimeGrid.halfHour, slotsPerDay = grid.slotsPerDay
        let slotsWeek = grid.slotsPerWeek
        let agentSlotsWeek = grid.slots(inHours: weeklyHours) * load
        let firstReachable = grid.slot(ofMinute: RosterConfig.builtInTemplates.map(\.startEarliest).min() ?? 0)
        var shares = profile.map { p in (0..<slotsWeek).map { t in t % slotsPerDay >= firstReachable && t < p.count ? p[t] : 0 } }
        let reach = max(shares.flatMap { $0 }.reduce(0, +), 1e-9)
        shares = shares.map { $0.map { $0 / reach } }
        _ = totalVolume
        let startWeekday = Civil.weekday(ofDay: startDay)
        var required = [[Int]](repeating: [Int](repeating: 0, count: days * slotsPerDay), count: channels.count)
        for c in channels.indices {
            for d in 0..<days {
                let wd = (startWeekday + d) % 7
                for k in 0..<slotsPerDay {
                    // A little seeded day-to-day noise (+-10%) so weeks differ like real ones.
                    let noise = 0.9 + 0.2 * uniform()
                    required[c][d * slotsPerDay + k] = Int((shares[c][wd * slotsPerDay + k] * agentSlotsWeek * noise).rounded())
                }
            }
        }
        return RosterProblem(startDay: startDay, weeks: weeks, channels: channels, required: required, agents: agents,
                             contracts: RosterConfig.builtInContracts, templates: RosterConfig.builtInTemplates)
    }

    /// A smooth two-peak day shape for `channels` channels (when the bundled data is not at hand).
    public static func syntheticProfile(channels: Int) -> [[Double]] {
        let grid = TimeGrid.halfHour, slotsPerDay = grid.slotsPerDay
        return (0..<channels).map { c in
            (0..<grid.slotsPerWeek).map { t in
                let wd = t / slotsPerDay, h = Double(t % slotsPerDay) * grid.hoursPerSlot
                let day = wd >= 5 ? 0.5 : 1.0
                let a: Double = (h - 10.5) / 2.5, b: Double = (h - 15) / 3
                let shape: Double = max(0, Foundation.exp(-a * a) + 0.8 * Foundation.exp(-b * b) - 0.02)
                return day * shape * Double(channels - c)
            }
        }
    }
}
