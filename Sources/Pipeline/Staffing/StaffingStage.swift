import Foundation
import PlanningCore
import Reports
import Staffing
import Store

/// What to staff.
public struct StaffingRequest: Sendable {
    public var workspace: Workspace
    /// Channels (empty: every channel with a stored forecast, or in the input).
    public var channels: [String] = []
    /// Volumes CSV instead of the stored forecasts.
    public var inputFile: String?
    /// Forecast value to staff to (overrides [staffing] quantile).
    public var quantile: StaffingQuantile?
    /// Whether the store is needed (the stored forecasts, or channel intervals for an input file).
    public var useStore = true

    public init(workspace: Workspace) { self.workspace = workspace }
}

/// One channel's requirement.
public struct ChannelStaffing: Sendable {
    public var demand: StaffingInputs.ChannelDemand
    public var settings: ChannelStaffingSettings
    public var quantile: StaffingQuantile
    public var plan: RequirementPlan
    /// The store record.
    public var run: Store.StaffingRun
}

/// The staffing stage's result (not stored yet: `save(into:)` once the caller's output is written).
public struct StaffingOutcome: Sendable {
    public var channels: [ChannelStaffing]
    public var timeZone: String

    public func table(title: Bool) -> Table {
        var table = Table(
            title: title ? "Agents required per interval (time zone \(timeZone))" : nil,
            columns: [
                "interval_start", "channel", "volume", "aht_seconds", "agents", "agents_fractional", "scheduled",
                "service_level", "asa_seconds", "occupancy", "prob_abandon"
            ])
        for c in channels {
            for (k, r) in c.plan.rows.enumerated() {
                let iv = c.demand.demand[k]
                table.rows.append([
                    .text(Civil.formatLocal(iv.local)), .text(c.demand.name), .number(r.volume, decimals: 2),
                    r.ahtSeconds.isFinite ? .number(r.ahtSeconds, decimals: 1) : .null,
                    .int(r.agents), .number(r.agentsFractional, decimals: 3), .number(r.scheduled, decimals: 2),
                    StaffingInputs.cell(r.serviceLevel, 4), StaffingInputs.cell(r.asaSeconds, 1), StaffingInputs.cell(r.occupancy, 4),
                    StaffingInputs.cell(r.probAbandon, 4)
                ])
            }
        }
        return table
    }

    /// Stores every channel's run in one transaction; the returned runs carry their ids.
    public func save(into store: Store) throws -> [Store.StaffingRun] {
        let ids = try store.saveStaffing(channels.map(\.run))
        return zip(channels, ids).map { c, id in
            var r = c.run; r.id = id; return r
        }
    }
}

public enum StaffingStage {
    public static func run(_ req: StaffingRequest) throws -> StaffingOutcome {
        let ws = req.workspace
        let config = try ws.loadConfig()
        let zone = try config.zone()
        let staffing: StaffingConfig
        do { staffing = try StaffingConfig.parse(config) } catch {
            throw PlanError("\(ws.configPath): \(error.description)", .config)
        }
        let store: Store? = req.useStore ? try ws.openStore() : nil
        var demands: [StaffingInputs.ChannelDemand]
        if let path = req.inputFile {
            demands = try StaffingInputs.readInput(path: path, zone: zone, config: config, store: store)
            if !req.channels.isEmpty {
                for c in req.channels where !demands.contains(where: { $0.name == c }) {
                    throw PlanError("channel \(c) is not in \(path) (has: \(demands.map(\.name).joined(separator: ", ")))", .usage)
                }
                demands = demands.filter { req.channels.contains($0.name) }
            }
            if let q = req.quantile, q != .mean {
                Diagnostics.note("--quantile \(q.text) ignored: \(path) gives one volume per interval, staffed as given")
            }
        } else {
            guard let store else { throw PlanError("staffing from the stored forecasts needs the workspace store", .usage) }
            demands = try forecastDemand(req, store: store, zone: zone, staffing: staffing)
        }
        var out: [ChannelStaffing] = []
        for d in demands {
            let settings: ChannelStaffingSettings
            do { settings = try staffing.settings(for: d.name) } catch {
                throw PlanError("\(ws.configPath): \(error.description)", .config)
            }
            let q = req.inputFile == nil ? (req.quantile ?? settings.quantile) : .mean
            let plan: RequirementPlan
            do { plan = try RequirementPlanner.plan(settings, intervalMinutes: d.intervalMinutes, demand: d.demand) } catch {
                let at = Civil.formatLocal(d.demand[error.index].local)
                let place = d.lines.isEmpty ? "" : "\(req.inputFile!):\(d.lines[error.index]): "
                switch error.kind {
                case .data: throw PlanError("\(place)channel \(d.name), interval \(at): \(error.message)", .dataError)
                case .missingSetting(let key):
                    throw PlanError("\(ws.configPath): key \(key): channel \(d.name), interval \(at): \(error.message)", .config)
                }
            }
            report(d, settings: settings, quantile: q, plan: plan, fromInput: req.inputFile != nil)
            let run = Store.StaffingRun(
                channel: d.name, kind: settings.kind.rawValue, model: settings.model.rawValue, quantile: q.text,
                source: req.inputFile ?? "forecast", forecastRunID: d.forecastRunID, intervalMinutes: d.intervalMinutes,
                targets: settings.summary,
                rows: plan.rows.enumerated().map { k, r in
                    Store.RequirementRow(
                        ts: d.demand[k].utc, volume: r.volume, aht: r.ahtSeconds, agents: r.agents,
                        agentsFractional: r.agentsFractional, scheduled: r.scheduled, needed: r.needed,
                        serviceLevel: r.serviceLevel ?? .nan, asaSeconds: r.asaSeconds ?? .nan,
                        occupancy: r.occupancy ?? .nan, probAbandon: r.probAbandon ?? .nan)
                })
            out.append(ChannelStaffing(demand: d, settings: settings, quantile: q, plan: plan, run: run))
        }
        return StaffingOutcome(channels: out, timeZone: config.timeZone)
    }

    /// The newest forecast of each channel as demand at the chosen quantile.
    static func forecastDemand(_ req: StaffingRequest, store: Store, zone: ZoneRules, staffing: StaffingConfig) throws -> [StaffingInputs.ChannelDemand] {
        let channels = req.channels, quantile = req.quantile, ws = req.workspace
        let names = channels.isEmpty ? try store.channels().map(\.name) : channels
        var out: [StaffingInputs.ChannelDemand] = []
        for name in names {
            guard let run = try store.latestForecast(channel: name) else {
                if channels.isEmpty { continue }
                throw PlanError(
                    "no stored forecast for channel \(name): run `peakplan forecast --workspace \(ws.directory) --channel \(name)` first, or give --input FILE.csv", .noInput)
            }
            let settings: ChannelStaffingSettings
            do { settings = try staffing.settings(for: name) } catch {
                throw PlanError("\(ws.configPath): \(error.description)", .config)
            }
            if settings.fallbackAHTSeconds == nil && channels.isEmpty && !run.rows.contains(where: { !$0.aht.isNaN }) {
                Diagnostics.warning(
                    "\(name): skipped: its forecast has no handle time (the history has no aht_seconds); set aht_seconds for it in [staffing] or [[staffing.channels]]")
                continue
            }
            let q = quantile ?? settings.quantile
            var d = StaffingInputs.ChannelDemand(name: name, intervalMinutes: run.intervalMinutes, forecastRunID: run.id)
            for r in run.rows {
                let local = zone.local(fromUTC: r.ts)
                let v: Double
                do { v = try q.arrivals(mean: r.mean, lo80: r.lo80, hi80: r.hi80, lo95: r.lo95, hi95: r.hi95) } catch {
                    throw PlanError("channel \(name), interval \(Civil.formatLocal(local)): stored forecast (run \(run.id)): \(error)", .dataError)
                }
                d.demand.append(IntervalDemand(utc: r.ts, local: local, volume: v, ahtSeconds: r.aht))
            }
            out.append(d)
        }
        if out.isEmpty {
            throw PlanError("no stored forecast in \(ws.directory): run `peakplan forecast --workspace \(ws.directory)` first, or give --input FILE.csv", .noInput)
        }
        return out
    }

    /// The per-channel summary on stderr, and warnings for capped and overloaded intervals.
    static func report(_ d: StaffingInputs.ChannelDemand, settings s: ChannelStaffingSettings, quantile q: StaffingQuantile, plan: RequirementPlan, fromInput: Bool) {
        let hours = plan.agentHours(intervalMinutes: d.intervalMinutes)
        func f1(_ x: Double) -> String { let t = Int((x * 10).rounded()); return grouped(t / 10) + ".\(t % 10)" }
        func at(_ k: Int) -> String { String(Civil.formatLocal(d.demand[k].local).prefix(16)) }
        var line = "peakplan: staff: \(d.name): \(s.model.rawValue), \(!fromInput ? q.text + " forecast" : "input volumes"), "
        line += "\(grouped(plan.rows.count)) \(d.intervalMinutes)-minute intervals"
        if !d.demand.isEmpty { line += " from \(at(0))" }
        line += ": \(f1(hours.whole)) productive agent-hours (continuous \(f1(hours.fractional))), \(f1(hours.scheduled)) scheduled"
        if let peak = plan.rows.indices.max(by: { plan.rows[$0].agents < plan.rows[$1].agents }), plan.rows[peak].agents > 0 {
            line += "; peak \(plan.rows[peak].agents) agent\(plan.rows[peak].agents == 1 ? "" : "s") at \(at(peak))"
        }
        Diagnostics.info(line)
        if !plan.capped.isEmpty, let cap = s.maxAgents {
            let worst = plan.capped.max { plan.rows[$0].needed < plan.rows[$1].needed }!
            Diagnostics.warning(
                "\(d.name): \(grouped(plan.capped.count)) intervals need more than max_agents = \(cap) (up to \(plan.rows[worst].needed) at \(at(worst))); planned at \(cap) there: \(StaffingInputs.list(plan.capped.map(at)))"
            )
        }
        if !plan.unstable.isEmpty {
            Diagnostics.warning(
                "\(d.name): overload: Erlang C has no steady state in \(grouped(plan.unstable.count)) intervals (\(StaffingInputs.list(plan.unstable.map(at)))): at \(s.maxAgents ?? 0) agents the offered load is at or above the agents, so waits grow without bound while it lasts (service level 0, no finite ASA). Callers hang up in reality: Erlang A models that; set patience_seconds for this channel in [staffing] or [[staffing.channels]]"
            )
        }
        if !plan.missedDeadlines.isEmpty {
            let late = plan.missedDeadlines.reduce(0) { $0 + $1.amount } * Double(d.intervalMinutes) / 60
            Diagnostics.warning(
                "\(d.name): with max_agents = \(s.maxAgents ?? 0), \(grouped(plan.missedDeadlines.count)) deadlines are missed (\(f1(late)) agent-hours of work late; first at \(at(plan.missedDeadlines[0].interval)))"
            )
        }
        if s.model == .deadline && plan.carriedOut > 1e-9 {
            Diagnostics.note("\(d.name): \(f1(plan.carriedOut * Double(d.intervalMinutes) / 60)) agent-hours of work are due after the last interval and left for later")
        }
    }
}
