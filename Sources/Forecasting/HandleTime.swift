/// Handle-time forecast per slot: the volume-weighted mean handle time of the same weekly slot over the last
/// `weeks` weeks, shrunk toward the same slot of the day over all days of those weeks, and toward the overall
/// mean where volume is thin: `aht = (V_w a_w + k a_day) / (V_w + k)`, with `a_day` shrunk the same way toward
/// the overall mean. `k` (contacts) sets how much volume a slot needs before its own mean dominates.
public enum HandleTimeForecast {
    public static func forecast(volume: [Double], aht: [Double], slotsPerDay m1: Int, horizon: Int,
                                weeks: Int = 8, prior k: Double = 30) -> [Double] {
        let w = m1 * 7
        let n = volume.count
        let lo = max(0, n - weeks * w)
        var vs = [Double](repeating: 0, count: w), as_ = [Double](repeating: 0, count: w)
        var vd = [Double](repeating: 0, count: m1), ad = [Double](repeating: 0, count: m1)
        var vAll = 0.0, aAll = 0.0
        for t in lo..<n where !aht[t].isNaN && !volume[t].isNaN && volume[t] > 0 {
            let s = (t - lo) % w
            vs[s] += volume[t]; as_[s] += volume[t] * aht[t]
            vd[t % m1] += volume[t]; ad[t % m1] += volume[t] * aht[t]
            vAll += volume[t]; aAll += volume[t] * aht[t]
        }
        guard vAll > 0 else { return [Double](repeating: .nan, count: horizon) }
        let overall = aAll / vAll
        let day = (0..<m1).map { (ad[$0] + k * overall) / (vd[$0] + k) }
        return (0..<horizon).map { h in
            let t = n + h
            let s = (t - lo) % w
            return (as_[s] + k * day[t % m1]) / (vs[s] + k)
        }
    }
}
