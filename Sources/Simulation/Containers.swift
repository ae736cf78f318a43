/// A first-in first-out queue in a growable ring buffer (power-of-two capacity): O(1) push and pop, no
/// allocation once it has grown to its working size.
public struct RingBuffer<Element> {
    var storage: [Element?]
    var head = 0
    var mask: Int
    public private(set) var count = 0

    public init(capacity: Int = 16) {
        var c = 16
        while c < capacity { c <<= 1 }
        storage = [Element?](repeating: nil, count: c)
        mask = c - 1
    }

    public var isEmpty: Bool { count == 0 }

    public var first: Element? { count == 0 ? nil : storage[head] }

    /// The k-th element from the front (0 = first).
    public subscript(k: Int) -> Element { storage[(head + k) & mask]! }

    public mutating func append(_ x: Element) {
        if count == storage.count { grow() }
        storage[(head + count) & mask] = x
        count += 1
    }

    @discardableResult public mutating func removeFirst() -> Element {
        let x = storage[head].unsafelyUnwrapped
        head = (head + 1) & mask
        count -= 1
        return x
    }

    public mutating func removeAll() { head = 0; count = 0 }

    /// Keeps only the elements satisfying `keep`, in order.
    public mutating func filter(_ keep: (Element) -> Bool) {
        var kept: [Element] = []
        kept.reserveCapacity(count)
        for k in 0..<count where keep(self[k]) { kept.append(self[k]) }
        head = 0
        count = 0
        for x in kept { append(x) }
    }

    mutating func grow() {
        var bigger = [Element?](repeating: nil, count: storage.count * 2)
        for k in 0..<count { bigger[k] = storage[(head + k) & mask] }
        storage = bigger
        head = 0
        mask = bigger.count - 1
    }
}

/// One scheduled event: its time, an insertion number that orders events at the same time by when they were
/// scheduled (so runs are reproducible), and a payload (event kind in the top bits, agent or queue below).
public struct Event: Sendable {
    public var time: Double
    public var seq: UInt32
    public var payload: UInt32

    @inline(__always)
    static func before(_ a: Event, _ b: Event) -> Bool {
        a.time < b.time || (a.time == b.time && a.seq < b.seq)
    }
}

/// A 4-ary min-heap of events on (time, seq), in one contiguous array: half the depth of a binary heap, and
/// the four children of a node share a cache line or two.
public struct EventHeap {
    var items: [Event] = []
    var nextSeq: UInt32 = 0

    public init(capacity: Int) { items.reserveCapacity(capacity) }

    public var isEmpty: Bool { items.isEmpty }
    public var count: Int { items.count }
    /// Time of the earliest event (the heap must not be empty).
    public var minTime: Double { items[0].time }

    public mutating func reset() { items.removeAll(keepingCapacity: true); nextSeq = 0 }

    @inline(__always)
    public mutating func push(time: Double, payload: UInt32) {
        let e = Event(time: time, seq: nextSeq, payload: payload)
        nextSeq &+= 1
        items.append(e)
        items.withUnsafeMutableBufferPointer { h in
            var i = h.count - 1
            while i > 0 {
                let p = (i - 1) >> 2
                if !Event.before(e, h[p]) { break }
                h[i] = h[p]
                i = p
            }
            h[i] = e
        }
    }

    @inline(__always)
    public mutating func popMin() -> Event {
        let last = items.removeLast()
        if items.isEmpty { return last }
        return items.withUnsafeMutableBufferPointer { h in
            let top = h[0]
            let n = h.count
            var i = 0
            while true {
                let c0 = 4 * i + 1
                if c0 >= n { break }
                var c = c0
                let end = min(c0 + 4, n)
                var k = c0 + 1
                while k < end {
                    if Event.before(h[k], h[c]) { c = k }
                    k += 1
                }
                if !Event.before(h[c], last) { break }
                h[i] = h[c]
                i = c
            }
            h[i] = last
            return top
        }
    }
}
