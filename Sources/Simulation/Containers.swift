/// A fixed-size buffer of plain values for the engine's hot state: no copy-on-write and no reference
/// counting on access (index checks are assertions, compiled out of release builds). The owner frees it.
struct Buf<T> {
    let base: UnsafeMutablePointer<T>
    let count: Int

    init(repeating v: T, count: Int) {
        base = .allocate(capacity: max(count, 1))
        base.initialize(repeating: v, count: count)
        self.count = count
    }

    subscript(i: Int) -> T {
        @inline(__always) get { assert(i >= 0 && i < count); return base[i] }
        @inline(__always) nonmutating set { assert(i >= 0 && i < count); base[i] = newValue }
    }

    func fill(_ v: T) { for i in 0..<count { base[i] = v } }
    var array: [T] { Array(UnsafeBufferPointer(start: base, count: count)) }
    func free() { base.deinitialize(count: count); base.deallocate() }
}

/// A first-in first-out ring buffer of plain values on manually managed memory (grows by doubling; the
/// owner calls `free`). Used in place through a pointer, so no copy-on-write check per operation.
struct Ring<T> {
    var base: UnsafeMutablePointer<T>
    var mask: Int
    var head = 0
    var count = 0

    init(capacity: Int) {
        var c = 16
        while c < capacity { c <<= 1 }
        base = .allocate(capacity: c)
        mask = c - 1
    }

    var isEmpty: Bool { @inline(__always) get { count == 0 } }
    /// The first element (the ring must not be empty).
    var first: T { @inline(__always) get { assert(count > 0); return base[head] } }

    @inline(__always) mutating func append(_ x: T) {
        if count > mask { grow() }
        (base + ((head + count) & mask)).initialize(to: x)
        count += 1
    }

    @inline(__always) @discardableResult mutating func removeFirst() -> T {
        assert(count > 0)
        let x = (base + head).move()
        head = (head + 1) & mask
        count -= 1
        return x
    }

    mutating func removeAll() { while count > 0 { removeFirst() } ; head = 0 }

    mutating func grow() {
        let bigger = UnsafeMutablePointer<T>.allocate(capacity: 2 * (mask + 1))
        for k in 0..<count { (bigger + k).moveInitialize(from: base + ((head + k) & mask), count: 1) }
        base.deallocate()
        base = bigger
        mask = 2 * (mask + 1) - 1
        head = 0
    }

    mutating func free() { removeAll(); base.deallocate() }
}

/// One scheduled event: its time and a payload (event kind in the top bits, agent or queue below).
/// Events at exactly the same time (which continuous random times make all but impossible) come out in an
/// order fixed by the heap's operations, so runs are still reproducible.
public struct Event: Sendable {
    public var time: Double
    public var payload: UInt32
}

/// A 4-ary min-heap of events on time in a fixed block of memory: half the depth of a binary heap, and the
/// four children of a node share a cache line or two. Removal uses Floyd's bottom-up method (the hole goes
/// down to a leaf along the smallest children, then the last event rises from there), one comparison fewer
/// per level. Its capacity is fixed: the engine never has more than one pending completion per agent and one
/// pending arrival per queue. The owner frees it.
struct EventHeap {
    let items: UnsafeMutablePointer<Event>
    let raw: UnsafeMutableRawPointer
    let capacity: Int
    var count = 0

    /// The block is aligned so that the four children of a node (indices 4i + 1 ... 4i + 4, 16 bytes each) fill
    /// exactly one 64-byte cache line: element 1 starts on a line boundary.
    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        precondition(MemoryLayout<Event>.stride == 16)
        raw = .allocate(byteCount: (self.capacity + 4) * 16, alignment: 64)
        items = raw.bindMemory(to: Event.self, capacity: self.capacity + 4) + 3
    }

    func free() { raw.deallocate() }

    var isEmpty: Bool { @inline(__always) get { count == 0 } }
    /// Time of the earliest event (the heap must not be empty).
    var minTime: Double { @inline(__always) get { items[0].time } }

    mutating func reset() { count = 0 }

    @inline(__always)
    mutating func push(time: Double, payload: UInt32) {
        precondition(count < capacity, "event heap overflow")
        let h = items
        var i = count
        count += 1
        while i > 0 {
            let p = (i - 1) >> 2
            if !(time < h[p].time) { break }
            h[i] = h[p]
            i = p
        }
        h[i] = Event(time: time, payload: payload)
    }

    @inline(__always)
    mutating func popMin() -> Event {
        let h = items
        count -= 1
        let n = count
        let top = h[0]
        if n == 0 { return top }
        let last = h[n]
        // The hole at the root goes down along the smallest children to a leaf.
        var i = 0
        while true {
            let c0 = 4 * i + 1
            if c0 >= n { break }
            var c = c0
            var t = h[c0].time
            if c0 + 3 < n {
                let t1 = h[c0 + 1].time, t2 = h[c0 + 2].time, t3 = h[c0 + 3].time
                let (ca, ta) = t1 < t ? (c0 + 1, t1) : (c0, t)
                let (cb, tb) = t3 < t2 ? (c0 + 3, t3) : (c0 + 2, t2)
                (c, t) = tb < ta ? (cb, tb) : (ca, ta)
            } else {
                var k = c0 + 1
                while k < n { if h[k].time < t { c = k; t = h[k].time }; k += 1 }
            }
            h[i] = h[c]
            i = c
        }
        // The last event rises from the leaf.
        while i > 0 {
            let p = (i - 1) >> 2
            if !(last.time < h[p].time) { break }
            h[i] = h[p]
            i = p
        }
        h[i] = last
        return top
    }
}
