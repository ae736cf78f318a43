import Foundation
import PropertyBased
import Testing
import PlanningCore
@testable import Staffing

@Suite struct ChatTests {
    @Test func oneChatAtATimeIsPlainErlang() throws {
        for patience in [nil, 90.0] {
            let q = try load(120, aht: 300, patience: patience)
            let chat = try ChatQueue(load: q, concurrencyFactors: [1])
            let model: QueueModel = patience == nil ? .erlangC : .erlangA
            let t = try StaffingTargets(serviceLevel: 0.8, serviceSeconds: 30)
            #expect(try ChatStaffing.solve(chat, targets: t).agents == StaffSolver.solve(model, load: q, targets: t).agents)
            #expect(try ChatStaffing.metrics(chat, agents: 25, serviceSeconds: 30).metrics == model.metrics(q, agents: 25, serviceSeconds: 30))
        }
    }

    @Test func concurrencySlotsAndMinimality() async {
        await propertyCheck(input: Gen.double(in: 1...600), Gen.double(in: 0.5...0.95), Gen.int(in: 1...4), Gen.double(in: 1.0...1.6)) { arrivals, sl, k, growth in
            // f(j) = growth^(j-1): each extra chat slows every chat by the same factor.
            let factors = (1...k).map { pow(growth, Double($0 - 1)) }
            let chat = try ChatQueue(load: load(arrivals, aht: 400, patience: 180), concurrencyFactors: factors)
            let t = try StaffingTargets(serviceLevel: sl, serviceSeconds: 30)
            let r = try ChatStaffing.solve(chat, targets: t)
            #expect(t.isMet(by: r.metrics) && r.metrics.agents == Double(r.agents))
            // No cap works with one agent fewer.
            for j in 1...k where r.agents > 0 {
                let fewer = try ChatStaffing.metrics(chat, agents: r.agents - 1, concurrency: j, serviceSeconds: 30)
                #expect(!t.isMet(by: fewer.metrics), "\(r.agents - 1) agents at cap \(j) already meet the target")
            }
            // Concurrency with a mild slowdown never needs more agents than one chat at a time.
            let single = try ChatStaffing.solve(ChatQueue(load: chat.load, concurrencyFactors: [1]), targets: t)
            #expect(r.agents <= single.agents)
        }
    }

    @Test func concurrencyHelpsOnlyWhileThroughputGrows() throws {
        // Two chats at once each taking 2.5x as long lowers an agent's throughput (2/2.5 < 1): the solver keeps cap 1.
        let chat = try ChatQueue(load: load(200, aht: 300, patience: 120), concurrencyFactors: [1, 2.5])
        let r = try ChatStaffing.solve(chat, targets: StaffingTargets(serviceLevel: 0.8, serviceSeconds: 30))
        #expect(r.concurrency == 1)
        let good = try ChatQueue(load: load(200, aht: 300, patience: 120), concurrencyFactors: [1, 1.3, 1.7])
        #expect(try ChatStaffing.solve(good, targets: StaffingTargets(serviceLevel: 0.8, serviceSeconds: 30)).concurrency > 1)
    }
}

/// Every staffing curve over `n` intervals with values from `levels`.
func allCurves(_ n: Int, _ levels: [Double]) -> [[Double]] {
    var out: [[Double]] = [[]]
    for _ in 0..<n { out = out.flatMap { c in levels.map { c + [$0] } } }
    return out
}

@Suite struct DeadlineTests {
    static let unit = [0.0, 0.5, 1, 1.5, 2]

    @Test func latestCurveIsPrefixMinimalAgainstBruteForce() async {
        await propertyCheck(count: 60, input: Gen.int(in: 1...6), Gen.int(in: 1...3), Gen.int(in: 0...Int.max)) { n, window, seed in
            var g = SplitMix64(seed: UInt64(truncatingIfNeeded: seed))
            let work = try DeadlineWork(workload: (0..<n).map { _ in Self.unit[Int(g.next() % 5)] }, window: window)
            for whole in [true, false] {
                let plan = DeadlineStaffing.latest(work, wholeAgents: whole)
                #expect(try DeadlineStaffing.missedDeadlines(staffing: plan.staffing, work: work).isEmpty, "greedy misses a deadline: \(plan.staffing) for \(work.workload)")
                // Whole agents: every curve of 0...3 per interval; fractional: half-agent steps (up to 5 intervals).
                if !whole && n > 5 { continue }
                let grid = whole ? [0.0, 1, 2, 3] : [0.0, 0.5, 1, 1.5, 2, 2.5]
                for s in allCurves(n, grid) where try DeadlineStaffing.missedDeadlines(staffing: s, work: work).isEmpty {
                    var a = 0.0, b = 0.0
                    for t in 0..<n {
                        a += s[t]; b += plan.staffing[t]
                        #expect(a >= b - 1e-9, "feasible \(s) has less cumulative staff than greedy \(plan.staffing) by interval \(t) (work \(work.workload), window \(window))")
                    }
                }
            }
        }
    }

    @Test func levelledCurveHasTheLeastPeakAndSquares() async {
        await propertyCheck(input: Gen.int(in: 1...5), Gen.int(in: 1...3), Gen.int(in: 0...Int.max)) { n, window, seed in
            var g = SplitMix64(seed: UInt64(truncatingIfNeeded: seed))
            let work = try DeadlineWork(workload: (0..<n).map { _ in Self.unit[Int(g.next() % 5)] }, window: window)
            let plan = DeadlineStaffing.levelled(work)
            #expect(try DeadlineStaffing.missedDeadlines(staffing: plan.staffing, work: work).isEmpty)
            #expect(abs(plan.peak - DeadlineStaffing.minimumPeakBruteForce(work)) < 1e-9, "peak \(plan.peak) for \(work.workload) window \(window)")
            // Never staffs for work that has not arrived.
            var arrived = 0.0, staffed = 0.0
            for t in 0..<n { arrived += work.workload[t]; staffed += plan.staffing[t]; #expect(staffed <= arrived + 1e-9) }
            let squares = plan.staffing.map { $0 * $0 }.reduce(0, +)
            for s in allCurves(n, [0, 0.5, 1, 1.5, 2, 2.5]) where try DeadlineStaffing.missedDeadlines(staffing: s, work: work).isEmpty {
                #expect((s.max() ?? 0) >= plan.peak - 1e-9)
                #expect(s.map { $0 * $0 }.reduce(0, +) >= squares - 1e-9, "\(s) has a smaller sum of squares than \(plan.staffing)")
            }
        }
    }

    @Test func levelledOnALongHorizon() throws {
        var g = SplitMix64(seed: 7)
        let n = 17_520, window = 48
        let w = (0..<n).map { t -> Double in
            let hour = Double(t % 48) / 2
            return (hour >= 8 && hour < 18 ? 6 : 0.5) * Double(g.next() % 1000) / 500
        }
        let work = try DeadlineWork(workload: w, window: window)
        let plan = DeadlineStaffing.levelled(work)
        #expect(try DeadlineStaffing.missedDeadlines(staffing: plan.staffing, work: work).isEmpty)
        let latest = DeadlineStaffing.latest(work)
        #expect(plan.peak <= latest.peak + 1e-9 && abs(plan.total - latest.total) < 1e-6 * latest.total)
    }

    @Test func closedHoursDoNotCountTowardsTheWindow() throws {
        // Open 2 intervals, closed 2, open 2; work of 1.0 arriving in the last open interval before closing with a
        // window of 2 business intervals is due at the end of the first interval after reopening.
        let work = try DeadlineWork(workload: [0, 1, 0.5, 0, 0, 0], window: 2, open: [true, true, false, false, true, true])
        let plan = DeadlineStaffing.latest(work)
        #expect(plan.staffing == [0, 0, 0, 0, 1, 0.5])
        #expect(plan.carriedOut == 0)
        #expect(try DeadlineStaffing.missedDeadlines(staffing: plan.staffing, work: work).isEmpty)
        #expect(try DeadlineStaffing.missedDeadlines(staffing: [0, 0, 0, 0, 0.5, 1], work: work) == [MissedDeadline(interval: 4, amount: 0.5)])
        let tail = try DeadlineWork(workload: [1, 1, 1], window: 2)
        #expect(DeadlineStaffing.latest(tail).carriedOut == 1)
    }
}

@Suite struct ShrinkageTests {
    @Test func combinedShrinkage() throws {
        let s = try Shrinkage(planned: 0.2, unplanned: 0.1)
        #expect(abs(s.total - 0.28) < 1e-15)
        #expect(abs(s.scheduled(productive: 72) - 100) < 1e-12)
        #expect(s.scheduledAgents(productive: 72) == 100 && s.scheduledAgents(productive: 73) == 102)
        let none = try Shrinkage(planned: 0, unplanned: 0)
        #expect(none.scheduledAgents(productive: 14) == 14)
        let per = try Shrinkage.apply(productive: [10, 0], shrinkage: [s, none])
        #expect(per[0].productive == 10 && abs(per[0].scheduled - 10 / 0.72) < 1e-12 && per[1].scheduled == 0)
    }
}

