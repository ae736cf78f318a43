import Foundation
import Ingest
import PlanningCore
import Reports
import Store

/// The ingest stage: history CSV files into the store, validated, in one transaction.
public enum IngestStage {
    /// Parses and writes `files` ("-" is standard input); on any error nothing changes.
    public static func run(_ ws: Workspace, files: [String]) throws -> Store.IngestReport {
        let config = try ws.loadConfig()
        let zone = try config.zone()
        let store = try ws.openStore()
        var known: [String: Int] = [:]
        for c in config.channels { if let iv = c.intervalMinutes { known[c.name] = iv } }
        for c in try store.channels() { known[c.name] = c.intervalMinutes }
        let bar = Diagnostics.progress("ingest")
        defer { bar.finish() }
        return try IngestPipeline.run(
            store: store, files: files, defaultInterval: config.intervalMinutes, known: known,
            makeParser: { known in
                var parser = HistoryParser(zone: zone, knownIntervals: known, defaultInterval: config.intervalMinutes)
                parser.progress = { done, total in bar.update(total.map { Double(done) / Double(max($0, 1)) }) }
                return parser
            },
            onBatch: { batch in
                for w in batch.warnings { Diagnostics.warning(w) }
                for name in batch.channels where config.channel(named: name) == nil && !config.channels.isEmpty {
                    Diagnostics.note("channel \(name) is not declared in peakplan.toml; the [service] defaults apply")
                }
            })
    }

    /// One row per file and channel.
    public static func table(_ report: Store.IngestReport) -> Table {
        var table = Table(columns: ["file", "channel", "interval_min", "rows", "inserted", "updated", "unchanged"])
        for f in report.files {
            for c in f.channels {
                table.rows.append([
                    .text(f.source), .text(c.channel), .int(c.intervalMinutes), .int(c.rows), .int(c.inserted), .int(c.updated), .int(c.unchanged),
                ])
            }
        }
        return table
    }

    /// The line for the user: what changed.
    public static func summary(_ report: Store.IngestReport) -> String {
        let t = report.totals
        return report.changedAnything
            ? "ingest: \(grouped(t.rows)) rows: \(grouped(t.inserted)) inserted, \(grouped(t.updated)) updated, \(grouped(t.unchanged)) unchanged"
            : "ingest: nothing changed: all \(grouped(t.rows)) rows are already in the store with the same values"
    }
}

extension Workspace {
    /// Writes peakplan.toml for `config` (refusing to overwrite one unless `force`) and creates the store;
    /// returns the store's schema version.
    @discardableResult
    public func create(_ config: WorkspaceConfig, force: Bool = false) throws -> Int {
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if fm.fileExists(atPath: configPath) && !force {
            throw PlanError("\(configPath) already exists; use --force to rewrite it (the store is kept)", .usage)
        }
        let text = config.render()
        // The rendered file must read back as the same configuration.
        precondition((try? WorkspaceConfig.parse(text)) == config, "rendered configuration does not round-trip")
        try writeTextFile(configPath, text)
        return try Store(path: storePath, create: true).schemaVersion
    }
}
