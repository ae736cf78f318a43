import Foundation

/// Arrival quantiles of one interval's forecast, e.g. levels [0.1, 0.5, 0.8, 0.9] with their arrivals.
///
/// Staffing to the p-quantile of arrivals instead of the mean covers forecast uncertainty: with the p80 the
/// interval's targets are met whenever arrivals come in at or below the forecast's 80th percentile (the models
/// are monotone in load). Between given levels arrivals are interpolated linearly in the level.
public struct QuantileForecast: Sendable, Equatable {
    public let levels: [Double]
    public let arrivals: [Double]

    /// - Throws: `StaffingError.invalidTable` unless there is at least one level, levels are strictly
    ///   increasing inside (0, 1), arrivals are finite, >= 0 and do not decrease with the level (crossing
    ///   quantiles are a forecasting bug to fix, not to paper over).
    public init(levels: [Double], arrivals: [Double]) throws {
        guard !levels.isEmpty, levels.count == arrivals.count else {
            throw StaffingError.invalidTable(field: "quantile forecast", message: "needs one arrival value per level (got \(levels.count) levels, \(arrivals.count) values)")
        }
        for (k, l) in levels.enumerated() {
            guard l > 0 && l < 1 else {
                throw StaffingError.invalidTable(field: "quantile forecast", message: "level \(StaffingError.show(l)) is outside (0, 1)")
            }
            if k > 0 && !(l > levels[k - 1]) {
                throw StaffingError.invalidTable(field: "quantile forecast", message: "levels must increase (\(StaffingError.show(levels[k - 1])) then \(StaffingError.show(l)))")
            }
        }
        for (k, a) in arrivals.enumerated() {
            guard a.isFinite, a >= 0 else {
                throw StaffingError.invalidTable(field: "quantile forecast", message: "arrivals at level \(StaffingError.show(levels[k])) must be a finite number >= 0 (got \(StaffingError.show(a)))")
            }
            if k > 0 && a < arrivals[k - 1] {
                throw StaffingError.invalidTable(field: "quantile forecast",
                                                 message: "quantiles cross: level \(StaffingError.show(levels[k])) has \(StaffingError.show(a)) arrivals, below \(StaffingError.show(arrivals[k - 1])) at level \(StaffingError.show(levels[k - 1]))")
            }
        }
        self.levels = levels
        self.arrivals = arrivals
    }

    /// Arrivals at `level`, interpolated linearly between the two nearest given levels.
    /// - Throws: `StaffingError.invalidInput` for a level outside the given range.
    public func arrivals(at level: Double) throws -> Double {
        guard let first = levels.first, let last = levels.last, level >= first, level <= last else {
            throw StaffingError.invalidInput(field: "quantile level", value: level,
                                             requirement: "within the forecast's levels [\(StaffingError.show(levels.first ?? 0)), \(StaffingError.show(levels.last ?? 0))]")
        }
        guard let hi = levels.firstIndex(where: { $0 >= level }) else { return arrivals[arrivals.count - 1] }
        if levels[hi] == level || hi == 0 { return arrivals[hi] }
        let lo = hi - 1
        let w = (level - levels[lo]) / (levels[hi] - levels[lo])
        return arrivals[lo] + w * (arrivals[hi] - arrivals[lo])
    }
}

public enum QuantileStaffing {
    /// The fewest agents meeting `targets` when arrivals are the forecast's `level` quantile; `load` supplies
    /// interval, AHT and patience (its own arrivals are replaced).
    public static func solve(_ model: QueueModel, load: QueueLoad, forecast: QuantileForecast, level: Double,
                             targets: StaffingTargets) throws -> StaffingSolution {
        try StaffSolver.solve(model, load: try load.with(arrivals: try forecast.arrivals(at: level)), targets: targets)
    }
}
