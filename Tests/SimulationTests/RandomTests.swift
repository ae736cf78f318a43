import Testing
@testable import Simulation

@Suite struct RandomTests {
    /// xoshiro256** from the state (1, 2, 3, 4): the first outputs by the reference algorithm
    /// (rotl(s1 x 5, 7) x 9 = 11520, then s1 = 0 gives 0).
    @Test func xoshiroMatchesTheReferenceSteps() {
        var g = Xoshiro256StarStar(state: (1, 2, 3, 4))
        #expect(g.next() == 11520)
        #expect(g.next() == 0)
    }

    /// Wichura's AS 241 against quantiles known to 1e-15 (Abramowitz & Stegun; R's qnorm).
    @Test func inverseNormal() {
        let known: [(Double, Double)] = [(0.5, 0), (0.975, 1.959963984540054), (0.025, -1.959963984540054), (0.8413447460685429, 1.0),
                                         (0.001, -3.090232306167813), (1e-10, -6.361340902404056)]
        for (p, z) in known { #expect(abs(InverseNormal.quantile(p) - z) < 1e-9 * max(1, abs(z)), "p \(p)") }
        // Symmetric, and finite at the extremes open01() can return; open01() never returns 0 or 1.
        var g = Xoshiro256StarStar(state: (UInt64.max, UInt64.max, UInt64.max, UInt64.max))
        #expect((0 ..< 1000).allSatisfy { _ in let u = g.open01(); return u > 0 && u < 1 })
        #expect(InverseNormal.quantile(0.3) == -InverseNormal.quantile(0.7))
        #expect(InverseNormal.quantile(0x1.0p-53).isFinite && InverseNormal.quantile(1 - 0x1.0p-53).isFinite)
    }

    /// Streams of different queues, kinds and replications differ; the same stream repeats.
    @Test func streamsAreDistinct() {
        var seen: Set<UInt64> = []
        for r in 0 ..< 3 { for q in 0 ..< 4 { for k in 0 ..< 3 {
            var g = Xoshiro256StarStar(seed: 1, replication: r, queue: q, kind: k)
            #expect(seen.insert(g.next()).inserted)
        } } }
        var a = Xoshiro256StarStar(seed: 5, replication: 1, queue: 2, kind: 0), b = a
        #expect((0 ..< 100).allSatisfy { _ in a.next() == b.next() })
        #expect(Stats.tQuantile975(4) == 2.7764 && abs(Stats.tQuantile975(200) - 1.9719) < 2e-4)
    }
}
