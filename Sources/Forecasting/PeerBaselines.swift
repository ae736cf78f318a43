import Foundation

/// The peer harness's stored results (Datasets/benchmarks/forecast-peers/*.json), for side-by-side
/// comparison in benchmarks and tests. Reading a file is the caller's business; this parses its bytes.
public struct PeerBaselines: Sendable {
    public struct Entry: Sendable { public var method: String; public var mase: Double; public var coverage80: Double?; public var seconds: Double? }
    /// channel -> horizon -> entries (methods that finished at every origin).
    public var table: [String: [String: [Entry]]] = [:]
    public var dataset: String = ""

    public static func load(_ path: String) throws -> PeerBaselines {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try parse(data)
    }

    public static func parse(_ data: Data) throws -> PeerBaselines {
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let channels = root["channels"] as? [String: Any] else {
            throw ForecastError("peers", "not a peer results file (no \"channels\")")
        }
        var p = PeerBaselines()
        p.dataset = root["dataset"] as? String ?? ""
        for (ch, v) in channels {
            guard let methods = (v as? [String: Any])?["methods"] as? [String: Any] else { continue }
            for (name, mv) in methods {
                guard let m = mv as? [String: Any], (m["status"] as? String) == "ok", let summary = m["summary"] as? [String: Any] else { continue }
                for (h, sv) in summary {
                    guard let s = sv as? [String: Any], let mase = s["MASE"] as? Double else { continue }
                    p.table[ch, default: [:]][h, default: []].append(Entry(method: name, mase: mase, coverage80: s["cov80"] as? Double,
                                                                              seconds: m["mean_seconds"] as? Double))
                }
            }
        }
        return p
    }

    public func mase(channel: String, method: String, horizon: String) -> Double? {
        table[channel]?[horizon]?.first { $0.method == method }?.mase
    }

    public func best(channel: String, horizon: String) -> Entry? {
        table[channel]?[horizon]?.min { $0.mase < $1.mase }
    }
}
