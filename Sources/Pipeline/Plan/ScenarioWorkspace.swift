import Foundation
import PlanningCore
import Reports
import Store

/// A what-if scenario's workspace: a consistent copy of the baseline's store and its configuration with the
/// scenario's overrides, in <workspace>/scenarios/NAME.
public enum ScenarioWorkspace {
    /// Writes (or refreshes) the scenario's workspace and returns it with the scenario.
    public static func prepare(base: Workspace, name: String) throws -> (Workspace, Scenario) {
        let config = try base.loadConfig()
        let sc: Scenario
        do { sc = try Scenario.parse(config, name: name) } catch {
            throw PlanError("\(base.configPath): \(error.description)", .config)
        }
        let target = Workspace(base.resolve("scenarios/\(name)"))
        let fm = FileManager.default
        try fm.createDirectory(atPath: target.directory, withIntermediateDirectories: true)
        let text = try overriddenConfig(config, sc, base: base).render()
        if (try? String(contentsOfFile: target.configPath, encoding: .utf8)) != text {
            try writeTextFile(target.configPath, text)
        }
        // Refresh the store copy only when the baseline's inputs changed (keeps the scenario's reuse working).
        let baseStore = try base.openStore()
        let copyPath = target.storePath
        let fresh = fm.fileExists(atPath: copyPath) ? ((try? sameInputs(copy: copyPath, base: baseStore, events: sc.events)) ?? false) : false
        if !fresh {
            for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: copyPath + suffix) }
            try baseStore.db.execute("VACUUM INTO '\(copyPath.replacingOccurrences(of: "'", with: "''"))'")
            let copy = try Store(path: copyPath)
            if !sc.events.isEmpty { _ = try copy.importEvents(sc.events) }
        }
        Diagnostics.info("plan: scenario \(name)\(sc.description.isEmpty ? "" : " (\(sc.description))") in \(target.directory)")
        return (target, sc)
    }

    /// The baseline configuration with the scenario's overrides, typed (`Configuration.applying`): service
    /// targets and cross-training; the sections are written back from the typed values.
    static func overriddenConfig(_ config: WorkspaceConfig, _ sc: Scenario, base: Workspace) throws -> WorkspaceConfig {
        var c: Configuration
        do { c = try Configuration.decode(config).applying(sc) } catch {
            throw PlanError("\(base.configPath): \(error.description)", .config)
        }
        // A relative agents path keeps pointing at the baseline's file.
        if let a = c.plan.agents, !a.hasPrefix("/") { c.plan.agents = absolute(base.resolve(a)) }
        return c.effectiveWorkspace(filled: false)
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
    }

    /// Whether the copy holds the baseline's inputs plus exactly the scenario's events.
    static func sameInputs(copy: String, base: Store, events: [CalendarEvent]) throws -> Bool {
        let c = try Store(path: copy)
        let key = { (e: CalendarEvent) in "\(e.day)|\(e.name)|\(e.channel ?? "")|\(e.kind.rawValue)|\(e.leadDays)|\(e.lagDays)" }
        guard Set((try base.events() + events).map(key)) == Set(try c.events().map(key)) else { return false }
        // The planner's adjustments too (the scenario's forecast applies them).
        guard try base.adjustments().map(\.digestKey) == (try c.adjustments().map(\.digestKey)) else { return false }
        // History must match too: compare the digests without events.
        return try c.historyDigest() == (try base.historyDigest())
    }

    /// A forecast with the scenario's volume and handle-time changes applied to its values (after the planner's
    /// adjustments and the scenario's event sizes, `ForecastOverrides`); the number of intervals changed.
    static func apply(_ sc: Scenario, to f: inout ChannelForecast, zone: ZoneRules) -> Int {
        var changed = 0
        for i in f.rows.indices {
            let day = Civil.split(f.rows[i].local).day
            var v = 1.0, a = 1.0
            for c in sc.volume where c.applies(day: day, channel: f.channel) { v *= 1 + c.change }
            for c in sc.aht where c.applies(day: day, channel: f.channel) { a *= 1 + c.change }
            if v != 1 || a != 1 { changed += 1 }
            f.rows[i].mean *= v; f.rows[i].lo80 *= v; f.rows[i].hi80 *= v; f.rows[i].lo95 *= v; f.rows[i].hi95 *= v
            f.rows[i].aht *= a
            // The forecast without the planner's override gets the same what-if (statistical_mean stays comparable).
            if var st = f.rows[i].statistical {
                (st.mean, st.lo80, st.hi80, st.lo95, st.hi95) = (st.mean * v, st.lo80 * v, st.hi80 * v, st.lo95 * v, st.hi95 * v)
                f.rows[i].statistical = st
            }
        }
        // Peaks were listed at margin 0: scale each day's total and busiest interval, keep the days at least 10%
        // off their weekday's normal level, and name the scenario in the cause.
        f.peaks = f.peaks.compactMap { p in
            var p = p
            var v = 1.0
            for c in sc.volume where c.applies(day: p.day, channel: f.channel) { v *= 1 + c.change }
            p.total *= v; p.busiestMean *= v
            p.lo80 = p.lo80.map { $0 * v }; p.hi80 = p.hi80.map { $0 * v }
            p.change = p.total / p.normal - 1
            guard abs(p.change) >= 0.10 else { return nil }
            if v != 1 { p.cause = "scenario \(sc.name) \(String(format: "%+.0f%%", (v - 1) * 100))" + (p.cause.isEmpty ? "" : "; " + p.cause) }
            return p
        }
        f.model += "+" + sc.name
        return changed
    }
}
