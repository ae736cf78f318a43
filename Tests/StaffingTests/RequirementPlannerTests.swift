import Foundation
import PlanningCore
import PropertyBased
import Testing
@testable import Staffing

/// Demand on a 30-minute grid from 1999-01-04 (a Monday) 00:00, local = UTC.
func demandSeries(_ volumes: [Double], aht: Double = 180, minutes: Int = 30) -> [IntervalDemand] {
    let t0 = Civil.daysFromCivil(year: 1999, month: 1, day: 4) * 86_400
    return volumes.enumerated().map { k, v in
        let t = t0 + Int64(k * minutes * 60)
        return IntervalDemand(utc: t, local: t, volume: v, ahtSeconds: aht)
    }
}

@Suite struct RequirementPlannerTests {
    @Test("Erlang C and A: every row meets its targets, one agent fewer does not; fractional in (n-1, n]")
    func rowsMeetTargetsMinimally() async throws {
        await propertyCheck(input: Gen.double(in: 0...900), Gen.double(in: 30...900), Gen.double(in: 0.5...0.95), Gen.double(in: 30...600)) { v, aht, sl, patience in
            for withPatience in [false, true] {
                let c = try staffingConfig("""
                [service]
                service_level = \(sl)
                [staffing]
                max_asa_seconds = 60
                \(withPatience ? "patience_seconds = \(patience)\nmax_abandon = 0.1" : "")
                """)
                let s = try c.settings(for: "voice")
                let plan = try RequirementPlanner.plan(s, intervalMinutes: 30, demand: demandSeries([v], aht: aht))
                let r = plan.rows[0]
                let model: QueueModel = withPatience ? .erlangA : .erlangC
                #expect(s.model == (withPatience ? .erlangA : .erlangC))
                let q = try QueueLoad(arrivals: v, intervalSeconds: 1800, ahtSeconds: aht, patienceSeconds: withPatience ? patience : nil)
                let at = try model.metrics(q, agents: r.agents, serviceSeconds: 20)
                #expect(s.targets.isMet(by: at), "\(r.agents) agents miss \(s.targets.summary)")
                func close(_ x: Double?, _ y: Double?) -> Bool { x == nil ? y == nil : abs(x! - (y ?? .nan)) <= 1e-9 * max(1, abs(x!)) }
                #expect(close(r.serviceLevel, at.serviceLevel) && close(r.asaSeconds, at.asaSeconds) && close(r.occupancy, at.occupancy) && close(r.probAbandon, at.probAbandon))
                if r.agents > 0 {
                    let fewer = try? model.metrics(q, agents: r.agents - 1, serviceSeconds: 20)
                    #expect(fewer.map { !s.targets.isMet(by: $0) } ?? true, "\(r.agents - 1) agents already meet the targets")
                    #expect(r.agentsFractional > Double(r.agents - 1) && r.agentsFractional <= Double(r.agents))
                } else {
                    #expect(v == 0 && r.agentsFractional == 0 && r.serviceLevel == 1)
                }
                #expect(r.needed == r.agents && !r.unstable && plan.capped.isEmpty)
                #expect(abs(r.scheduled - Double(r.agents) / 0.7) < 1e-9)
            }
        }
    }

    @Test("more volume never needs fewer agents, for every model")
    func monotoneInVolume() throws {
        let volumes = stride(from: 0.0, through: 600, by: 7.5).map { $0 }
        for kind in ["voice", "chat", "email"] {
            let c = try staffingConfig("[[channels]]\nname = \"q\"\nkind = \"\(kind)\"\n[staffing]\nopen_hours = \"00:00-24:00\"\nopen_days = [\"mon\",\"tue\",\"wed\",\"thu\",\"fri\",\"sat\",\"sun\"]\n")
            let s = try c.settings(for: "q")
            if kind == "email" {
                // Deadline work: scaling every interval's volume up never lowers any interval's staffing.
                let base = (0..<96).map { Double(($0 * 37) % 50) }
                var previous: [Int]?
                for f in [0.5, 1, 1.5, 2, 4] {
                    let plan = try RequirementPlanner.plan(s, intervalMinutes: 30, demand: demandSeries(base.map { $0 * f }))
                    let total = plan.rows.reduce(0) { $0 + $1.agentsFractional }
                    #expect(abs(total + plan.carriedOut - base.reduce(0, +) * f * 180 / 1800) < 1e-6 * max(1, total), "work done + carried out = work arrived")
                    if let p = previous { #expect(plan.rows.map(\.agents).reduce(0, +) >= p.reduce(0, +)) }
                    previous = plan.rows.map(\.agents)
                }
            } else {
                let plan = try RequirementPlanner.plan(s, intervalMinutes: 30, demand: demandSeries(volumes))
                let agents = plan.rows.map(\.agents)
                #expect(agents == agents.sorted(), "\(kind): \(agents)")
                #expect(plan.rows.allSatisfy { $0.serviceLevel.map { $0.isFinite && $0 >= 0.8 - 1e-12 } ?? false })
            }
        }
    }

    @Test("chat with concurrency needs no more agents than one chat at a time")
    func chat() throws {
        let one = try staffingConfig("[[channels]]\nname = \"c\"\nkind = \"chat\"\n[staffing]\nmax_concurrency = 1\n").settings(for: "c")
        let three = try staffingConfig("[[channels]]\nname = \"c\"\nkind = \"chat\"\n").settings(for: "c")
        let d = demandSeries([5, 40, 120, 300], aht: 400)
        let a = try RequirementPlanner.plan(one, intervalMinutes: 30, demand: d), b = try RequirementPlanner.plan(three, intervalMinutes: 30, demand: d)
        for k in d.indices {
            #expect(b.rows[k].agents <= a.rows[k].agents)
            #expect(b.rows[k].agentsFractional <= Double(b.rows[k].agents) + 1e-12)
            #expect((1...3).contains(b.rows[k].concurrency ?? 0) && a.rows[k].concurrency == 1)
        }
        #expect(b.rows[3].agents < a.rows[3].agents)
    }

    @Test("deadline work: whole agents meet every deadline; closed hours get no staff; the levelled peak is the least possible")
    func deadline() throws {
        let s = try staffingConfig("[[channels]]\nname = \"m\"\nkind = \"email\"\n[staffing]\ndeadline_hours = 4\nopen_hours = \"08:00-18:00\"\n").settings(for: "m")
        let volumes = (0..<(48 * 5)).map { k in Double((k * 13) % 29) }
        let d = demandSeries(volumes, aht: 300)
        let plan = try RequirementPlanner.plan(s, intervalMinutes: 30, demand: d)
        let open = d.map { s.isOpen(localSeconds: $0.local) }
        let work = try DeadlineWork(workload: volumes.map { $0 * 300 / 1800 }, window: 8, open: open)
        #expect(try DeadlineStaffing.missedDeadlines(staffing: plan.rows.map { Double($0.agents) }, work: work).isEmpty)
        for k in d.indices where !open[k] { #expect(plan.rows[k].agents == 0) }
        #expect(abs((plan.rows.map(\.agentsFractional).max() ?? 0) - DeadlineStaffing.minimumPeakBruteForce(work)) < 1e-9)
        #expect(plan.rows.allSatisfy { $0.serviceLevel == nil && $0.asaSeconds == nil && $0.probAbandon == nil && ($0.backlog ?? -1) >= 0 })
    }

    @Test("bad interval data is a typed error naming the interval")
    func badData() throws {
        let s = try staffingConfig("").settings(for: "voice")
        var d = demandSeries([10, 20, 30])
        d[1].ahtSeconds = 0
        #expect(throws: RequirementError(kind: .data, index: 1, message: "aht_seconds is 0 with volume 20: contacts without handle time cannot be staffed; give the mean handle time in seconds (> 0)")) {
            try RequirementPlanner.plan(s, intervalMinutes: 30, demand: d)
        }
        // AHT 0 without volume is fine: nothing to handle.
        d[1].volume = 0
        #expect(try RequirementPlanner.plan(s, intervalMinutes: 30, demand: d).rows[1].agents == 0)
        d[2].volume = -.infinity
        let e = #expect(throws: RequirementError.self) { try RequirementPlanner.plan(s, intervalMinutes: 30, demand: d) }
        #expect(e?.index == 2 && e?.kind == .data)
        // Unknown handle time: a missing setting unless a fallback is configured.
        var u = demandSeries([10, 20])
        u[0].ahtSeconds = .nan
        let m = #expect(throws: RequirementError.self) { try RequirementPlanner.plan(s, intervalMinutes: 30, demand: u) }
        #expect(m?.kind == .missingSetting(key: "staffing.aht_seconds") && m?.index == 0)
        let fb = try staffingConfig("[staffing]\naht_seconds = 180\n").settings(for: "voice")
        let p = try RequirementPlanner.plan(fb, intervalMinutes: 30, demand: u)
        let direct = try RequirementPlanner.plan(fb, intervalMinutes: 30, demand: demandSeries([10]))
        #expect(p.rows[0].ahtSeconds == 180 && p.rows[0].agents == direct.rows[0].agents)
    }

    @Test("overload: max_agents at or below the load leaves Erlang C unstable, named, never a crash; Erlang A stays finite")
    func overload() throws {
        let c = try staffingConfig("[staffing]\nmax_agents = 10\n").settings(for: "voice")
        let d = demandSeries([20, 100, 150, 400])   // loads 2, 10, 15, 40 Erlangs at AHT 180 s
        let plan = try RequirementPlanner.plan(c, intervalMinutes: 30, demand: d)
        #expect(plan.capped == [1, 2, 3])
        #expect(plan.unstable == [1, 2, 3])
        #expect(plan.rows[3].agents == 10 && plan.rows[3].needed > 40 && plan.rows[3].serviceLevel == 0 && plan.rows[3].asaSeconds == nil)
        #expect(plan.rows[0].agents < 10 && !plan.rows[0].unstable)
        let a = try staffingConfig("[staffing]\nmax_agents = 10\npatience_seconds = 120\n").settings(for: "voice")
        let pa = try RequirementPlanner.plan(a, intervalMinutes: 30, demand: d)
        #expect(pa.unstable.isEmpty && pa.capped == [1, 2, 3])
        #expect(pa.rows.allSatisfy { ($0.asaSeconds ?? .nan).isFinite && ($0.probAbandon ?? .nan) >= 0 && $0.agents <= 10 })
        #expect(pa.rows[3].probAbandon! > 0.5)
        // Deadline work beyond the cap: deadlines are missed and listed.
        let m = try staffingConfig("[[channels]]\nname = \"m\"\nkind = \"email\"\n[staffing]\nmax_agents = 2\ndeadline_hours = 1\nopen_days = [\"mon\",\"tue\",\"wed\",\"thu\",\"fri\",\"sat\",\"sun\"]\n").settings(for: "m")
        let pm = try RequirementPlanner.plan(m, intervalMinutes: 30, demand: demandSeries([100, 0, 0, 0], aht: 180))
        #expect(!pm.missedDeadlines.isEmpty && pm.rows.allSatisfy { $0.agents <= 2 })
    }

    @Test("shrinkage by weekday sets scheduled = agents / ((1 - p)(1 - u))")
    func shrinkageByWeekday() throws {
        let s = try staffingConfig("[staffing]\nplanned_shrinkage = 0.2\nunplanned_shrinkage = 0.1\nplanned_shrinkage_by_weekday = { tue = 0.5 }\n").settings(for: "voice")
        // 1999-01-04 is a Monday: interval 48 is Tuesday 00:00.
        let plan = try RequirementPlanner.plan(s, intervalMinutes: 30, demand: demandSeries([Double](repeating: 60, count: 49)))
        let n = Double(plan.rows[0].agents)
        #expect(abs(plan.rows[0].scheduled - n / (0.8 * 0.9)) < 1e-9)
        #expect(abs(plan.rows[48].scheduled - n / (0.5 * 0.9)) < 1e-9)
    }
}
