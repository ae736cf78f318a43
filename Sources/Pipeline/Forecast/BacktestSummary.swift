import Foundation
import Reports
import Store

/// Which model to trust: per channel and horizon bucket, the model with the lowest MASE, and where `auto` (the
/// default) stands against the best other model.
public enum BacktestSummary {
    public static let columns = [
        "channel", "horizon", "best_model", "best_mase", "auto_mase", "auto_is_best", "auto_vs_best_other_pct", "models"
    ]

    /// auto_vs_best_other_pct: auto's MASE against the lowest MASE of the other models, in % (negative: auto is
    /// better by that much; positive: the best model beats auto by that much). Empty without an auto row.
    public static func table(_ records: [Store.BacktestRecord], title: String? = nil) -> Table {
        var t = Table(title: title, columns: columns)
        var keys: [(String, String)] = []
        for r in records where !keys.contains(where: { $0 == (r.channel, r.horizon) }) { keys.append((r.channel, r.horizon)) }
        for (channel, horizon) in keys {
            let rows = records.filter { $0.channel == channel && $0.horizon == horizon && !$0.mase.isNaN }
            // Ties: the first in the run's model order.
            guard let best = rows.min(by: { $0.mase < $1.mase }) else { continue }
            let auto = rows.first { $0.model == "auto" }
            let other = rows.filter { $0.model != "auto" }.min(by: { $0.mase < $1.mase })
            var margin: Cell = .null
            if let a = auto, let o = other, o.mase > 0 { margin = .number((a.mase / o.mase - 1) * 100, decimals: 1) }
            t.rows.append([
                .text(channel), .text(horizon), .text(best.model), .number(best.mase, decimals: 3),
                auto.map { .number($0.mase, decimals: 3) } ?? .null, auto.map { .text($0.mase <= best.mase ? "yes" : "no") } ?? .null,
                margin, .int(rows.count)
            ])
        }
        return t
    }

    /// One line per channel and bucket where auto is not the best (for the notes of a CSV/JSON run).
    public static func notes(_ records: [Store.BacktestRecord]) -> [String] {
        let t = table(records)
        return t.rows.compactMap { row in
            guard case .text(let c) = row[0], case .text(let h) = row[1], case .text(let best) = row[2], case .text("no") = row[5],
                case .number(let m, _) = row[6]
            else { return nil }
            return "\(c) \(h): \(best) beats auto (auto's MASE is \(String(format: "%.1f", m))% higher)"
        }
    }
}
