import PlanningCore
import Testing
@testable import Rostering
import BenchmarkFixtures

/// Rosters people can work (issue 14 item 4): start limits, queue blocks and breaks placed by load.
@Suite struct WorkabilityTests {
    static func problem(agents: Int, weeks: Int, seed: UInt64) -> RosterProblem {
        EngineTests.problem(agents: agents, weeks: weeks, seed: seed)
    }

    /// Every shift's queue blocks (runs of one queue between the shift's edges and its break) are at least the
    /// minimum long, except a piece of the shift shorter than the minimum, which is one block.
    static func blocksRespect(_ s: RosterShift, minSlots: Int) -> Bool {
        var pieces: [[Int]] = [[]]
        for c in s.channels { if c < 0 { pieces.append([]) } else { pieces[pieces.count - 1].append(c) } }
        for piece in pieces where !piece.isEmpty {
            var runs: [Int] = [], last = -2
            for c in piece { if c == last { runs[runs.count - 1] += 1 } else { runs.append(1); last = c } }
            if piece.count < minSlots { if runs.count != 1 { return false } } else if runs.contains(where: { $0 < minSlots }) { return false }
        }
        return true
    }

    @Test(arguments: [(UInt64(1), 30, 2), (2, 60, 3), (3, 20, 4)])
    func defaultsHoldOnGeneratedCases(seed: UInt64, agents: Int, weeks: Int) throws {
        let p = Self.problem(agents: agents, weeks: weeks, seed: seed)
        #expect(p.workability == Workability())
        let r = try RosterEngine(problem: p, options: .init(seed: seed)).solve()
        #expect(RuleRegistry.hardViolations(r.roster, p).isEmpty)
        let m = WorkabilityMeasure(r.roster, p)
        #expect(m.maxStartSpreadHours <= 2)
        #expect(m.agentWeeks > 0)
        for shifts in p.shiftsByAgent(r.roster, includeHistory: false) {
            for k in shifts.indices.dropFirst() where shifts[k - 1].day == shifts[k].day - 1 {
                #expect(shifts[k - 1].start - shifts[k].start <= 120, "backward rotation above the 2 h limit")
            }
        }
        for s in r.roster.shifts { #expect(Self.blocksRespect(s, minSlots: 4), "queue blocks under 2 h: \(s.channels)") }
    }

    /// The limits cost little coverage against a roster without them (measured: a few points at most here).
    @Test func limitsCostLittleCoverage() throws {
        let p = Self.problem(agents: 60, weeks: 2, seed: 5)
        var free = p
        free.workability = .unconstrained
        let limited = try RosterEngine(problem: p).solve().metrics.shortfallPct
        let open = try RosterEngine(problem: free).solve().metrics.shortfallPct
        #expect(limited - open < 5, "limits cost \(limited - open) points")
        let wFree = WorkabilityMeasure(try RosterEngine(problem: free).solve().roster, free)
        let wLimited = WorkabilityMeasure(try RosterEngine(problem: p).solve().roster, p)
        #expect(wLimited.meanQueueSwitches <= wFree.meanQueueSwitches)
        #expect(wLimited.maxStartSpreadHours <= 2)
    }

    /// The rule catches what it forbids (it can fail): a 3-hour spread in a week and a 4-hour backward rotation.
    @Test func startLimitsRuleFindsViolations() throws {
        let p = Self.problem(agents: 10, weeks: 1, seed: 4)
        let r = try RosterEngine(problem: p).solve()
        let a = try #require(r.roster.shifts.first).agent
        var bad = r.roster
        let mine = bad.shifts.indices.filter { bad.shifts[$0].agent == a }.sorted { bad.shifts[$0].day < bad.shifts[$1].day }
        try #require(mine.count >= 2)
        bad.shifts[mine[0]].start = 12 * 60
        bad.shifts[mine[1]].start = 8 * 60
        bad.shifts[mine[1]].day = bad.shifts[mine[0]].day + 1
        let v = StartLimitsRule().evaluate(bad, p)
        #expect(v.contains { $0.message.contains("spread") })
        #expect(v.contains { $0.message.contains("backward rotation") })
        var off = p
        off.workability = .unconstrained
        #expect(StartLimitsRule().evaluate(bad, off).isEmpty)
    }

    /// The break goes where the load allows: one agent, one queue needing 1 agent all day except a half-hour
    /// inside the break window, where it needs none: the break is taken there, not at the window's middle.
    @Test func breakPlacedWhereLoadAllows() throws {
        var p = Self.problem(agents: 1, weeks: 1, seed: 1)
        p.channels = ["voice"]
        p.agents[0].skills = [Skill(queue: "voice", level: 1)]
        p.agents[0].contract = "full_time"
        p.agents[0].windows = [:]
        p.agents[0].unavailable = []
        p.agents[0].unavailableWeekdays = []
        p.agents[0].preferredStart = nil
        p.templates = [ShiftTemplate(name: "day8", startEarliest: 8 * 60, startLatest: 8 * 60, paidHours: 8, breakMinutes: 30, breakWindow: 180...300)]
        p.contracts = p.contracts.map { var c = $0; c.templates = ["day8"]; return c }
        let g = p.grid
        p.required = [(0..<p.slots).map { t in g.startMinute(ofSlot: t % g.slotsPerDay) == 8 * 60 + 300 ? 0 : 1 }]
        let r = try RosterEngine(problem: p).solve()
        try #require(!r.roster.shifts.isEmpty)
        for s in r.roster.shifts {
            #expect(p.breakPlacement(s) == 10..<11, "break at slots \(String(describing: p.breakPlacement(s)))")
        }
        #expect(RuleRegistry.hardViolations(r.roster, p).isEmpty)
    }

    /// Overtime suggestions cover real gaps: the shortfall they report equals the coverage with them added,
    /// each covers at least half its hours, extra shifts fall on days off, and extensions keep the minimum rest.
    @Test func overtimeSuggestionsCoverGaps() throws {
        var p = Self.problem(agents: 20, weeks: 1, seed: 8)
        p.required = p.required.map { $0.map { $0 * 2 } }
        let r = try RosterEngine(problem: p).solve()
        let (sugs, after) = OvertimeAdvisor().suggest(r.roster, p)
        try #require(!sugs.isEmpty)
        #expect(after < r.metrics.shortfallPct)
        let req = Double(r.metrics.requiredAgentSlots)
        let coveredSlots = sugs.reduce(0) { $0 + $1.coveredHours } / p.grid.hoursPerSlot
        #expect(abs((r.metrics.shortfallPct - after) / 100 * req - coveredSlots) < 1e-6)
        let byAgent = p.shiftsByAgent(r.roster)
        for s in sugs {
            #expect(s.coveredHours >= 0.5 * s.hours - 1e-9)
            if s.kind == "extra-shift" { #expect(!byAgent[s.agent].contains { $0.day == s.day }) }
            let rest = Int((p.contract(of: s.agent)!.minRestHours * 60).rounded(.up))
            for o in byAgent[s.agent] where !(o.day == s.day && s.kind != "extra-shift") {
                #expect(p.endMinute(o) + rest <= s.start || s.end + rest <= o.startMinute, "\(s.kind) too close to another shift")
            }
        }
        #expect(Set(sugs.map { $0.agent * 100 + $0.day }).count == sugs.count)
        // Offers keep availability windows: with every agent available only during its own shifts (a window per
        // weekday it works, no other day), no extension and no extra shift is possible.
        var tight = p
        for a in tight.agents.indices { tight.agents[a].windows = [:] }
        for s in r.roster.shifts { tight.agents[s.agent].windows[tight.weekday(s.day)] = s.start...(s.start + tight.templates[s.template].lengthMinutes) }
        for a in tight.agents.indices where tight.agents[a].windows.isEmpty { tight.agents[a].unavailableWeekdays = Set(0..<7) }
        #expect(sugs.contains { $0.kind != "extra-shift" }, "the unbounded case offers extensions")
        #expect(OvertimeAdvisor().suggest(r.roster, tight).suggestions.isEmpty)
    }
}
