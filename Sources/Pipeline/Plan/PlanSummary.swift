import Foundation
import PlanningCore
import Reports
import Store

/// The plan summary printed at the end and stored with the plan.
enum PlanSummary {
    static func text(_ s: PlanState) throws -> String {
        let shown = s.planDir
        var o =
            "PeakPlan plan summary (workspace \(s.workspace.directory), horizon \(s.horizon) from \(Civil.formatDate(day: s.startDay))\(s.scenario.map { ", scenario \($0.name)" } ?? ""))\n\n"
        o += channelTable(s).renderText()
        for l in s.leftOut { o += "Left out: \(l.channel): \(l.reason)\n" }
        let ran = Set(s.timings.map(\.name))
        if let solved = s.schedule { o += scheduleTable(solved.record()).renderText() }
        if ran.contains("route"), let table = s.routing {
            let fallback = table.rows.filter(\.fallback).count
            o +=
                "Routing table: \(table.rows.count - fallback) weights\(fallback > 0 ? " and \(fallback) fallback rows" : "") from the \(s.rosterDocument != nil ? "roster" : "schedule"), written to \(shown)/routing.csv\n"
        }
        if ran.contains("roster"), let c = s.roster {
            let rr = c.record()
            o +=
                "\nRoster: \(rr.agents) agents, \(rr.weeks) week\(rr.weeks == 1 ? "" : "s") from \(Civil.formatDate(day: rr.startDay)): \(rr.shifts) shifts, "
                + "\(String(format: "%.1f", rr.paidHours)) paid hours, coverage shortfall \(String(format: "%.2f", rr.shortfallPct))%, \(rr.hardViolations) hard violations, "
                + "fairness spread \(rr.fairnessSpread), preferences met \(String(format: "%.1f", rr.preferencesMetPct))% (\(shown)/roster.csv, roster.html)\n"
        }
        if let f = s.floor, let r = s.roster { o += floorText(f, shown: shown, roster: r) }
        if let sim = s.simulation { o += simulationText(sim, shown: shown) }
        if let c = s.correction { o += c.summaryText(shown: shown) }
        var st = Table(title: "\nStages", columns: ["stage", "seconds", "note"])
        for t in s.timings { st.rows.append([.text(t.name), .number(t.seconds, decimals: 2), .text(t.note)]) }
        o += st.renderText()
        let extra =
            (ran.contains("schedule") ? ", schedule.csv, coverage.csv, schedule-explain.txt, routing.csv" : "")
            + (ran.contains("roster") ? ", roster.csv, roster.html, floor.csv, overtime.csv, cross-training.csv, connect-routing-profiles.json, agent-skills.csv" : "")
            + (ran.contains("simulate") ? ", simulation.csv, simulation-policies.csv" : "")
            + (ran.contains("correct") ? ", correction.csv, corrected-roster.csv, correction-overtime.csv" : "")
        o += "\nOutputs: \(shown)/ (forecast-*.csv, peaks-*.csv, backtest-*.csv, staffing.csv\(extra), report/index.html)\n"
        return o
    }

    /// The floor check: the shortfall after shrinkage and the largest gaps.
    static func floorText(_ f: FloorCheck, shown: String, roster: SolvedRoster) -> String {
        var o = "Floor: \(f.summaryLine) (\(shown)/floor.csv)\n"
        // The gap as headcount, in full-time equivalents of the longest weekly contract (40 h without contracts).
        let week = roster.problem.contracts.map(\.maxHoursWeek).max() ?? 40
        let h = f.headcount(hoursPerWeek: week, weeks: roster.problem.weeks)
        if h.fte >= 0.05 {
            o +=
                String(format: "Headcount: closing the gap takes about %.1f paid hours a week: %.1f FTE at %g h/week to hire or borrow", h.paidHoursPerWeek, h.fte, week)
                + " (" + h.byChannel.map { "\($0.channel) \(String(format: "%.1f", $0.fte))" }.joined(separator: ", ") + "), or that many overtime hours\n"
        }
        let gaps = f.pooledGaps.prefix(5)
        if !gaps.isEmpty {
            var t = Table(
                title: "Largest gaps on the floor (agents, pooled over channels that share agents)", columns: ["interval", "channels", "required", "on the floor", "short"])
            for g in gaps {
                t.rows.append([
                    .text(Civil.formatLocal(g.localStart)), .text(g.pool.joined(separator: "+")), .number(g.required, decimals: 2),
                    .number(g.onFloor, decimals: 2), .number(g.short, decimals: 2)
                ])
            }
            o += t.renderText()
        }
        return o
    }

    /// The simulated service level per queue against its target and planned level, and the worst misses.
    static func simulationText(_ sim: PlanSimulation, shown: String) -> String {
        var o = "\nSimulation: \(sim.summaryLine) (\(shown)/simulation.csv)\n"
        let t = sim.queueTable()
        o += t.renderText()
        if let p = sim.policyTable() { o += "\n" + p.renderText() + "(\(shown)/simulation-policies.csv)\n" }
        return o
    }

    /// Forecast, biggest peak and requirement per channel.
    static func channelTable(_ s: PlanState) -> Table {
        var t = Table(
            title: "Forecast and requirement per channel",
            columns: ["channel", "forecast contacts", "peak day", "peak cause", "required agent-hours", "scheduled agent-hours", "peak agents"])
        for ch in s.channels {
            let f = s.forecasts.first { $0.channel == ch.name }
            let total = f?.rows.reduce(0) { $0 + $1.mean } ?? 0
            let top = f?.peaks.filter(\.isPeak).max { $0.change < $1.change }
            let staffing = s.staffing.first { $0.channel == ch.name }
            let hours = Double(staffing?.intervalMinutes ?? 30) / 60
            t.rows.append([
                .text(ch.name), .number(total, decimals: 0),
                .text(top.map { "\(Civil.formatDate(day: $0.day)) (+\(String(format: "%.1f", $0.change * 100))%)" } ?? "none over 10%"),
                .text(top.map { String($0.cause.prefix(60)) } ?? ""),
                staffing.map { .number($0.rows.reduce(0) { $0 + Double($1.agents) } * hours, decimals: 1) } ?? .text("not staffed"),
                staffing.map { .number($0.rows.reduce(0) { $0 + $1.scheduled } * hours, decimals: 1) } ?? .null,
                staffing.map { .int($0.rows.map(\.agents).max() ?? 0) } ?? .null
            ])
        }
        return t
    }

    /// Required, planned and short agent-hours per queue (queues in name order).
    static func scheduleTable(_ sr: Store.ScheduleRun) -> Table {
        let h = Double(sr.intervalMinutes) / 60
        var q = Table(
            title:
                "\nSchedule: \(sr.status)\(sr.soft ? " with priced understaffing" : ""), cost \(String(format: "%.2f", sr.objective)), LP lower bound \(String(format: "%.2f", sr.lowerBound)), gap to the bound \(String(format: "%.3f", sr.gap * 100))%, \(sr.shifts) shifts, \(sr.shortIntervals) short intervals",
            columns: ["queue", "required agent-hours", "planned agent-hours", "over %", "short agent-hours", "short intervals"])
        var byQueue: [String: (Double, Double, Double, Int)] = [:]
        for c in sr.coverage.sorted(by: { ($0.queue, $0.period) < ($1.queue, $1.period) }) {
            var e = byQueue[c.queue] ?? (0, 0, 0, 0)
            e.0 += c.required; e.1 += c.planned
            if c.required - c.planned > 1e-6 { e.2 += c.required - c.planned; e.3 += 1 }
            byQueue[c.queue] = e
        }
        for name in byQueue.keys.sorted() {
            let e = byQueue[name]!
            q.rows.append([
                .text(name), .number(e.0 * h, decimals: 1), .number(e.1 * h, decimals: 1),
                e.0 > 0 ? .number((e.1 / e.0 - 1) * 100, decimals: 1) : .null, .number(e.2 * h, decimals: 1), .int(e.3)
            ])
        }
        return q
    }
}
