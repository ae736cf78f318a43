/// Every finished model, by id. Adding a model = one file in Models/ + one line here; the contract test
/// runs over this list.
public enum ModelRegistry {
    public static let base: [any ForecastModel] = [
        SeasonalNaive(.day),
        SeasonalNaive(.week),
        SeasonalAverage(weeks: 4),
        SeasonalAverage(weeks: 6),
        DayProfile(),
        DoubleSeasonalHW(),
        FourierRegression(),
        MSTLETS(),
    ]

    /// The default: the 6-week seasonal average (of normal days only where that forecasts the recent normal days
    /// better: `SeasonalAverage.DaySelection.chosen`) and the day-profile model, combined by recent accuracy.
    /// (Chosen on the held-out origins of `peakplan bench forecast --held-out`: 6 weeks scored 1.2% better than
    /// the 4 weeks of the peers' baseline, 5 and 8 weeks in between; adding dshw made the 7-day MASE worse, so
    /// it is offered on its own only.)
    public static var auto: Combination {
        Combination(candidates: [SeasonalAverage(weeks: autoSeasonalWeeks, days: .chosen), DayProfile()])
    }

    /// Weeks of the seasonal average inside `auto`.
    public static let autoSeasonalWeeks = 6

    public static var all: [any ForecastModel] { base + [auto] }

    public static func model(_ id: String) -> (any ForecastModel)? { all.first { $0.id == id } }
}
