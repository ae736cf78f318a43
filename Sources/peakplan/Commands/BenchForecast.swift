import ArgumentParser
import Forecasting
import Foundation
import Ingest
import PlanningCore
import Reports
import Store

struct ForecastBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Backtest every model on the bundled real series beside the peer tools' results, ratios last.",
        discussion: """
        Loads the bundled Israeli bank series (6-minute, summed to 30 minutes) and the per-service-type 30-minute
        series with their 1999 calendar into a scratch workspace, runs the peer harness's rolling-origin protocol
        (`peakplan backtest`), and prints our default model (auto) beside the best peer per series and horizon from
        ../shared/peers/forecast/baselines_json (statsforecast, Prophet, statsmodels and the harness baselines,
        measured on this machine type). Event-day error is compared with our exact re-implementations of the peer
        baselines (seasonal naive, 4-week seasonal average, DSHW), whose MASE matches the peers' to 1e-6.
        Example:
          peakplan bench forecast
        """
    )
    @Option(help: ArgumentHelp("Folder with the bundled datasets.", valueName: "dir")) var datasets: String = "Datasets"
    @Option(help: ArgumentHelp("Folder with the peers' baseline results.", valueName: "dir")) var peers: String = "../shared/peers/forecast/baselines_json"
    @OptionGroup var output: OutputOptions

    func run() throws {
        do {
            let dir = (NSTemporaryDirectory() as NSString).appendingPathComponent("peakplan-bench-forecast-\(getpid())")
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            var config = WorkspaceConfig()
            config.timeZone = "+02:00"
            config.weekend = [4, 5]
            let zone = try config.zone()
            let store = try Store(path: dir + "/s.sqlite", create: true)
            let voice = try HistoryParser(zone: zone).parse(path: datasets + "/anonbank-israel-1999/voice-6min.csv")
            let types = try HistoryParser(zone: zone).parse(path: datasets + "/anonbank-calls-1999/types-30min.csv")
            _ = try store.ingest([voice, types])
            _ = try store.importEvents(try EventsParser.parse(path: datasets + "/anonbank-israel-1999/events-1999.csv").events)
            let israel = try? PeerBaselines.load(peers + "/israel.json")
            let calls = try? PeerBaselines.load(peers + "/calls99.json")
            if israel == nil || calls == nil { Console.note("peakplan: note: peer results not found under \(peers); printing ours only") }

            var table = Table(title: output.format.format == .table ? "Forecast accuracy, rolling origin (4 origins x 1 week), 30-minute intervals: ours (auto) vs the best peer" : nil,
                              columns: ["series", "horizon", "best_peer", "peer_mase", "auto_mase", "mase_ratio", "auto_cov80", "peer_cov80",
                                        "auto_event_err", "baseline_event_err", "event_ratio"])
            var totalSeconds = 0.0
            var fullBacktest = 0.0
            let models = ModelRegistry.all
            let peerIds = ["snaive-day": "SNaive-day", "snaive-week": "SNaive-week", "seasonal-avg-4w": "SeasonalAvg-4w", "dshw": "DSHW-sqrt"]
            var ratios: [Double] = []
            for (name, agg, peer) in [("voice", 30, israel), ("ps", 30, calls), ("nw", 30, calls), ("ne", 30, calls), ("in", 30, calls), ("tt", 30, calls), ("pe", 30, calls)] {
                let series = try SeriesLoader.load(store: store, config: config, zone: zone, channel: name, aggregateMinutes: agg, horizonDays: 8)
                let t0 = Date()
                let rows = Backtest().run(series.input, models: models)
                let dt = Date().timeIntervalSince(t0)
                totalSeconds += dt
                if name == "voice" { fullBacktest = dt }
                for h in ["1d", "7d"] {
                    guard let ours = rows.first(where: { $0.model == "auto" && $0.horizon == h })?.metrics else { continue }
                    let best = peer?.best(channel: name, horizon: h)
                    let baselineEvent = rows.filter { peerIds[$0.model] != nil && $0.horizon == h }.compactMap(\.metrics.eventDayError).min()
                    let ratio = best.map { ours.mase / $0.mase }
                    if let r = ratio { ratios.append(r) }
                    table.rows.append([.text(name == "voice" ? "israel voice" : "calls \(name)"), .text(h), .text(best?.method ?? "-"),
                                       best.map { .number($0.mase, decimals: 3) } ?? .null, .number(ours.mase, decimals: 3),
                                       ratio.map { .number($0, decimals: 3) } ?? .null,
                                       .number(ours.coverage80, decimals: 1), best?.coverage80.map { .number($0, decimals: 1) } ?? .null,
                                       ours.eventDayError.map { .number($0, decimals: 1) } ?? .null,
                                       baselineEvent.map { .number($0, decimals: 1) } ?? .null,
                                       (ours.eventDayError.flatMap { e in baselineEvent.map { e / $0 } }).map { .number($0, decimals: 3) } ?? .null])
                }
            }
            // Event days: forecasts from 3 days before each holiday/eve/custom day of the history.
            var ev = Table(title: output.format.format == .table ? "\nEvent-day error: WAPE of day totals, forecast 3 days ahead of each calendar-event day of the history (median APE beside)" : nil,
                           columns: ["series", "event_days", "auto_wape", "auto_median_ape", "best_baseline", "baseline_wape", "baseline_median_ape", "ratio"])
            let evModels: [any ForecastModel] = [ModelRegistry.auto, SeasonalNaive(.week), SeasonalAverage(weeks: 4), DoubleSeasonalHW(), MSTLETS()]
            for (name, agg) in [("voice", 30), ("ps", 30), ("nw", 30), ("ne", 30), ("in", 30)] {
                let series = try SeriesLoader.load(store: store, config: config, zone: zone, channel: name, aggregateMinutes: agg, horizonDays: 8)
                let rows = EventDayBacktest().run(series.input, models: evModels)
                guard let ours = rows.first(where: { $0.model == "auto" }) else { continue }
                let best = rows.filter { $0.model != "auto" }.min { $0.wape < $1.wape }!
                ev.rows.append([.text(name == "voice" ? "israel voice" : "calls \(name)"), .int(ours.days), .number(ours.wape, decimals: 1),
                                .number(ours.medianAPE, decimals: 1), .text(best.model), .number(best.wape, decimals: 1),
                                .number(best.medianAPE, decimals: 1), .number(ours.wape / best.wape, decimals: 3)])
            }
            var text = table.render(output.format.format)
            if output.format.format == .table {
                let geo = exp(ratios.map { log($0) }.reduce(0, +) / Double(max(ratios.count, 1)))
                text += "\nfull backtest of all \(models.count) models on one year of 30-minute data (israel voice, 4 origins): \(String(format: "%.2f", fullBacktest)) s; all series: \(String(format: "%.2f", totalSeconds)) s\n"
                text += "geometric mean MASE ratio auto/best peer over \(ratios.count) series x horizons: \(String(format: "%.3f", geo))\n"
            }
            text += ev.render(output.format.format)
            try output.emit(text)
        } catch { throw failure(error) }
    }
}
