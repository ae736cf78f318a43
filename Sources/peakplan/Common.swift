import ArgumentParser
import Forecasting
import Foundation
import Ingest
import Pipeline
import PlanningCore
import Reports
import Store

/// Documented exit codes (see `peakplan --help`): the application layer's `ExitStatus` values.
enum Exit {
    static let usage = ExitStatus.usage.rawValue
    static let dataError = ExitStatus.dataError.rawValue
    static let noInput = ExitStatus.noInput.rawValue
    static let cantCreate = ExitStatus.cantCreate.rawValue
    static let ioError = ExitStatus.ioError.rawValue
    static let config = ExitStatus.config.rawValue
}

/// Prints `peakplan: error: ...` on stderr and returns the exit code to throw.
func fail(_ message: String, code: Int32) -> ExitCode {
    Diagnostics.error(message)
    return ExitCode(code)
}

/// Maps any error from the stages and modules to its message (one format: `peakplan: error: ...`) and exit code.
func failure(_ error: Error) -> ExitCode {
    if let e = error as? ExitCode { return e }
    let e = PlanError.from(error)
    return fail(e.message, code: e.status.rawValue)
}

/// Lines for the user on stderr, through the one diagnostics channel.
enum Console {
    static func error(_ s: String) { Diagnostics.info("peakplan: " + s) }
    static func note(_ s: String) { Diagnostics.info(s) }
}

struct WorkspaceOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Workspace folder (holds peakplan.toml and peakplan.sqlite).", valueName: "dir"))
    var workspace: String = "."

    var ws: Workspace { Workspace(workspace) }
    var configPath: String { ws.configPath }
    var storePath: String { ws.storePath }

    func loadConfig() throws -> WorkspaceConfig { try ws.loadConfig() }
    func openStore() throws -> Store { try ws.openStore() }
}

struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Output format: table, csv or json.")
    var format: OutputFormatArg = .table

    @Option(name: .long, help: ArgumentHelp("Write the result to FILE (atomically) instead of stdout.", valueName: "file"))
    var out: String?

    func emit(_ text: String) throws {
        let sink = try OutputSink(path: out)
        try sink.write(text)
        try sink.finish()
    }
}

enum OutputFormatArg: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
    var format: OutputFormat { OutputFormat(rawValue: rawValue)! }
}

/// A one-line progress bar on stderr for work over a second, only when stderr is a terminal. Thread-safe: the
/// scheduling engine reports from worker threads. Installed as the diagnostics channel's progress at start-up.
final class Progress: Diagnostics.ProgressSink, @unchecked Sendable {
    let label: String
    let start = Date()
    private var lastDraw = Date.distantPast
    private var shown = false
    private let lock = NSLock()
    let enabled = isatty(2) == 1

    init(_ label: String) { self.label = label }

    func update(_ fraction: Double?) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(start) > 1, now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        shown = true
        var line = "\r\(label) "
        if let f = fraction {
            let w = 30, k = Int((min(max(f, 0), 1) * Double(w)).rounded())
            line += "[" + String(repeating: "#", count: k) + String(repeating: " ", count: w - k) + "] \(Int(f * 100))%"
        } else {
            line += String(format: "%.0fs", now.timeIntervalSince(start))
        }
        FileHandle.standardError.write(line.data(using: .utf8)!)
    }

    func finish() {
        lock.lock(); defer { lock.unlock() }
        guard shown else { return }
        FileHandle.standardError.write("\r\u{1B}[K".data(using: .utf8)!)
    }
}
