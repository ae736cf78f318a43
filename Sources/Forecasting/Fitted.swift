import Foundation
import PlanningCore

/// A fitted model: everything needed to forecast without the history, as versioned JSON.
/// Forecasting from a saved state gives the same numbers as fitting and forecasting in one go.
public indirect enum FittedState: Codable, Sendable, Equatable {
    case seasonalNaive(state: SeasonalNaive.Fitted)
    case seasonalAverage(state: SeasonalAverage.Fitted)
    case dayProfile(state: DayProfile.Fitted)
    case dshw(state: DoubleSeasonalHW.Fitted)
    case fourier(state: FourierRegression.Fitted)
    case mstl(state: MSTLETS.Fitted)
    case combination(state: Combination.Fitted)

    /// Forecasts `horizon` slots from the end of the fitted history. `calendar` must cover the horizon's days
    /// (it may start anywhere before); calendar effects come from it, so newly imported events count.
    public func predict(calendar: DayCalendar, horizon: Int) throws(ForecastError) -> Forecast {
        var f: Forecast
        switch self {
        case .seasonalNaive(let s): f = s.predict(horizon: horizon)
        case .seasonalAverage(let s): f = s.predict(horizon: horizon)
        case .dayProfile(let s): f = try s.predict(calendar: calendar, horizon: horizon)
        case .dshw(let s):
            guard horizon <= DoubleSeasonalHW.maximumHorizonDays * s.daily.count else {
                throw ForecastError("dshw", "forecasts at most \(DoubleSeasonalHW.maximumHorizonDays) days ahead (its level and seasonals are random walks whose simulated spread, squared back from the root scale, inflates the mean beyond that: Taylor's model is a short-horizon model); use auto or seasonal-avg-4w for longer horizons")
            }
            f = s.predict(horizon: horizon)
        case .fourier(let s): f = try s.predict(calendar: calendar, horizon: horizon)
        case .mstl(let s): f = s.predict(horizon: horizon)
        case .combination(let s): f = try s.predict(calendar: calendar, horizon: horizon)
        }
        f.sanitize()
        return f
    }
}

/// The file format of a saved model (`Models/*.json`, and the `models` table of the store).
public struct SavedModel: Codable, Sendable, Equatable {
    public static let currentFormatVersion = 1
    public var formatVersion: Int
    public var model: String
    public var channel: String
    public var intervalMinutes: Int
    /// First day after the fitted history (YYYY-MM-DD, local).
    public var historyEnd: String
    public var state: FittedState

    public init(model: String, channel: String, intervalMinutes: Int, historyEnd: String, state: FittedState) {
        formatVersion = Self.currentFormatVersion
        self.model = model
        self.channel = channel
        self.intervalMinutes = intervalMinutes
        self.historyEnd = historyEnd
        self.state = state
    }

    public func encoded() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try e.encode(self)
    }

    public static func decode(_ data: Data) throws -> SavedModel {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let probe = try d.decode(VersionProbe.self, from: data)
        guard probe.formatVersion >= 1 && probe.formatVersion <= currentFormatVersion else {
            throw ForecastError("saved model", "format version \(probe.formatVersion) is not supported (this PeakPlan reads 1...\(currentFormatVersion))")
        }
        return try d.decode(SavedModel.self, from: data)
    }

    struct VersionProbe: Decodable { var formatVersion: Int }
}

extension ForecastModel {
    /// Fit then predict: the same numbers as predicting from a saved `fit`.
    public func forecast(_ input: SeriesInput, horizon: Int) throws(ForecastError) -> Forecast {
        try fit(input).predict(calendar: input.calendar, horizon: horizon)
    }
}

extension DayCalendar {
    /// Index of a day number in this calendar; throws when the calendar does not cover `days` days from it.
    func index(ofDay day: Int64, covering days: Int, model: String) throws(ForecastError) -> Int {
        let i = Int(day - firstDay)
        guard i >= 0, i + days <= self.days else {
            throw ForecastError(model, "the calendar does not cover the forecast days (\(Civil.formatDate(day: day)) + \(days) days)")
        }
        return i
    }
}

