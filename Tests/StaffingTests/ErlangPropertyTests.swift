import Foundation
import PropertyBased
import Testing
@testable import Staffing

/// Independent plain Erlang B recursion from 0 (no warm start, no q form), for cross-checks.
func plainErlangB(_ n: Int, _ a: Double) -> Double {
    var b = 1.0
    if n > 0 { for k in 1...n { b = a * b / (Double(k) + a * b) } }
    return b
}

func load(_ arrivals: Double, aht: Double = 180, interval: Double = 1800, patience: Double? = nil) throws -> QueueLoad {
    try QueueLoad(arrivals: arrivals, intervalSeconds: interval, ahtSeconds: aht, patienceSeconds: patience)
}

@Suite struct ErlangPropertyTests {
    @Test func warmStartMatchesPlainRecursionUpTo100kAgents() {
        for (n, a) in [(10, 5.0), (117, 100.0), (5000, 5000.0), (5100, 5000.0), (20_000, 19_500.0), (100_000, 99_000.0),
                       (100_000, 100_000.0), (100_000, 120_000.0), (3, 4000.0), (60_000, 40_000.0)] {
            let plain = plainErlangB(n, a), ours = ErlangB.blocking(agents: n, load: a)
            #expect(abs(ours - plain) <= 1e-13 * max(plain, 1e-300) || (plain < 1e-300 && ours < 1e-300), "n \(n) A \(a): \(ours) vs \(plain)")
        }
    }

    @Test func warmStartMatchesPlainRecursionRandom() async {
        await propertyCheck(input: Gen.double(in: 0.01...20_000), Gen.double(in: -6...8)) { a, beta in
            let n = max(0, Int((a + beta * a.squareRoot()).rounded()))
            let plain = plainErlangB(n, a), ours = ErlangB.blocking(agents: n, load: a)
            #expect(abs(ours - plain) <= 1e-12 * plain + 1e-300, "n \(n) A \(a): \(ours) vs \(plain)")
        }
    }

    @Test func continuousErlangBInterpolatesMonotonically() async {
        await propertyCheck(input: Gen.double(in: 0.01...3000), Gen.double(in: 0...4000)) { a, x in
            let n = x.rounded(.down)
            let b0 = ErlangB.blocking(agents: n, load: a), b1 = ErlangB.blocking(agents: n + 1, load: a)
            let bx = ErlangB.blocking(agents: x, load: a)
            #expect(bx <= b0 * (1 + 1e-12) && bx >= b1 * (1 - 1e-12), "B(\(x), \(a)) = \(bx) not within [\(b1), \(b0)]")
            // Continuity at the integers, where the fractional start (incomplete gamma) meets the recursion.
            let left = ErlangB.blocking(agents: n + 1 - 1e-9, load: a), right = ErlangB.blocking(agents: n + 1e-9, load: a)
            #expect(abs(left - b1) <= 1e-6 * b1 + 1e-300 && abs(right - b0) <= 1e-6 * b0 + 1e-300, "discontinuity near \(n) at A \(a)")
        }
    }

    @Test func erlangBJagermanIntegralAtHalfAgent() {
        // 1/B(1/2, A) = A * integral_0^inf e^(-A t) sqrt(1 + t) dt; closed form for A = 1:
        // e * Gamma(3/2, 1) = 1 + (sqrt(pi)/2) e erfc(1).
        let inv = 1 + (Double.pi.squareRoot() / 2) * exp(1) * erfc(1)
        #expect(abs(ErlangB.blocking(agents: 0.5, load: 1) - 1 / inv) < 1e-14)
        // A = 10 takes the continued-fraction branch: 1 + (sqrt(pi)/2) e^10 10^(-1/2) erfc(sqrt(10)).
        let inv10 = 1 + (Double.pi.squareRoot() / 2) * exp(10) / 10.0.squareRoot() * erfc(10.0.squareRoot())
        #expect(abs(ErlangB.blocking(agents: 0.5, load: 10) - 1 / inv10) < 1e-14)
    }

    @Test func erlangCMonotoneInAgentsAndLoad() async {
        await propertyCheck(input: Gen.double(in: 0.05...5000), Gen.double(in: 10...900), Gen.double(in: 0...120)) { a, aht, t in
            let q = try load(a * 1800 / aht, aht: aht)
            var prev: QueueMetrics?
            let start = Int(a.rounded(.down)) + 1
            for n in start..<(start + 25) {
                let m = try QueueModel.erlangC.metrics(q, agents: n, serviceSeconds: t)
                #expect((0...1).contains(m.serviceLevel) && (0...1).contains(m.probWait) && m.asaSeconds >= 0)
                if let p = prev {
                    #expect(m.probWait <= p.probWait + 1e-15 && m.serviceLevel >= p.serviceLevel - 1e-15 && m.asaSeconds <= p.asaSeconds + 1e-12)
                    #expect(m.occupancy < p.occupancy)
                }
                prev = m
            }
            // In load: more arrivals at fixed agents can only hurt.
            let n = start + 5
            let lighter = try QueueModel.erlangC.metrics(load(0.9 * a * 1800 / aht, aht: aht), agents: n, serviceSeconds: t)
            let m = try QueueModel.erlangC.metrics(q, agents: n, serviceSeconds: t)
            #expect(lighter.probWait <= m.probWait + 1e-15 && lighter.serviceLevel >= m.serviceLevel - 1e-15 && lighter.asaSeconds <= m.asaSeconds + 1e-12)
        }
    }

    @Test func erlangAMonotoneInAgentsAndLoad() async {
        await propertyCheck(input: Gen.double(in: 0.05...800), Gen.double(in: 10...900), Gen.double(in: 1...1200), Gen.double(in: 0...120)) { a, aht, pat, t in
            let q = try load(a * 1800 / aht, aht: aht, patience: pat)
            var prev: QueueMetrics?
            let top = Int(a + 4 * a.squareRoot()) + 4
            for n in stride(from: 0, through: top, by: max(1, top / 60)) {
                let m = try QueueModel.erlangA.metrics(q, agents: n, serviceSeconds: t)
                for v in [m.serviceLevel, m.probWait, m.probAbandon!, m.occupancy] { #expect((0...1).contains(v), "\(m)") }
                #expect(m.serviceLevel <= 1 - m.probAbandon! + 1e-12, "answered within T cannot exceed answered")
                if let p = prev {
                    #expect(m.serviceLevel >= p.serviceLevel - 1e-12, "SL fell from \(p.agents) to \(n) agents: \(p.serviceLevel) -> \(m.serviceLevel)")
                    #expect(m.probAbandon! <= p.probAbandon! + 1e-12 && m.asaSeconds <= p.asaSeconds * (1 + 1e-12) + 1e-12)
                    #expect(m.probWait <= p.probWait + 1e-12)
                    if n > 1 && p.agents > 0 { #expect(m.occupancy <= p.occupancy + 1e-12, "occupancy rose from \(p.agents) to \(n) agents") }
                }
                prev = m
            }
            let n = Int(a) + 1
            let lighter = try QueueModel.erlangA.metrics(load(0.8 * a * 1800 / aht, aht: aht, patience: pat), agents: n, serviceSeconds: t)
            let m = try QueueModel.erlangA.metrics(q, agents: n, serviceSeconds: t)
            #expect(lighter.serviceLevel >= m.serviceLevel - 1e-12 && lighter.probAbandon! <= m.probAbandon! + 1e-12 && lighter.asaSeconds <= m.asaSeconds + 1e-12)
        }
    }

    @Test func erlangBMonotone() async {
        await propertyCheck(input: Gen.double(in: 0.01...5000)) { a in
            var prev = 1.0
            for n in stride(from: 0, through: Int(a * 1.5) + 10, by: max(1, Int(a) / 50)) {
                let b = ErlangB.blocking(agents: n, load: a)
                #expect(b <= prev && b >= 0)
                prev = b
            }
        }
    }

    @Test func erlangATendsToErlangCAsPatienceGrows() async {
        // The gap shrinks with every 100x more patience, and once patience dwarfs the waits it closes linearly in
        // 1/patience (first-order abandonment effect: each further 100x must shrink it over 50x); at 1e10 s it is
        // below 1e-5 even for the most congested cases generated.
        await propertyCheck(input: Gen.double(in: 0.5...2000), Gen.double(in: 0.05...4), Gen.double(in: 0...60)) { a, beta, t in
            let n = Int((a + beta * a.squareRoot()).rounded(.up)) + 1
            let c = try QueueModel.erlangC.metrics(load(a * 10), agents: n, serviceSeconds: t)
            var gaps: [Double] = []
            for patience in [1e4, 1e6, 1e8, 1e10] {
                let m = try QueueModel.erlangA.metrics(load(a * 10, patience: patience), agents: n, serviceSeconds: t)
                gaps.append(max(abs(m.probWait - c.probWait), abs(m.serviceLevel - c.serviceLevel), abs(m.asaSeconds - c.asaSeconds) / max(1, c.asaSeconds)))
            }
            for k in 1..<gaps.count { #expect(gaps[k] < gaps[k - 1], "gaps \(gaps) (n \(n), A \(a))") }
            for k in 2..<gaps.count { #expect(gaps[k] <= gaps[k - 1] / 50 + 1e-12, "gaps \(gaps) (n \(n), A \(a))") }
            #expect(gaps.last! < 1e-5, "Erlang A at patience 1e10 s still \(gaps.last!) from Erlang C (n \(n), A \(a))")
        }
    }

    @Test func erlangAWithZeroPatienceIsErlangBLoss() async {
        await propertyCheck(input: Gen.double(in: 0.01...5000), Gen.double(in: 0...2)) { a, ratio in
            let n = Int(a * ratio)
            let b = ErlangB.blocking(agents: n, load: try load(a * 10).offeredLoad)
            let zero = try QueueModel.erlangA.metrics(load(a * 10, patience: 0), agents: n, serviceSeconds: 20)
            #expect(zero.probAbandon == b && zero.probWait == b && zero.serviceLevel == 1 - b && zero.asaSeconds == 0)
            let erlangB = try QueueModel.erlangB.metrics(load(a * 10), agents: n, serviceSeconds: 20)
            #expect(erlangB.probAbandon == b && abs(erlangB.occupancy - zero.occupancy) < 1e-15)
            // And the limit: a patience of a microsecond behaves like the loss system.
            let tiny = try QueueModel.erlangA.metrics(load(a * 10, patience: 1e-6), agents: n, serviceSeconds: 20)
            #expect(abs(tiny.probAbandon! - b) < 1e-6 && abs(tiny.serviceLevel - (1 - b)) < 1e-6, "patience 1e-6: \(tiny) vs B \(b)")
        }
    }

    @Test func largeSystemsStayFiniteAndExact() throws {
        for n in [1, 10, 1000, 10_000, 100_000] {
            let a = Double(n) * 0.97
            let c = try QueueModel.erlangC.metrics(load(a * 10), agents: n, serviceSeconds: 20)
            let ea = try QueueModel.erlangA.metrics(load(a * 10 * 1.05, patience: 120), agents: n, serviceSeconds: 20)
            for v in [c.probWait, c.serviceLevel, ea.probWait, ea.serviceLevel, ea.probAbandon!] { #expect(v.isFinite && (0...1).contains(v)) }
            let b = plainErlangB(n, a)
            #expect(abs(c.probWait - b / (1 - 0.97 * (1 - b))) < 1e-12)
        }
        // Far above the load: everything rounds to zero wait without NaN.
        let far = try QueueModel.erlangA.metrics(load(10, patience: 60), agents: 100_000, serviceSeconds: 20)
        #expect(far.probWait == 0 && far.serviceLevel == 1 && far.probAbandon == 0)
        let farC = try QueueModel.erlangC.metrics(load(10), agents: 100_000, serviceSeconds: 20)
        #expect(farC.probWait == 0 && farC.serviceLevel == 1)
    }

    @Test func noArrivalsAndNoAgents() throws {
        for model in QueueModel.allCases {
            let m = try model.metrics(load(0, patience: 60), agents: 0, serviceSeconds: 20)
            #expect(m.serviceLevel == 1 && m.probWait == 0 && m.asaSeconds == 0 && m.occupancy == 0)
        }
        let nobody = try QueueModel.erlangA.metrics(load(50, patience: 60), agents: 0, serviceSeconds: 20)
        #expect(nobody.probWait == 1 && nobody.serviceLevel == 0 && abs(nobody.probAbandon! - 1) < 1e-12 && abs(nobody.asaSeconds - 60) < 1e-9)
    }

    @Test func approximationsAgreeWithExactInTheirRegime() throws {
        // Halfin-Whitt and GMR are limits: within a few percent of the exact value at R = 10,000.
        let r = 10_000.0, n = 10_100
        let exactC = try QueueModel.erlangC.metrics(load(r * 10), agents: n, serviceSeconds: 20).probWait
        #expect(abs(QEDApproximation.halfinWhittProbWait(agents: Double(n), load: r) - exactC) < 0.01)
        let exactA = try QueueModel.erlangA.metrics(load(r * 10, patience: 300), agents: n, serviceSeconds: 20).probWait
        #expect(abs(QEDApproximation.garnettMandelbaumReimanProbWait(agents: Double(n), load: r, ahtSeconds: 180, patienceSeconds: 300) - exactA) < 0.01)
        #expect(QEDApproximation.normalHazard(40).isFinite && abs(QEDApproximation.normalHazard(40) - 40.02498) < 1e-4)
    }
}
