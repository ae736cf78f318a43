/// Every finished model, by id. Adding a model = one file in Models/ + one line here; the contract test
/// runs over this list.
public enum ModelRegistry {
    public static let base: [any ForecastModel] = [
        SeasonalNaive(.day),
        SeasonalNaive(.week),
        SeasonalAverage(weeks: 4),
        DayProfile(),
        DoubleSeasonalHW(),
        FourierRegression(),
        MSTLETS(),
    ]

    /// The default: the seasonal average and the day-profile model, combined by recent accuracy.
    /// (Measured on the bundled series: adding dshw to the combination made the 7-day MASE worse on 6 of 6
    /// series, so it is offered on its own only.)
    public static var auto: Combination {
        Combination(candidates: base.filter { $0.id == "seasonal-avg-4w" || $0.id == "day-profile" })
    }

    public static var all: [any ForecastModel] { base + [auto] }

    public static func model(_ id: String) -> (any ForecastModel)? { all.first { $0.id == id } }
}
