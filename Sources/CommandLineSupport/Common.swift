import ArgumentParser
import Foundation
import Pipeline
import PlanningCore
import Reports
import Store

/// Documented exit codes (see `peakplan --help`): the application layer's `ExitStatus` values.
public enum Exit {
    public static let usage = ExitStatus.usage.rawValue
    public static let dataError = ExitStatus.dataError.rawValue
    public static let noInput = ExitStatus.noInput.rawValue
    public static let cantCreate = ExitStatus.cantCreate.rawValue
    public static let ioError = ExitStatus.ioError.rawValue
    public static let config = ExitStatus.config.rawValue
}

/// Prints `peakplan: error: ...` on stderr and returns the exit code to throw.
public func fail(_ message: String, code: Int32) -> ExitCode {
    Diagnostics.error(message)
    return ExitCode(code)
}

/// Maps any error from the stages and modules to its message (one format: `peakplan: error: ...`) and exit code.
public func failure(_ error: Error) -> ExitCode {
    if let e = error as? ExitCode { return e }
    let e = PlanError.from(error)
    return fail(e.message, code: e.status.rawValue)
}

public struct WorkspaceOptions: ParsableArguments {
    public init() {}
    @Option(name: .long, help: ArgumentHelp("Workspace folder (holds peakplan.toml and peakplan.sqlite).", valueName: "dir"))
    public var workspace: String = "."

    public var ws: Workspace { Workspace(workspace) }
    public var configPath: String { ws.configPath }
    public var storePath: String { ws.storePath }

    public func loadConfig() throws -> WorkspaceConfig { try ws.loadConfig() }
    public func openStore() throws -> Store { try ws.openStore() }
}

public struct OutputOptions: ParsableArguments {
    public init() {}
    @Option(name: .long, help: "Output format: table, csv or json.")
    public var format: OutputFormatArg = .table

    @Option(name: .long, help: ArgumentHelp("Write the result to FILE (atomically) instead of stdout.", valueName: "file"))
    public var out: String?

    public func emit(_ text: String) throws {
        let sink = try OutputSink(path: out)
        try sink.write(text)
        try sink.finish()
    }
}

public enum OutputFormatArg: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
    public var format: OutputFormat { OutputFormat(rawValue: rawValue)! }
}

/// A one-line progress bar on stderr for work over a second, only when stderr is a terminal. Thread-safe: the
/// scheduling engine reports from worker threads. Installed as the diagnostics channel's progress at start-up.
public final class Progress: Diagnostics.ProgressSink, @unchecked Sendable {
    let label: String
    let start = Date()
    private var lastDraw = Date.distantPast
    private var shown = false
    private let lock = NSLock()
    let enabled = isatty(2) == 1

    public init(_ label: String) { self.label = label }

    public func update(_ fraction: Double?) {
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

    public func finish() {
        lock.lock(); defer { lock.unlock() }
        guard shown else { return }
        FileHandle.standardError.write("\r\u{1B}[K".data(using: .utf8)!)
    }
}
