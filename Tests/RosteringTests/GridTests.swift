import Foundation
import PlanningCore
import Reports
import Testing
@testable import Rostering

/// The roster on the workspace's grid (60 and 15 minutes besides the usual 30): the requirement it plans
/// against equals the staffing requirement slot by slot, and the engine keeps every hard rule.
@Suite struct GridTests {
    static let start = Civil.daysFromCivil(year: 2026, month: 3, day: 2)  // a Monday
    static let channels = ["voice", "chat"]
    static let zone = try! ZoneRules("+02:00")

    /// Whole agents needed on `channel` at a wall-clock minute of the day: a two-peak weekday, a lower weekend.
    static func agents(channel: Int, weekday: Int, minuteOfDay m: Int) -> Int {
        let h = Double(m) / 60
        let shape = exp(-pow((h - 11) / 2.5, 2)) + 0.7 * exp(-pow((h - 16) / 3, 2))
        let scale = (channel == 0 ? 7.0 : 3.0) * (weekday >= 5 ? 0.5 : 1)
        return h < 6 || h >= 22 ? 0 : Int((shape * scale).rounded())
    }

    /// A staffing requirement as staffing stores it: rows of the given interval, UTC starts, from the day
    /// before the horizon to the day after it (rows outside the horizon must be ignored).
    static func staffing(intervalMinutes iv: Int, days: Int) -> [StaffingRequirement] {
        channels.indices.map { c in
            var rows: [(utc: Int64, agents: Int)] = []
            for d in -1...days {
                let day = start + Int64(d)
                for m in stride(from: 0, to: 24 * 60, by: iv) {
                    let local = LocalDateTime(day: day, minuteOfDay: m).localSeconds
                    guard case .unique(let utc) = zone.resolve(local: local) else { continue }
                    rows.append((utc, agents(channel: c, weekday: Civil.weekday(ofDay: day), minuteOfDay: m)))
                }
            }
            return StaffingRequirement(intervalMinutes: iv, rows: rows)
        }
    }

    static func agentsFile() -> String {
        var s = "agent_id,name,skills,contract,site,preferred_start,availability\n"
        for i in 1...16 {
            let skills = i % 3 == 0 ? "chat:1|voice:2" : "voice:1|chat:2"
            let contract = ["full_time", "full_time", "part_time", "flex"][i % 4]
            let band = i % 5 == 0 ? "07:00-09:00" : ""
            let window = i == 7 ? "mon-sat 06:00-20:00" : ""
            s += "A\(i),Agent \(i),\(skills),\(contract),north,\(band),\(window)\n"
        }
        return s
    }

    static func problem(grid: TimeGrid, weeks: Int = 1) throws -> (RosterProblem, expected: [[Int]]) {
        let days = weeks * 7
        let (required, covered) = RosterProblem.required(staffing(intervalMinutes: grid.minutes, days: days), grid: grid,
                                                         startDay: start, days: days, zone: zone)
        #expect(covered == channels.count * days * grid.slotsPerDay, "every row inside the horizon, none outside")
        // The staffing requirement, slot by slot, computed directly from the wall clock.
        let expected = channels.indices.map { c in
            (0..<grid.slots(days: days)).map { t in
                let (d, k) = grid.split(index: t)
                return agents(channel: c, weekday: Civil.weekday(ofDay: start + Int64(d)), minuteOfDay: grid.startMinute(ofSlot: k))
            }
        }
        let parsed = try AgentsCSV.parse(agentsFile(), file: "agents.csv", channels: channels, contracts: RosterConfig.builtInContracts,
                                         horizon: start...(start + Int64(days) - 1), grid: grid)
        let p = RosterProblem(startDay: start, weeks: weeks, channels: channels, required: required, agents: parsed.agents,
                              contracts: RosterConfig.builtInContracts, templates: RosterConfig.builtInTemplates, zone: zone, grid: grid)
        return (p, expected)
    }

    @Test(arguments: [60, 15, 30])
    func requirementEqualsStaffingOnEverySlot(minutes: Int) throws {
        let grid = try TimeGrid(minutes: minutes)
        let (p, expected) = try Self.problem(grid: grid)
        #expect(p.slots == 7 * grid.slotsPerDay)
        for c in p.channels.indices {
            #expect(p.required[c].count == p.slots)
            let differ = (0..<p.slots).filter { p.required[c][$0] != expected[c][$0] }
            #expect(differ.isEmpty, "\(p.channels[c]) on the \(grid): \(differ.count) slots differ, first \(differ.first.map { grid.label(firstDay: Self.start, index: $0) } ?? "")")
        }
        // Hours with demand have it in every slot (the old fixed 30-minute roster left every other half hour at 0).
        #expect(p.required[0].filter { $0 > 0 }.count == expected[0].filter { $0 > 0 }.count)
        #expect(expected[0].filter { $0 > 0 }.count > 10 * grid.slotsPerDay / 24)
    }

    /// A 60-minute staffing requirement on a 30-minute roster grid fills both halves of each hour.
    @Test func hourlyStaffingOnAHalfHourGrid() {
        let (required, _) = RosterProblem.required(Self.staffing(intervalMinutes: 60, days: 7), grid: .halfHour, startDay: Self.start, days: 7, zone: Self.zone)
        for c in Self.channels.indices {
            for hour in 0..<(7 * 24) {
                let want = Self.agents(channel: c, weekday: Civil.weekday(ofDay: Self.start + Int64(hour / 24)), minuteOfDay: (hour % 24) * 60)
                #expect(required[c][2 * hour] == want && required[c][2 * hour + 1] == want)
            }
        }
    }

    @Test(arguments: [60, 15])
    func engineKeepsHardRulesOnTheGrid(minutes: Int) throws {
        let grid = try TimeGrid(minutes: minutes)
        let (p, _) = try Self.problem(grid: grid, weeks: 2)
        let r = try RosterEngine(problem: p, options: .init(seed: 3, timeLimitSeconds: 60)).solve()
        #expect(RuleRegistry.hardViolations(r.roster, p).isEmpty)
        #expect(r.metrics.hardViolations == 0 && r.metrics.shifts > 20)
        #expect(r.metrics.requiredAgentSlots == p.required.flatMap { $0 }.reduce(0, +))
        #expect(r.metrics.shortfallPct < 60, "the roster covers most of the requirement (\(r.metrics.shortfallPct)%)")
        let cover = p.coverage(r.roster)
        #expect(cover.flatMap { $0 }.reduce(0, +) > 0)
        for s in r.roster.shifts {
            let t = p.templates[s.template]
            #expect(grid.isOnGrid(minute: s.start), "start \(s.start) on the \(grid)")
            #expect(s.channels.count == grid.slotsCovering(minutes: t.lengthMinutes))
            // Activities keep the shift's real times: contiguous from start to end, paid time working, the break its length.
            let acts = RosterExport.activities(s, p)
            #expect(acts.first?.start == s.startMinute && acts.last?.end == p.endMinute(s))
            #expect(zip(acts, acts.dropFirst()).allSatisfy { $0.end == $1.start })
            let work = acts.filter { $0.kind == "work" }.reduce(0) { $0 + $1.end - $1.start }
            let rest = acts.filter { $0.kind == "break" }.reduce(0) { $0 + $1.end - $1.start }
            #expect(work == Int((t.paidHours * 60).rounded()) && rest == t.breakMinutes)
            // Each worked slot serves a skill; the break slots serve none: one run of the break's length inside the
            // template's window (placed by load).
            if let w = p.breakWindow(s.template) {
                let b = p.breakPlacement(s)
                #expect(b?.count == w.length && (w.earliest...w.latest).contains(b?.lowerBound ?? -1))
                for k in s.channels.indices { #expect((b?.contains(k) ?? false) == (s.channels[k] < 0)) }
            } else {
                #expect(s.channels.allSatisfy { $0 >= 0 })
            }
        }
        // Preferred start bands are kept on the grid as on 30 minutes (soft, so measured, not forced).
        #expect(r.metrics.preferencesMetPct > 0)
        let csv = RosterExport.csv(r.roster, p)
        #expect(csv.split(separator: "\n").count > r.metrics.shifts)
    }

    /// Availability windows are checked against the starts the grid allows: a 07:30-16:00 window fits an
    /// 8.5-hour shift only at 07:30, a start the 60-minute grid does not have.
    @Test func windowsUseTheGridsStarts() throws {
        let file = "agent_id,name,skills,contract,site,availability\nA1,Ann,voice:1,full_time,north,mon-fri 07:30-16:00\n"
        let ok = try AgentsCSV.parse(file, file: "a.csv", channels: ["voice"], contracts: RosterConfig.builtInContracts, grid: .halfHour)
        #expect(ok.agents.count == 1)
        #expect(throws: RosterInputError.self) {
            try AgentsCSV.parse(file, file: "a.csv", channels: ["voice"], contracts: RosterConfig.builtInContracts, grid: .hour)
        }
        #expect(RosterConfig.builtInTemplates[0].starts(on: .hour) == Array(stride(from: 360, through: 900, by: 60)))
        #expect(RosterConfig.builtInTemplates[0].starts(on: .quarterHour) == RosterConfig.builtInTemplates[0].starts(on: .halfHour))
    }
}
