import PlanningCore
import Testing
@testable import Simulation

/// The engine's hand-managed containers against plain Swift models of them.
@Suite struct ContainerTests {
    /// Random pushes and pops: the heap always returns the smallest time, like a sorted array.
    @Test func heapPopsInTimeOrder() {
        var g = SplitMix64(seed: 77)
        var heap = EventHeap(capacity: 100)
        defer { heap.free() }
        var model: [Double] = []
        for step in 0 ..< 6_000 {
            if model.count < 100 && (model.isEmpty || g.uniform() < 0.55) {
                // Some exact ties, as at shift boundaries.
                let t = g.uniform() < 0.1 ? Double(g.int(0 ... 20)) : g.uniform() * 20
                heap.push(time: t, payload: UInt32(step & 0xFFFF))
                model.append(t)
            } else {
                let e = heap.popMin()
                let k = model.indices.min { model[$0] < model[$1] }!
                if e.time != model[k] { Issue.record("step \(step): popped \(e.time), smallest is \(model[k])"); return }
                model.remove(at: k)
            }
            if heap.count != model.count { Issue.record("step \(step): count \(heap.count) vs \(model.count)"); return }
        }
    }

    /// A ring that grows many times keeps first-in first-out order.
    @Test func ringKeepsOrderWhileGrowing() {
        var g = SplitMix64(seed: 78)
        var ring = Ring<Int>(capacity: 1)
        defer { ring.free() }
        var model: [Int] = []
        var next = 0
        for _ in 0 ..< 50_000 {
            if model.isEmpty || g.uniform() < 0.6 {
                ring.append(next); model.append(next); next += 1
            } else {
                let (a, b) = (ring.removeFirst(), model.removeFirst())
                if a != b { Issue.record("ring gave \(a), expected \(b)"); return }
            }
            if ring.count != model.count { Issue.record("count \(ring.count) vs \(model.count)"); return }
        }
        #expect(model.count > 1000, "the ring grew past its first capacities")
    }
}
