import ArgumentParser
import Forecasting
import Foundation
import Ingest
import PlanningCore
import Reports
import Store

/// Documented exit codes (see `peakplan --help`).
enum Exit {
    static let usage: Int32 = 64
    static let dataError: Int32 = 65
    static let noInput: Int32 = 66
    static let cantCreate: Int32 = 73
    static let ioError: Int32 = 74
    static let config: Int32 = 78
}

/// Prints `peakplan: error: ...` on stderr and returns the exit code to throw.
func fail(_ message: String, code: Int32) -> ExitCode {
    Console.error("error: " + message)
    return ExitCode(code)
}

/// Maps any error from the modules to its message and exit code.
func failure(_ error: Error) -> ExitCode {
    switch error {
    case let e as ExitCode: return e
    case let e as InputError: return fail(e.description, code: e.kind == .unreadable ? Exit.noInput : Exit.dataError)
    case let e as StoreError: return fail("store: " + e.description, code: Exit.ioError)
    case let e as OutputSink.WriteError: return fail(e.description, code: Exit.cantCreate)
    case let e as WorkspaceError: return fail(e.message, code: e.code)
    // A model that cannot forecast the data it was given (too little history, a horizon it refuses).
    case let e as ForecastError: return fail(e.description, code: Exit.dataError)
    default: return fail("\(error)", code: 1)
    }
}

enum Console {
    static func error(_ s: String) {
        FileHandle.standardError.write(("peakplan: " + s + "\n").data(using: .utf8)!)
    }
    static func note(_ s: String) {
        FileHandle.standardError.write((s + "\n").data(using: .utf8)!)
    }
}

struct WorkspaceError: Error { var message: String; var code: Int32 }

struct WorkspaceOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Workspace folder (holds peakplan.toml and peakplan.sqlite).", valueName: "dir"))
    var workspace: String = "."

    var configPath: String { (workspace as NSString).appendingPathComponent(WorkspaceConfig.fileName) }
    var storePath: String { (workspace as NSString).appendingPathComponent(Store.fileName) }

    func loadConfig() throws -> WorkspaceConfig {
        guard FileManager.default.fileExists(atPath: configPath) else {
            throw WorkspaceError(message: "no workspace at \(workspace): \(configPath) is missing. Run `peakplan init --workspace \(workspace)` first", code: Exit.config)
        }
        guard let data = FileManager.default.contents(atPath: configPath), let text = String(data: data, encoding: .utf8) else {
            throw WorkspaceError(message: "\(configPath): cannot read as UTF-8 text", code: Exit.config)
        }
        do { return try WorkspaceConfig.parse(text) } catch {
            throw WorkspaceError(message: "\(configPath): \(error.description)", code: Exit.config)
        }
    }

    func openStore() throws -> Store {
        guard FileManager.default.fileExists(atPath: storePath) else {
            throw WorkspaceError(message: "no store at \(storePath). Run `peakplan init --workspace \(workspace)` first", code: Exit.config)
        }
        return try Store(path: storePath)
    }
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

/// A one-line progress bar on stderr for work over a second, only when stderr is a terminal.
final class Progress {
    let label: String
    let start = Date()
    var lastDraw = Date.distantPast
    var shown = false
    let enabled = isatty(2) == 1

    init(_ label: String) { self.label = label }

    func update(_ fraction: Double?) {
        guard enabled else { return }
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
        guard shown else { return }
        FileHandle.standardError.write("\r\u{1B}[K".data(using: .utf8)!)
    }
}

/// Thousands separators for human-readable counts.
func grouped(_ n: Int) -> String {
    let s = String(abs(n))
    var out = ""
    for (k, ch) in s.enumerated() {
        if k > 0 && (s.count - k) % 3 == 0 { out += "," }
        out.append(ch)
    }
    return (n < 0 ? "-" : "") + out
}
