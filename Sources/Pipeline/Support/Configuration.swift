import Foundation
import PlanningCore
import Rostering
import Scheduling
import Staffing

/// The whole `peakplan.toml` decoded into typed values: the workspace settings and every section a stage
/// reads (`[staffing]`, `[schedule]`, `[roster]`, `[plan]`, `[scenarios]`). Decoding validates everything at
/// once, with the line-and-key messages of each section's parser; defaults live in each section's type.
///
/// `render()` prints the effective configuration (defaults written out, per-channel staffing resolved in
/// comments): `peakplan config show`. Scenarios are typed overrides of this value (`applying(_:)`).
public struct Configuration: Sendable, Equatable {
    public var workspace: WorkspaceConfig
    public var staffing: StaffingConfig
    /// nil when the file has no `[schedule]` (the schedule stage is then skipped).
    public var schedule: ScheduleConfig?
    public var roster: RosterConfig
    public var plan: PlanSettings
    /// Every `[scenarios.NAME]`, in file order.
    public var scenarios: [Scenario]

    /// Decodes and validates every section. `[routing]` has no settings yet: a key there is an error.
    public static func decode(_ config: WorkspaceConfig) throws(ConfigError) -> Configuration {
        let staffing = try StaffingConfig.parse(config)
        let schedule = try config.sections["schedule"].map { t throws(ConfigError) in try ScheduleConfig.parse(t) }
        let roster = try RosterConfig.parse(config.sections["roster"], schedule: schedule?.minuteTemplates ?? [])
        let plan = try PlanSettings.parse(config)
        var scenarios: [Scenario] = []
        for name in Scenario.names(in: config) { scenarios.append(try Scenario.parse(config, name: name)) }
        if let r = config.sections["routing"], let k = r.keys.first {
            throw ConfigError(
                line: r.lines[k] ?? r.line, key: "routing.\(k)",
                message: "unknown key: [routing] has no settings in this PeakPlan (routing follows the schedule); remove it")
        }
        return Configuration(workspace: config, staffing: staffing, schedule: schedule, roster: roster, plan: plan, scenarios: scenarios)
    }

    /// Every section rebuilt from the typed values (`filled`: defaults written out). Scenarios stay as written:
    /// they are overrides, not settings.
    public func effectiveWorkspace(filled: Bool) -> WorkspaceConfig {
        var w = workspace
        w.sections["staffing"] = staffing.toml(filled: filled)
        if let s = schedule { w.sections["schedule"] = s.toml() } else { w.sections["schedule"] = nil }
        w.sections["roster"] = filled || workspace.sections["roster"] != nil ? roster.toml() : nil
        w.sections["plan"] = filled || workspace.sections["plan"] != nil ? plan.toml() : nil
        w.sections["routing"] = nil
        if w.sections["staffing"]?.keys.isEmpty == true { w.sections["staffing"] = nil }
        return w
    }

    /// The effective configuration as TOML: a valid peakplan.toml that decodes to this configuration, with every
    /// default written out and, in comments, the staffing each channel gets.
    public func render(channels: [String] = []) -> String {
        var s = effectiveWorkspace(filled: true).render()
        let names = (workspace.channels.map(\.name) + channels).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        if !names.isEmpty {
            s += "\n# Effective staffing per channel ([[staffing.channels]] over [staffing] over [[channels]] / [service] over\n"
            s += "# the channel kind's defaults):\n"
            for n in names {
                do {
                    let st = try staffing.settings(for: n)
                    let shrink =
                        Set(st.planned).count == 1 && Set(st.unplanned).count == 1
                        ? "shrinkage planned \(show(st.planned[0])), unplanned \(show(st.unplanned[0]))"
                        : "shrinkage by weekday planned \(byDay(st.planned)), unplanned \(byDay(st.unplanned))"
                    s += "#   \(n) (\(st.kind.rawValue)): \(st.summary); staffed to the \(st.quantile.meaning); \(shrink)\n"
                } catch {
                    s += "#   \(n): cannot be staffed: \(error.description)\n"
                }
            }
        }
        return s
    }

    private func show(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }
    private func byDay(_ v: [Double]) -> String { v.indices.map { "\(WorkspaceConfig.weekdayKeys[$0]) \(show(v[$0]))" }.joined(separator: " ") }

    /// The configuration with a scenario's overrides: service targets, and the skills of `[schedule]` groups
    /// (cross-training). Errors name the scenario's key.
    public func applying(_ sc: Scenario) throws(ConfigError) -> Configuration {
        var c = self
        if let x = sc.serviceLevel { c.workspace.service.serviceLevel = x }
        if let x = sc.answerSeconds { c.workspace.service.answerSeconds = x }
        if let x = sc.maxOccupancy { c.workspace.service.maxOccupancy = x }
        if let x = sc.shrinkage { c.workspace.service.shrinkage = x }
        c.staffing.service = c.workspace.service
        if !sc.crossTraining.isEmpty {
            guard var sched = schedule, !sched.groups.isEmpty else {
                throw ConfigError(
                    line: nil, key: "scenarios.\(sc.name).cross_training",
                    message: "scenario \(sc.name) changes cross-training, but there is no [schedule] table with agent groups")
            }
            var groups = sched.groups.map(\.group)
            try sc.applyCrossTraining(to: &groups)
            for i in groups.indices { sched.groups[i].group = groups[i] }
            c.schedule = sched
        }
        return c
    }
}

extension Workspace {
    /// The whole configuration, decoded and validated (exit 78 naming line and key).
    public func loadConfiguration() throws -> Configuration {
        let raw = try loadConfig()
        do { return try Configuration.decode(raw) } catch { throw PlanError("\(configPath): \(error.description)", .config) }
    }

    /// The channels in the store, when there is one (for `config show`'s per-channel lines).
    public func storedChannelNames() -> [String] {
        guard FileManager.default.fileExists(atPath: storePath), let s = try? openStore(), let chans = try? s.channels() else { return [] }
        return chans.map(\.name)
    }
}
