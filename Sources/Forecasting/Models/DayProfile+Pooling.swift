import Foundation

// MARK: - Partial pooling: ridge penalties from the data (empirical Bayes)

extension DayProfile {
    /// The pooling group of a calendar column: an event's own effects (`sales=618`, `before:sales=618@~4d`,
    /// `after1:holiday=Spring Festival`) pool with the same effect of the other events of their kind
    /// (`sales=*`, `before:sales=*@`, `after1:holiday=*`); a kind's lead-up ramp (`before:sales@~4d`) with its
    /// other knots; kinds (`holiday`, `month_start`, `working_day`, ...) with each other.
    static func poolingGroup(_ t: String) -> String {
        if let eq = t.firstIndex(of: "=") { return String(t[...eq]) + "*" + (t.contains("@~") ? "@" : "") }
        if let at = t.range(of: "@~") { return String(t[..<at.lowerBound]) + "@" }
        return "kinds"
    }

    /// Penalties of the calendar columns set from the fit (empirical Bayes, as a random-effects model would): a
    /// column of group g is a draw with variance tau_g^2 around its pooling target (0, or its kind's effect for an
    /// event's own column), so its ridge penalty is sigma^2 / tau_g^2 with sigma^2 the weighted residual variance
    /// and tau_g^2 the mean square of the group's coefficients. Events of a kind that differ a lot (618 and 12.12)
    /// are pooled little, events alike a lot; penalties stay within 0.01 and 50 observations' worth. Weekday and
    /// level columns keep theirs. `adaptive`: a column's variance is at least its own squared coefficient (an
    /// adaptive ridge, i.e. a heavy-tailed prior), so one large effect in a group of small ones keeps its size.
    static func pooledPenalties(_ design: Design, beta: [Double], sigma2: Double, adaptive: Bool) -> [Double] {
        var penalty = design.penalty
        let firstTag = 7 + design.knots.count
        guard sigma2 > 0, design.p > firstTag else { return penalty }
        var sum: [String: Double] = [:], count: [String: Double] = [:]
        for j in firstTag..<design.p {
            let g = poolingGroup(design.names[j])
            sum[g, default: 0] += beta[j] * beta[j]
            count[g, default: 0] += 1
        }
        for j in firstTag..<design.p {
            let g = poolingGroup(design.names[j])
            // Heavy-tailed: a column whose own effect is larger than its group's spread is shrunk by its own size
            // (an adaptive ridge), so one large effect among many small ones (the eve of Spring Festival among
            // ordinary eves) is not pulled toward them.
            let tau2 = max(sum[g, default: 0] / max(count[g, default: 1], 1), adaptive ? beta[j] * beta[j] : 0)
            penalty[j] = tau2 > 0 ? min(50, max(0.01, sigma2 / tau2)) : 50
        }
        return penalty
    }
}

// MARK: - Drift of the level

extension DayProfile {
    /// The level's drift per day, or 0: growth that the smoothed level lags behind. The candidate is the slope of
    /// the smoothed level over the last `driftWindowDays` days; it is kept only when adding it lowers the squared
    /// error of the forecasts 1 to 42 days ahead of the calendar-adjusted log totals, made from each level day of
    /// the 16 weeks before the last 6 (a backtest of the level alone). `adjusted` holds (day, value), oldest first.
    ///
    /// A smoothed level is the weighted mean of past days, so under a drift b it lies b x (its lag) below the
    /// series, the lag being the days from the level's centre (its weighted mean day) to the day forecast; the
    /// forecast with drift adds b x that lag, not only b x the days since the last level day. (Adding only the
    /// latter left a 60-day lag at a smoothing of 0.02: about 1.2% low at a growth of 0.6% a month on
    /// synthetic-cn-bank, the bias of every normal day in the 2026 origins.)
    static func chooseDrift(_ adjusted: [(Int, Double)], alpha: Double, window: Int, coverLag: Bool = true) -> Double {
        let n = adjusted.count
        guard n > 60 else { return 0 }
        // Level after each adjusted day and its centre (weighted mean day).
        var after = [Double](repeating: 0, count: n), centre = [Double](repeating: 0, count: n)
        let start = adjusted[0..<min(28, n)]
        var lv = start.map(\.1).reduce(0, +) / Double(start.count)
        var c = start.map { Double($0.0) }.reduce(0, +) / Double(start.count)
        for k in 0..<n {
            lv += alpha * (adjusted[k].1 - lv); after[k] = lv
            c += alpha * (Double(adjusted[k].0) - c); centre[k] = c
        }
        func slope(at k: Int) -> Double? {
            let day = adjusted[k].0
            guard let j = adjusted.indices.last(where: { $0 < k && adjusted[$0].0 <= day - window }), j >= 28 else { return nil }
            return (after[k] - after[j]) / (coverLag ? centre[k] - centre[j] : Double(day - adjusted[j].0))
        }
        guard let current = slope(at: n - 1) else { return 0 }
        let lastDay = adjusted[n - 1].0
        var sse0 = 0.0, sse1 = 0.0
        for k in 0..<n where adjusted[k].0 > lastDay - 42 - 112 && adjusted[k].0 <= lastDay - 42 {
            guard let b = slope(at: k) else { continue }
            var i = k + 1
            while i < n && adjusted[i].0 <= adjusted[k].0 + 42 {
                let e0 = adjusted[i].1 - after[k]
                let e1 = e0 - b * (Double(adjusted[i].0) - (coverLag ? centre[k] : Double(adjusted[k].0)))
                sse0 += e0 * e0; sse1 += e1 * e1
                i += 1
            }
        }
        return sse1 < sse0 ? current : 0
    }
}

extension DayProfile.Fitted {
    /// Whether a day with `tags` is a calendar day for `auto` (which trusts only calendar-aware models there): a
    /// day with a dated event, its window or a rule is; a day only near a holiday (`near:` tags, which the
    /// calendar did not declare) is when the day-profile model found its effect material (more than twice its
    /// standard error), else it is an ordinary day for every model.
    static func isCalendarDay(_ tags: [String], fitted: DayProfile.Fitted?) -> Bool {
        if tags.contains(where: { !$0.hasPrefix("near:") }) { return true }
        guard !tags.isEmpty, let f = fitted else { return false }
        var effect = 0.0, variance = 0.0
        for t in tags {
            guard let j = f.effects.names.firstIndex(of: t) else { continue }
            effect += f.effects.coefficients[j]
            variance += f.effects.standardErrors[j] * f.effects.standardErrors[j]
        }
        return abs(effect) > 2 * variance.squareRoot()
    }
}
