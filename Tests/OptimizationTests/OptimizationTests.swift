import Foundation
import PropertyBased
import PlanningCore
import Testing
@testable import Optimization

@Suite struct ModelTests {
    @Test func repeatedTermsAreSummedAndZerosDropped() {
        var m = LinearModel()
        let x = m.addVariable("x"), y = m.addVariable("y"), z = m.addVariable("z")
        m.addConstraint(LinearExpression([(y, 2), (x, 1), (y, 3), (z, 1), (z, -1)]), lower: 1, name: "r", tag: "t")
        #expect(m.row(0).map(\.column) == [0, 1])
        #expect(m.row(0).map(\.value) == [1, 5])
        let csc = m.columnMajor()
        #expect(csc.start == [0, 1, 2, 2])
        #expect(csc.index == [0, 0])
        #expect(csc.value == [1, 5])
    }

    @Test func violationNamesTheWorstRow() {
        var m = LinearModel()
        let x = m.addVariable("x", upper: 3, integer: true)
        m.addConstraint(LinearExpression([(x, 1)]), lower: 2, name: "need2", tag: "t")
        #expect(m.violation([2]) == nil)
        #expect(m.violation([1])?.what == "row need2 below its lower bound")
        #expect(m.violation([2.5])?.what == "variable x not integer")
    }
}

@Suite struct CbcBackendTests {
    let backend = CbcBackend()

    /// min 2x + 3y  s.t.  x + y ≥ 4,  x + 3y ≥ 6:  optimum (3, 1), value 9, duals 1.5 and 0.5 (by hand).
    @Test func lpOptimumAndDuals() throws {
        var m = LinearModel()
        let x = m.addVariable("x", cost: 2), y = m.addVariable("y", cost: 3)
        m.addConstraint(LinearExpression([(x, 1), (y, 1)]), lower: 4, name: "a", tag: "t")
        m.addConstraint(LinearExpression([(x, 1), (y, 3)]), lower: 6, name: "b", tag: "t")
        let s = try #require(backend.solveRelaxation(m, options: SolveOptions()).solution)
        #expect(abs(s.objective - 9) < 1e-9)
        #expect(abs(s.values[0] - 3) < 1e-9 && abs(s.values[1] - 1) < 1e-9)
        #expect(abs(s.duals[0] - 1.5) < 1e-9 && abs(s.duals[1] - 0.5) < 1e-9)
        #expect(s.reducedCosts.allSatisfy { abs($0) < 1e-9 })
    }

    /// Integrality changes the answer: min x + y s.t. 2x + 2y ≥ 3 has LP value 1.5 and integer value 2.
    @Test func mipRoundsUpTheRelaxation() throws {
        var m = LinearModel()
        let x = m.addVariable("x", cost: 1, integer: true), y = m.addVariable("y", cost: 1, integer: true)
        m.addConstraint(LinearExpression([(x, 2), (y, 2)]), lower: 3, name: "c", tag: "t")
        #expect(abs((backend.solveRelaxation(m, options: SolveOptions()).solution?.objective ?? 0) - 1.5) < 1e-9)
        guard case .optimal(let s) = backend.solve(m, options: SolveOptions()) else { Issue.record("not optimal"); return }
        #expect(abs(s.objective - 2) < 1e-9)
        #expect(s.gap < 1e-9)
    }

    /// Random small covering MIPs with general integers: CBC's optimum equals brute-force enumeration.
    @Test func mipMatchesBruteForce() async {
        await propertyCheck(count: 40, input: Gen.int(in: 1 ... 1_000_000)) { seed in
            var g = SplitMix64(seed: UInt64(seed))
            let n = g.int(2 ... 4), rows = g.int(1 ... 3), ub = 4
            var m = LinearModel()
            var costs: [Double] = []
            for j in 0 ..< n {
                let c = Double(g.int(1 ... 9))
                costs.append(c)
                m.addVariable("x\(j)", upper: Double(ub), cost: c, integer: true)
            }
            var a: [[Double]] = [], b: [Double] = []
            for r in 0 ..< rows {
                let coef = (0 ..< n).map { _ in Double(g.int(0 ... 5)) }
                let rhs = Double(g.int(1 ... 12))
                a.append(coef); b.append(rhs)
                m.addConstraint(LinearExpression((0 ..< n).map { (Variable(index: $0), coef[$0]) }), lower: rhs, name: "r\(r)", tag: "t")
            }
            // Brute force over {0..ub}^n.
            var best = Double.infinity
            var x = [Int](repeating: 0, count: n)
            func visit(_ k: Int) {
                if k == n {
                    for r in 0 ..< rows where zip(a[r], x).map({ $0 * Double($1) }).reduce(0, +) < b[r] { return }
                    best = min(best, zip(costs, x).map { $0 * Double($1) }.reduce(0, +))
                    return
                }
                for v in 0 ... ub { x[k] = v; visit(k + 1) }
            }
            visit(0)
            switch backend.solve(m, options: SolveOptions()) {
            case .optimal(let s): #expect(abs(s.objective - best) < 1e-6, "seed \(seed)")
            case .infeasible: #expect(best == .infinity, "seed \(seed)")
            default: Issue.record("seed \(seed): unexpected outcome")
            }
        }
    }

    @Test func infeasibleModelNamesTheConflictingRows() throws {
        var m = LinearModel()
        let x = m.addVariable("x", integer: true), y = m.addVariable("y", integer: true), z = m.addVariable("z", cost: 1)
        m.addConstraint(LinearExpression([(x, 1), (y, 1)]), lower: 5, name: "demand", tag: "coverage", elastic: true)
        m.addConstraint(LinearExpression([(x, 1)]), upper: 1, name: "cap x", tag: "headcount", elastic: true)
        m.addConstraint(LinearExpression([(y, 1)]), upper: 2, name: "cap y", tag: "headcount", elastic: true)
        m.addConstraint(LinearExpression([(z, 1)]), lower: 1, name: "unrelated", tag: "other", elastic: true)
        guard case .infeasible = backend.solve(m, options: SolveOptions()) else { Issue.record("expected infeasible"); return }
        let c = try #require(Diagnosis.conflict(in: m, backend: backend, options: SolveOptions()))
        #expect(abs(c.totalViolation - 2) < 1e-9)
        #expect(!c.rows.isEmpty)
        #expect(c.rows.allSatisfy { ["demand", "cap x", "cap y"].contains($0.name) })
        #expect(!c.rows.contains { $0.name == "unrelated" })
    }

    /// Market split (Cornuéjols & Dawande 1999): tiny and notoriously hard for branch and bound. The solve must
    /// come back at the deadline, with the start point it was given when CBC has nothing better.
    @Test func hardDeadlineIsKept() throws {
        var g = SplitMix64(seed: 7)
        let rows = 5, n = 40
        var m = LinearModel()
        let x = (0 ..< n).map { m.addVariable("x\($0)", upper: 1, integer: true) }
        var start = [Double](repeating: 0, count: n)
        for r in 0 ..< rows {
            let a = (0 ..< n).map { _ in Double(g.int(0 ... 99)) }
            let d = (a.reduce(0, +) / 2).rounded(.down)
            let sp = m.addVariable("s+\(r)", cost: 1), sm = m.addVariable("s-\(r)", cost: 1)
            var e = LinearExpression(zip(x, a).map { ($0, $1) })
            e.add(sp, 1); e.add(sm, -1)
            m.addConstraint(e, lower: d, upper: d, name: "split\(r)", tag: "t")
            start.append(d); start.append(0)
            _ = r
        }
        // start: all x = 0, s+ = d (feasible, interleaved as the columns were created)
        var s0 = [Double](repeating: 0, count: m.numberOfVariables)
        var k = n
        for r in 0 ..< rows { s0[k] = start[n + 2 * r]; k += 2 }
        #expect(m.violation(s0) == nil)
        let t0 = Date()
        let out = backend.solve(m, options: SolveOptions(deadline: .after(seconds: 1.0), start: s0))
        let wall = Date().timeIntervalSince(t0)
        #expect(wall < 1.5, "returned after \(wall) s")
        switch out {
        case .feasible(let s, _):
            #expect(s.objective <= m.objective(s0) + 1e-9)
            #expect(m.violation(s.values) == nil)
        case .optimal(let s):
            #expect(m.violation(s.values) == nil)
        default: Issue.record("unexpected outcome \(out)")
        }
    }

    @Test func deadlineAlreadyPassedReturnsTheStart() {
        var m = LinearModel()
        let x = m.addVariable("x", cost: 1, integer: true)
        m.addConstraint(LinearExpression([(x, 1)]), lower: 2, name: "c", tag: "t")
        let out = backend.solve(m, options: SolveOptions(deadline: .after(seconds: 0), start: [3]))
        switch out {
        case .feasible(let s, _): #expect(s.objective == 3)
        case .optimal(let s): #expect(s.objective == 2)
        default: Issue.record("unexpected outcome \(out)")
        }
    }
}
