import Pipeline
import PlanningCore
import Staffing
import Store
import Testing
import TestSupport

/// `FloorRequirement`: shrinkage uplift and rounding once per pool of channels that share agents.
@Suite struct FloorRequirementTests {
    /// A staffing row needing 2.52 productive agents (continuous).
    static let row = Store.RequirementRow(
        ts: 0, volume: 10, aht: 180, agents: 3, agentsFractional: 2.52, scheduled: 0, needed: 3,
        serviceLevel: .nan, asaSeconds: .nan, occupancy: .nan, probAbandon: .nan)

    @Test("pools are the connected components of the skill sets; channels in none stand alone")
    func pools() {
        let ch = ["ps", "pe", "in", "ne", "nw", "tt", "voice"]
        let p = FloorRequirement.pools(channels: ch, skillSets: [["ps", "pe"], ["ne", "in"], ["in", "tt"], ["nw"], ["unknown", "nw"]])
        #expect(p == [[0, 1], [2, 3, 5], [4], [6]])
        #expect(FloorRequirement.pools(channels: ch, skillSets: [ch]) == [Array(0..<7)])
    }

    @Test("pooled rounding: each pool gets the ceiling of its sum, each channel its whole part or one more; never more than rounding per channel")
    func pooledProperties() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<300 {
            let channels = Int.random(in: 1...6, using: &rng), slots = Int.random(in: 1...8, using: &rng)
            let x = (0..<channels).map { _ in
                (0..<slots).map { _ -> Double in
                    switch Int.random(in: 0...4, using: &rng) {
                    case 0: return 0
                    case 1: return Double(Int.random(in: 0...5, using: &rng))  // whole numbers stay whole
                    default: return Double.random(in: 0...6, using: &rng)
                    }
                }
            }
            let cut = Int.random(in: 0...channels, using: &rng)
            let pools = [Array(0..<cut), Array(cut..<channels)].filter { !$0.isEmpty }
            let out = FloorRequirement.pooled(x, pools: pools)
            let tol = FloorRequirement.tolerance
            for t in 0..<slots {
                for pool in pools {
                    let sum = pool.reduce(0.0) { $0 + x[$1][t] }
                    let got = pool.reduce(0) { $0 + out[$1][t] }
                    #expect(got == (sum > tol ? Int((sum - tol).rounded(.up)) : 0), "pool total is the ceiling of its sum")
                    #expect(got <= pool.reduce(0) { $0 + Int((x[$1][t] - tol).rounded(.up)) }, "never above rounding per channel")
                }
                for c in 0..<channels {
                    let whole = Int((x[c][t] + tol).rounded(.down))
                    #expect(out[c][t] == whole || out[c][t] == whole + 1, "a channel gets its whole part or one more")
                    if x[c][t] == x[c][t].rounded() { #expect(out[c][t] == Int(x[c][t]), "whole requirements are kept") }
                }
            }
        }
    }

    @Test("one channel per pool is plain rounding up; a known case distributes by largest remainder")
    func knownCases() {
        #expect(FloorRequirement.pooled([[0.2, 1.0, 1.000_000_1, 2.5]], pools: [[0]]) == [[1, 1, 1, 3]])
        // 0.4 + 0.3 + 1.6 = 2.3 -> 3 agents: whole parts 0, 0, 1; two more to the largest remainders (1.6, then 0.4).
        #expect(FloorRequirement.pooled([[0.4], [0.3], [1.6]], pools: [[0, 1, 2]]) == [[1], [0], [2]])
        // Rounded per channel this would be 1 + 1 + 2 = 4.
    }

    /// Shrinkage 0.3 (planned 0.2 on Mondays), unplanned 0.1: the configuration of the uplift tests.
    static let shrinkage = """
        format_version = 1
        [service]
        shrinkage = 0.3
        [staffing]
        unplanned_shrinkage = 0.1
        planned_shrinkage_by_weekday = { mon = 0.2 }
        """

    @Test("on shift = continuous productive agents / ((1 - planned)(1 - unplanned)) with the channel's weekday shrinkage")
    func uplift() throws {
        let floor = FloorRequirement(staffing: try StaffingConfig.parse(try WorkspaceConfig.parse(Self.shrinkage)))
        let row = Self.row
        let day = Civil.daysFromCivil(year: 2026, month: 12, day: 7)  // a Monday
        let monday = LocalDateTime.startOfDay(day), tuesday = LocalDateTime.startOfDay(day + 1)
        expectClose(floor.onShift(row, channel: "voice", local: monday), 2.52 / (0.8 * 0.9), relative: 1e-12)
        expectClose(floor.onShift(row, channel: "voice", local: tuesday), 2.52 / (0.7 * 0.9), relative: 1e-12)
        // Activities the roster places (4% of paid time) come out of the planned part, the total kept: what stays on
        // the queues after them, (1 - 0.04) x (1 - rest), is 1 - planned. Never below 0.
        var placed = floor
        placed.placedPlanned = 0.04
        expectClose(placed.onShift(row, channel: "voice", local: monday), 2.52 / ((0.8 / 0.96) * 0.9), relative: 1e-12)
        expectClose(placed.onShift(row, channel: "voice", local: tuesday), 2.52 / ((0.7 / 0.96) * 0.9), relative: 1e-12)
        expectClose(0.96 * (1 - placed.shrinkage(channel: "voice", local: tuesday).planned), 0.7, relative: 1e-12)
        placed.placedPlanned = 0.5
        expectClose(placed.onShift(row, channel: "voice", local: monday), 2.52 / 0.9, relative: 1e-12)
    }

    @Test("shrinkage by clock window replaces the weekday's inside the window; bad windows are refused by key")
    func upliftByHours() throws {
        let text =
            Self.shrinkage + """

                planned_shrinkage_by_hours = { "08:00-10:00" = 0.4 }
                unplanned_shrinkage_by_hours = { "22:00-24:00" = 0.05 }
                """
        let floor = FloorRequirement(staffing: try StaffingConfig.parse(try WorkspaceConfig.parse(text)))
        let row = Self.row
        let monday = LocalDateTime.startOfDay(Civil.daysFromCivil(year: 2026, month: 12, day: 7))
        func at(_ h: Int, _ m: Int) -> Int64 { monday + Int64(h * 3600 + m * 60) }
        expectClose(floor.onShift(row, channel: "voice", local: at(7, 30)), 2.52 / (0.8 * 0.9), relative: 1e-12)
        expectClose(floor.onShift(row, channel: "voice", local: at(8, 0)), 2.52 / (0.6 * 0.9), relative: 1e-12)
        expectClose(floor.onShift(row, channel: "voice", local: at(9, 30)), 2.52 / (0.6 * 0.9), relative: 1e-12)
        expectClose(floor.onShift(row, channel: "voice", local: at(10, 0)), 2.52 / (0.8 * 0.9), relative: 1e-12)
        expectClose(floor.onShift(row, channel: "voice", local: at(23, 30)), 2.52 / (0.8 * 0.95), relative: 1e-12)
        // Written out and read back, the windows stay.
        let settings = try StaffingConfig.parse(try WorkspaceConfig.parse(text)).settings(for: "voice")
        #expect(settings.plannedByHours == [HoursShrinkage(from: 480, to: 600, value: 0.4)])
        for (bad, key) in [
            ("{ \"10:00-08:00\" = 0.4 }", "staffing.planned_shrinkage_by_hours.10:00-08:00"),
            ("{ \"08:00-10:00\" = 0.4, \"09:00-11:00\" = 0.2 }", "staffing.planned_shrinkage_by_hours.09:00-11:00"),
            ("{ \"08:00-10:00\" = 1.2 }", "staffing.planned_shrinkage_by_hours.08:00-10:00")
        ] {
            let t = text.replacingOccurrences(of: "{ \"08:00-10:00\" = 0.4 }", with: bad)
            do {
                _ = try StaffingConfig.parse(try WorkspaceConfig.parse(t))
                Issue.record("\(bad) was accepted")
            } catch let e as ConfigError { #expect(e.key == key, "\(e)") }
        }
    }
}
