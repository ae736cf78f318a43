import Foundation
import Forecasting
import Ingest
import PlanningCore
import Reports
import Store

/// Documented exit statuses (see `peakplan --help`).
public enum ExitStatus: Int32, Sendable {
    case failure = 1
    case usage = 64
    /// Bad input data, or no schedule satisfies the hard rules.
    case dataError = 65
    case noInput = 66
    case cantCreate = 73
    case ioError = 74
    /// The schedule's time limit came before every part had a schedule.
    case timeLimit = 75
    case config = 78

    /// No schedule satisfies the hard rules (shares 65 with bad data).
    public static let infeasible = ExitStatus.dataError
}

/// An error for the user: what went wrong and what to do, with its exit status. Every stage throws these
/// (or module errors that `PlanError.from` maps).
public struct PlanError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var status: ExitStatus
    public init(_ message: String, _ status: ExitStatus) { self.message = message; self.status = status }
    public var description: String { message }

    /// Any error from the modules as a message and exit status.
    public static func from(_ error: Error) -> PlanError {
        switch error {
        case let e as PlanError: return e
        case let e as InputError: return PlanError(e.description, e.kind == .unreadable ? .noInput : .dataError)
        case let e as StoreError: return PlanError("store: " + e.description, .ioError)
        case let e as OutputSink.WriteError: return PlanError(e.description, .cantCreate)
        // A model that cannot forecast the data it was given (too little history, a horizon it refuses).
        case let e as ForecastError: return PlanError(e.description, .dataError)
        default: return PlanError("\(error)", .failure)
        }
    }
}

/// The one diagnostics channel: notes, warnings and progress from every stage go through it. The CLI prints
/// them on stderr (`peakplan: warning: ...`); in-process callers (tests) can capture them.
public enum Diagnostics {
    public enum Level: String, Sendable { case info, note, warning, error }

    public struct Message: Sendable, Equatable {
        public var level: Level
        public var text: String
    }

    /// A progress indicator for work that may take a while.
    public protocol ProgressSink: AnyObject, Sendable {
        func update(_ fraction: Double?)
        func finish()
    }

    final class Hub: @unchecked Sendable {
        let lock = NSLock()
        var handler: @Sendable (Message) -> Void = { m in FileHandle.standardError.write(Data((Diagnostics.render(m) + "\n").utf8)) }
        var progress: @Sendable (String) -> ProgressSink = { _ in NoProgress() }
    }
    static let hub = Hub()

    /// Where messages go (default: stderr).
    public static func setHandler(_ h: @escaping @Sendable (Message) -> Void) { hub.lock.lock(); hub.handler = h; hub.lock.unlock() }
    /// How progress is shown (default: not at all).
    public static func setProgress(_ p: @escaping @Sendable (String) -> ProgressSink) { hub.lock.lock(); hub.progress = p; hub.lock.unlock() }

    /// The one rendering: `peakplan: warning: text`; `info` lines (stage progress, summaries) are printed as they are.
    public static func render(_ m: Message) -> String {
        switch m.level {
        case .info: return m.text
        case .note: return "peakplan: note: " + m.text
        case .warning: return "peakplan: warning: " + m.text
        case .error: return "peakplan: error: " + m.text
        }
    }

    static func emit(_ level: Level, _ text: String) {
        hub.lock.lock(); let h = hub.handler; hub.lock.unlock()
        h(Message(level: level, text: text))
    }
    public static func info(_ text: String) { emit(.info, text) }
    public static func note(_ text: String) { emit(.note, text) }
    public static func warning(_ text: String) { emit(.warning, text) }
    public static func error(_ text: String) { emit(.error, text) }

    public static func progress(_ label: String) -> ProgressSink {
        hub.lock.lock(); let p = hub.progress; hub.lock.unlock()
        return p(label)
    }

    final class NoProgress: ProgressSink {
        func update(_ fraction: Double?) {}
        func finish() {}
    }
}
