import Foundation

/// A time zone's UTC offsets over time, precomputed as a transition table so that wall-clock
/// to UTC conversion is a binary search (fast enough for millions of rows per second).
///
/// Either a fixed offset (`+02:00`, `UTC`, `Z`) or an IANA identifier (`Asia/Jerusalem`). IANA zones use
/// the system tz database through Foundation; offsets are sampled weekly between 1900 and 2100 and every
/// change is located to the second by bisection, so DST and historic standard-offset changes are both found.
public struct ZoneRules: Sendable, Equatable {
    /// Text as configured (`Asia/Shanghai`, `+02:00`, `UTC`).
    public let name: String
    /// UTC instants (seconds) at which a new offset starts; `offsets[i]` holds from `starts[i]`.
    /// `offsets[0]` holds before `starts[0]` too.
    @usableFromInline let starts: [Int64]
    @usableFromInline let offsets: [Int]

    public var isFixed: Bool { starts.isEmpty }

    public enum LocalResolution: Equatable, Sendable {
        case unique(utc: Int64)
        /// The wall time occurs twice (clocks go back); `first` is the earlier instant.
        case ambiguous(first: Int64, second: Int64)
        /// The wall time does not exist (clocks go forward); `gapStartLocal`/`gapEndLocal` bound the gap.
        case gap(gapStartLocal: Int64, gapEndLocal: Int64)
    }

    public enum ZoneError: Error, CustomStringConvertible, Sendable {
        case unknown(String)
        public var description: String {
            switch self {
            case .unknown(let s):
                return "unknown time zone \"\(s)\": use an IANA name such as Asia/Shanghai or Europe/London, or a fixed offset such as +02:00 or UTC"
            }
        }
    }

    public init(fixedOffsetSeconds: Int, name: String) {
        self.init(name: name, starts: [], offsets: [fixedOffsetSeconds])
    }

    private init(name: String, starts: [Int64], offsets: [Int]) {
        self.name = name
        self.starts = starts
        self.offsets = offsets
    }

    public init(_ name: String) throws(ZoneError) {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if trimmed == "UTC" || trimmed == "Z" || trimmed == "GMT" || trimmed == "Etc/UTC" {
            self.init(fixedOffsetSeconds: 0, name: trimmed)
            return
        }
        if let first = trimmed.first, first == "+" || first == "-" {
            // ±HH:MM or ±HHMM
            let body = trimmed.dropFirst().replacingOccurrences(of: ":", with: "")
            guard body.count == 4, let v = Int(body), v % 100 < 60, v / 100 <= 18 else { throw .unknown(name) }
            let secs = (v / 100) * 3600 + (v % 100) * 60
            self.init(fixedOffsetSeconds: first == "-" ? -secs : secs, name: trimmed)
            return
        }
        guard let tz = TimeZone(identifier: trimmed) else { throw .unknown(name) }
        let lo: Int64 = -2_208_988_800 // 1900-01-01
        let hi: Int64 = 4_102_444_800 // 2100-01-01
        let week: Int64 = 7 * TimeGrid.secondsPerDay
        func off(_ t: Int64) -> Int { tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t))) }
        var starts: [Int64] = []
        var offsets: [Int] = [off(lo)]
        var t = lo
        var cur = offsets[0]
        while t < hi {
            let next = t + week
            let o = off(next)
            if o != cur {
                var a = t, b = next // off(a) == cur, off(b) != cur
                while b - a > 1 {
                    let m = a + (b - a) / 2
                    if off(m) == cur { a = m } else { b = m }
                }
                // A change inside the week may also have reverted; bisection finds the first change.
                let ob = off(b)
                starts.append(b)
                offsets.append(ob)
                cur = ob
                t = b
                continue
            }
            t = next
        }
        self.init(name: trimmed, starts: starts, offsets: offsets)
    }

    /// UTC offset (seconds) in force at a UTC instant.
    @inlinable
    public func offset(atUTC t: Int64) -> Int {
        if starts.isEmpty { return offsets[0] }
        return offsets[segment(atUTC: t)]
    }

    @usableFromInline
    func segment(atUTC t: Int64) -> Int {
        // number of starts <= t
        var lo = 0, hi = starts.count
        while lo < hi {
            let m = (lo + hi) >> 1
            if starts[m] <= t { lo = m + 1 } else { hi = m }
        }
        return lo
    }

    /// Wall-clock local seconds for a UTC instant.
    @inlinable
    public func local(fromUTC t: Int64) -> Int64 { t + Int64(offset(atUTC: t)) }

    /// Resolves wall-clock local seconds to UTC: unique, ambiguous (fall back) or in a gap (spring forward).
    public func resolve(local l: Int64) -> LocalResolution {
        if starts.isEmpty { return .unique(utc: l - Int64(offsets[0])) }
        let guess = segment(atUTC: l - Int64(offsets[segment(atUTC: l)]))
        var found: [Int64] = []
        for s in max(0, guess - 1)...min(starts.count, guess + 1) {
            let o = Int64(offsets[s])
            let u = l - o
            let segStart = s == 0 ? Int64.min : starts[s - 1]
            let segEnd = s == starts.count ? Int64.max : starts[s]
            if u >= segStart && u < segEnd { found.append(u) }
        }
        found.sort()
        switch found.count {
        case 0:
            // The gap: the transition whose local jump covers l.
            let idx = min(max(guess, 1), starts.count)
            var best = idx
            for s in max(1, guess - 1)...min(starts.count, guess + 1) {
                let before = starts[s - 1] + Int64(offsets[s - 1])
                let after = starts[s - 1] + Int64(offsets[s])
                if l >= before && l < after { best = s }
            }
            return .gap(gapStartLocal: starts[best - 1] + Int64(offsets[best - 1]),
                        gapEndLocal: starts[best - 1] + Int64(offsets[best]))
        case 1: return .unique(utc: found[0])
        default: return .ambiguous(first: found[0], second: found[found.count - 1])
        }
    }
}
