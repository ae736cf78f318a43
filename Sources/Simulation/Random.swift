import Foundation

/// xoshiro256** 1.0 (Blackman & Vigna, "Scrambled linear pseudorandom number generators", ACM TOMS 47(4), 2021):
/// 256 bits of state, period 2^256 - 1, passes BigCrush; about a nanosecond per draw. Its state is filled by
/// SplitMix64 from a 64-bit seed, as the authors recommend (a seed never gives the all-zero state).
///
/// Streams. Replication `r` of a run with seed `s` starts from `base = s x 1,000,003 + r` (wrapping 64-bit
/// arithmetic; the reference simulator seeds Python's generator the same way). Every queue has three
/// independent streams, one each for arrival gaps, handle times and patience, seeded with
/// `SplitMix64(base ^ (0x9E3779B97F4A7C15 x (3 q + k + 1)))` (k = 0, 1, 2). Every contact draws its handle
/// time, and its patience when its queue has one, at arrival, whether it waits or not, so the n-th contact of
/// a queue carries the same arrival time, handle time and patience under any routing policy or roster: the
/// basis for common random numbers across policies and plans.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
    var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    public init(seed: UInt64) {
        var sm = SplitMix64State(state: seed)
        s0 = sm.next(); s1 = sm.next(); s2 = sm.next(); s3 = sm.next()
    }

    /// A generator from its raw state (for tests against the reference algorithm's outputs).
    public init(state: (UInt64, UInt64, UInt64, UInt64)) { (s0, s1, s2, s3) = state }

    /// The stream `kind` (0 arrivals, 1 handle times, 2 patience) of queue `queue` in replication `replication`.
    public init(seed: UInt64, replication: Int, queue: Int, kind: Int) {
        let base = seed &* 1_000_003 &+ UInt64(replication)
        self.init(seed: base ^ (0x9E37_79B9_7F4A_7C15 &* UInt64(3 * queue + kind + 1)))
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// Uniform on (0, 1): 52 random bits plus half a step, exact in a Double, so the values run from 2^-53 to
    /// 1 - 2^-53 and neither end is reached (log and the inverse normal are finite on every draw).
    @inline(__always)
    public mutating func open01() -> Double {
        (Double(next() >> 12) + 0.5) * 0x1.0p-52
    }

    /// Exponential with the given mean (inversion: -mean log U).
    @inline(__always)
    public mutating func exponential(mean: Double) -> Double {
        -mean * log(open01())
    }

    /// Standard normal by inversion (one uniform per draw, which keeps streams aligned contact by contact).
    @inline(__always)
    public mutating func normal() -> Double { InverseNormal.quantile(open01()) }
}

/// SplitMix64 (Steele, Lea & Flood 2014), used only to fill xoshiro's state.
struct SplitMix64State {
    var state: UInt64
    init(state: UInt64) { self.state = state }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The standard normal quantile, Wichura's algorithm AS 241 (PPND16), relative accuracy about 1e-16
/// (Applied Statistics 37(3), 1988, 477-484).
public enum InverseNormal {

    public static func quantile(_ p: Double) -> Double {
        let q = p - 0.5
        if abs(q) <= 0.425 {
            let r = 0.180625 - q * q
            let num = (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r
                + 45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r
                + 133.14166789178437745) * r + 3.387132872796366608)
            let den = (((((((5226.495278852545925 * r + 28729.085735721942674) * r + 39307.89580009271061) * r
                + 21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r
                + 42.313330701600911252) * r + 1.0)
            return q * num / den
        }
        var r = q < 0 ? p : 1 - p
        r = (-log(r)).squareRoot()
        var x: Double
        if r <= 5 {
            r -= 1.6
            x = (((((((0.00077454501427834140764 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r
                + 1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r
                + 4.6303378461565452959) * r + 1.42343711074968357734)
                / (((((((1.05075007164441684324e-9 * r + 0.0005475938084995344946) * r + 0.0151986665636164571966) * r
                + 0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494) * r
                + 2.05319162663775882187) * r + 1.0)
        } else {
            r -= 5
            x = (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r
                + 0.026532189526576123093) * r + 0.29656057182850489123) * r + 1.7848265399172913358) * r
                + 5.4637849111641143699) * r + 6.6579046435011037772)
                / (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r
                + 0.0007868691311456132591) * r + 0.0148753612908506148525) * r + 0.13692988092273580531) * r
                + 0.59983220655588793769) * r + 1.0)
        }
        return q < 0 ? -x : x
    }
}
