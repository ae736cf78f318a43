import Foundation
import PlanningCore
import Reports
import Store

/// A workspace folder: peakplan.toml (configuration) and peakplan.sqlite (store).
public struct Workspace: Sendable {
    public var directory: String

    public init(_ directory: String) { self.directory = directory }

    public var configPath: String { (directory as NSString).appendingPathComponent(WorkspaceConfig.fileName) }
    public var storePath: String { (directory as NSString).appendingPathComponent(Store.fileName) }

    /// The configuration; exit 78 when missing or invalid (the message names line and key).
    public func loadConfig() throws -> WorkspaceConfig {
        guard FileManager.default.fileExists(atPath: configPath) else {
            throw PlanError("no workspace at \(directory): \(configPath) is missing. Run `peakplan init --workspace \(directory)` first", .config)
        }
        guard let data = FileManager.default.contents(atPath: configPath), let text = String(data: data, encoding: .utf8) else {
            throw PlanError("\(configPath): cannot read as UTF-8 text", .config)
        }
        do { return try WorkspaceConfig.parse(text) } catch {
            throw PlanError("\(configPath): \(error.description)", .config)
        }
    }

    /// The raw text of peakplan.toml ("" when unreadable): part of a plan's fingerprint.
    public func configText() -> String { (try? String(contentsOfFile: configPath, encoding: .utf8)) ?? "" }

    public func openStore() throws -> Store {
        guard FileManager.default.fileExists(atPath: storePath) else {
            throw PlanError("no store at \(storePath). Run `peakplan init --workspace \(directory)` first", .config)
        }
        return try Store(path: storePath)
    }

    /// A path relative to the workspace (absolute paths unchanged).
    public func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : (directory as NSString).appendingPathComponent(path)
    }
}

/// Reads a whole UTF-8 text file; exit 66 when unreadable, `notText` when it is not UTF-8.
public func readTextFile(_ path: String, what: String = "the file", notText: ExitStatus = .dataError) throws -> String {
    guard let d = FileManager.default.contents(atPath: path) else { throw PlanError("\(path): cannot read \(what)", .noInput) }
    guard let s = String(data: d, encoding: .utf8) else { throw PlanError("\(path): not UTF-8 text", notText) }
    return s
}

/// Writes `text` to `path` atomically (temporary file, then rename).
public func writeTextFile(_ path: String, _ text: String) throws {
    let sink = try OutputSink(path: path)
    try sink.write(text)
    try sink.finish()
}
