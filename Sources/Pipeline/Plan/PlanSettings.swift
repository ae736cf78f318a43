import Foundation
import PlanningCore

/// The `[plan]` table of peakplan.toml.
public struct PlanSettings: Sendable, Equatable {
    /// Agents CSV for the roster stage (relative to the workspace).
    public var agents: String?
    /// Roster weeks 1-6 (default: whole weeks of the horizon).
    public var rosterWeeks: Int?
    /// Solve again with priced understaffing when the hard rules cannot all be met.
    public var softFallback = true

    public init() {}

    public static func parse(_ config: WorkspaceConfig, path: String) throws -> PlanSettings {
        do { return try parse(config) } catch { throw PlanError("\(path): \(error)", .config) }
    }

    /// Reads `[plan]` (absent: the defaults); errors name the line and key.
    public static func parse(_ config: WorkspaceConfig) throws(ConfigError) -> PlanSettings {
        var s = PlanSettings()
        guard let t = config.sections["plan"] else { return s }
        var r = TOMLReader(t, prefix: "plan.")
        s.agents = try r.string("agents")
        if let w = try r.int("roster_weeks") {
            guard (1...6).contains(w) else { throw r.error("roster_weeks", "\(w) must be 1-6") }
            s.rosterWeeks = w
        }
        s.softFallback = try r.bool("soft_fallback") ?? true
        try r.rejectUnknown(hint: "[plan] has agents, roster_weeks and soft_fallback (see `peakplan plan --help`)")
        return s
    }

    /// The `[plan]` table (`parse` of it gives these settings back).
    public func toml() -> TOMLTable {
        .build([("agents", agents.map { .string($0) }), ("roster_weeks", rosterWeeks.map { .integer($0) }), ("soft_fallback", .bool(softFallback))])
    }
}

/// A plan horizon: days (14d) or hours (36h).
public struct PlanHorizon: Sendable, Equatable {
    public var text: String

    /// nil unless days from 1d to 366d or hours from 1h to 8784h.
    public init?(_ text: String) {
        if text.hasSuffix("d"), let d = Int(text.dropLast()), d >= 1 && d <= 366 { self.text = text; return }
        if text.hasSuffix("h"), let h = Int(text.dropLast()), h >= 1 && h <= 24 * 366 { self.text = text; return }
        return nil
    }

    /// Whole days (rounded down; at least 1).
    public var days: Int {
        if text.hasSuffix("d"), let d = Int(text.dropLast()) { return max(1, d) }
        if text.hasSuffix("h"), let x = Int(text.dropLast()) { return max(1, x / 24) }
        return 7
    }
}
