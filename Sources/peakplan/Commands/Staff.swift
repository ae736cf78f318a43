import ArgumentParser
import Foundation
import Ingest
import PlanningCore
import Reports
import Staffing
import Store

struct Staff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff",
        abstract: "Agents required per channel and interval from the newest forecast (or a CSV): Erlang C/A, chat, email deadlines.",
        discussion: """
        Reads the newest stored forecast of each channel (`peakplan forecast`), or
        --input FILE.csv with header interval_start,channel,volume,aht_seconds
        (local wall-clock time, like history files; aht_seconds may be empty where
        [staffing] aht_seconds gives a fallback). Prints per channel and interval:
          interval_start,channel,volume,aht_seconds,agents,agents_fractional,
          scheduled,service_level,asa_seconds,occupancy,prob_abandon
        agents = productive (on-queue) whole agents, the fewest meeting every target;
        agents_fractional = the exact continuous requirement (for blended planning);
        scheduled = agents / ((1 - planned)(1 - unplanned shrinkage)), not rounded;
        metrics at `agents` as in `peakplan erlang` (service level = answered within
        answer_seconds over all arrivals; ASA over all arrivals; prob_abandon empty
        for Erlang C; service level, ASA and abandonment empty for deadline work).
        A summary per channel (agent-hours, peak) goes to stderr. The result is
        stored in the workspace for scheduling (--no-store to skip).

        Models by channel kind ([[channels]] kind; undeclared channels are voice):
          voice, social, app  Erlang C; Erlang A when a patience is configured
          chat                concurrency slots: up to max_concurrency chats per agent,
                              handle time x factor(j) at j chats (ChatStaffing)
          email, backoffice   deadline staffing: work finished within deadline_hours
                              business hours, backlog carried (DeadlineStaffing)
        Targets: [service] service_level, answer_seconds, max_occupancy, shrinkage
        ([[channels]] may override service_level and answer_seconds), plus:

          [staffing]                       (every key optional; also per channel)
          quantile = "mean"                mean | p90 | p97.5: forecast value to staff
                                           to (p90 = hi80, the upper bound of the 80%
                                           interval; p97.5 = hi95, of the 95% interval)
          patience_seconds = 120           mean patience: voice/social/app -> Erlang A
          max_asa_seconds = 30             mean wait over all arrivals
          max_abandon = 0.05               share abandoning (needs a patience)
          planned_shrinkage = 0.25         default: [service] shrinkage
          unplanned_shrinkage = 0.08       default 0; total = 1 - (1-p)(1-u)
          planned_shrinkage_by_weekday = { fri = 0.35 }
          unplanned_shrinkage_by_weekday = { sun = 0.12 }
          max_concurrency = 3              chat: most chats per agent
          concurrency_factors = [1.0, 1.3, 1.7]   handle-time factor at 1, 2, 3 chats
          deadline_hours = 24              email/backoffice: business hours to finish
          open_hours = "08:00-20:00"       business hours (default all day)
          open_days = ["sun","mon","tue","wed","thu"]  default: days not in weekend
          deadline_curve = "levelled"      levelled (least peak) or latest
          aht_seconds = 300                handle time where the forecast has none
          max_agents = 40                  seats per interval: caps the plan
          [[staffing.channels]]            per-channel overrides of the keys above
          name = "voice"                   plus model = "erlang_c" | "erlang_a" |
          model = "erlang_a"               "chat" | "deadline", and max_occupancy

        With max_agents, intervals needing more are planned at the cap and listed;
        Erlang C at or below its offered load has no steady state (service level 0,
        no finite ASA): those intervals are named and Erlang A is suggested.

        Example:
          peakplan forecast --workspace demo --aggregate 30 --horizon 14d
          peakplan staff --workspace demo --format csv --out requirements.csv
          peakplan staff --workspace demo --channel ps --quantile p90
          peakplan staff --workspace demo --input volumes.csv --no-store

        Exit codes: 65 bad data (the message names channel and interval, or file and
        line); 66 no stored forecast or unreadable input; 78 bad [staffing] or
        [service] setting (the message names line and key).
        """
    )

    @OptionGroup var ws: WorkspaceOptions
    @OptionGroup var output: OutputOptions
    @Option(name: .customLong("channel"), help: "Channels (repeatable; default: every channel with a stored forecast, or in the input).") var channels: [String] = []
    @Option(help: ArgumentHelp("Volume and handle time per interval instead of the stored forecast.", valueName: "file.csv")) var input: String?
    @Option(help: ArgumentHelp("Forecast value to staff to: mean, p90 or p97.5 (overrides [staffing] quantile).", valueName: "quantile"))
    var quantile: String?
    @Flag(help: "Do not store the requirements in the workspace.") var noStore = false

    func validate() throws {
        if let q = quantile, StaffingQuantile(rawValue: q) == nil {
            throw ValidationError("--quantile \(q): use one of mean, p90 (hi80, the forecast's 90th percentile), p97.5 (hi95)")
        }
    }

    /// One channel's demand with where each interval came from (for messages).
    struct ChannelDemand {
        var name: String
        var intervalMinutes: Int
        var demand: [IntervalDemand] = []
        /// Input file line of each interval (CSV mode).
        var lines: [Int] = []
        var forecastRunID: Int64?
    }

    func run() throws {
        do {
            let config = try ws.loadConfig()
            let zone = try config.zone()
            let staffing: StaffingConfig
            do { staffing = try StaffingConfig.parse(config) } catch {
                throw fail("\(ws.configPath): \(error.description)", code: Exit.config)
            }
            let store: Store? = (noStore && input != nil) ? nil : try ws.openStore()
            let chosenQuantile = quantile.flatMap(StaffingQuantile.init(rawValue:))
            var demands: [ChannelDemand]
            if let path = input {
                demands = try Self.readInput(path: path, zone: zone, config: config, store: store)
                if !channels.isEmpty {
                    for c in channels where !demands.contains(where: { $0.name == c }) {
                        throw fail("channel \(c) is not in \(path) (has: \(demands.map(\.name).joined(separator: ", ")))", code: Exit.usage)
                    }
                    demands = demands.filter { channels.contains($0.name) }
                }
                if let q = chosenQuantile, q != .mean {
                    Console.note("peakplan: note: --quantile \(q.text) ignored: \(path) gives one volume per interval, staffed as given")
                }
            } else {
                demands = try forecastDemand(store: store!, zone: zone, staffing: staffing, quantile: chosenQuantile)
            }

            var table = Table(title: output.format.format == .table ? "Agents required per interval (time zone \(config.timeZone))" : nil,
                              columns: ["interval_start", "channel", "volume", "aht_seconds", "agents", "agents_fractional", "scheduled",
                                        "service_level", "asa_seconds", "occupancy", "prob_abandon"])
            var runs: [Store.StaffingRun] = []
            for d in demands {
                let settings: ChannelStaffingSettings
                do { settings = try staffing.settings(for: d.name) } catch {
                    throw fail("\(ws.configPath): \(error.description)", code: Exit.config)
                }
                let q = input == nil ? (chosenQuantile ?? settings.quantile) : .mean
                let plan: RequirementPlan
                do { plan = try RequirementPlanner.plan(settings, intervalMinutes: d.intervalMinutes, demand: d.demand) } catch {
                    let at = Civil.formatLocal(d.demand[error.index].local)
                    let place = d.lines.isEmpty ? "" : "\(input!):\(d.lines[error.index]): "
                    switch error.kind {
                    case .data: throw fail("\(place)channel \(d.name), interval \(at): \(error.message)", code: Exit.dataError)
                    case .missingSetting(let key):
                        throw fail("\(ws.configPath): key \(key): channel \(d.name), interval \(at): \(error.message)", code: Exit.config)
                    }
                }
                for (k, r) in plan.rows.enumerated() {
                    let iv = d.demand[k]
                    table.rows.append([
                        .text(Civil.formatLocal(iv.local)), .text(d.name), .number(r.volume, decimals: 2),
                        r.ahtSeconds.isFinite ? .number(r.ahtSeconds, decimals: 1) : .null,
                        .int(r.agents), .number(r.agentsFractional, decimals: 3), .number(r.scheduled, decimals: 2),
                        Self.cell(r.serviceLevel, 4), Self.cell(r.asaSeconds, 1), Self.cell(r.occupancy, 4), Self.cell(r.probAbandon, 4),
                    ])
                }
                report(d, settings: settings, quantile: q, plan: plan)
                runs.append(Store.StaffingRun(
                    channel: d.name, kind: settings.kind.rawValue, model: settings.model.rawValue, quantile: q.text,
                    source: input ?? "forecast", forecastRunID: d.forecastRunID, intervalMinutes: d.intervalMinutes,
                    targets: settings.summary,
                    rows: plan.rows.enumerated().map { k, r in
                        Store.RequirementRow(ts: d.demand[k].utc, volume: r.volume, aht: r.ahtSeconds, agents: r.agents,
                                             agentsFractional: r.agentsFractional, scheduled: r.scheduled, needed: r.needed,
                                             serviceLevel: r.serviceLevel ?? .nan, asaSeconds: r.asaSeconds ?? .nan,
                                             occupancy: r.occupancy ?? .nan, probAbandon: r.probAbandon ?? .nan)
                    }))
            }
            // Write the output first: a bad --out (exit 73) stores nothing.
            try output.emit(table.render(output.format.format))
            if !noStore, let store {
                try store.saveStaffing(runs)
            }
        } catch { throw failure(error) }
    }

    static func cell(_ v: Double?, _ decimals: Int) -> Cell {
        guard let v, v.isFinite else { return .null }
        return .number(v, decimals: decimals)
    }

    /// The newest forecast of each channel as demand at the chosen quantile.
    func forecastDemand(store: Store, zone: ZoneRules, staffing: StaffingConfig, quantile: StaffingQuantile?) throws -> [ChannelDemand] {
        let names = channels.isEmpty ? try store.channels().map(\.name) : channels
        var out: [ChannelDemand] = []
        for name in names {
            guard let run = try store.latestForecast(channel: name) else {
                if channels.isEmpty { continue }
                throw fail("no stored forecast for channel \(name): run `peakplan forecast --workspace \(ws.workspace) --channel \(name)` first, or give --input FILE.csv", code: Exit.noInput)
            }
            let settings: ChannelStaffingSettings
            do { settings = try staffing.settings(for: name) } catch {
                throw fail("\(ws.configPath): \(error.description)", code: Exit.config)
            }
            if settings.fallbackAHTSeconds == nil && channels.isEmpty && !run.rows.contains(where: { !$0.aht.isNaN }) {
                Console.note("peakplan: warning: \(name): skipped: its forecast has no handle time (the history has no aht_seconds); set aht_seconds for it in [staffing] or [[staffing.channels]]")
                continue
            }
            let q = quantile ?? settings.quantile
            var d = ChannelDemand(name: name, intervalMinutes: run.intervalMinutes, forecastRunID: run.id)
            for r in run.rows {
                let local = zone.local(fromUTC: r.ts)
                let v: Double
                do { v = try q.arrivals(mean: r.mean, lo80: r.lo80, hi80: r.hi80, lo95: r.lo95, hi95: r.hi95) } catch {
                    throw fail("channel \(name), interval \(Civil.formatLocal(local)): stored forecast (run \(run.id)): \(error)", code: Exit.dataError)
                }
                d.demand.append(IntervalDemand(utc: r.ts, local: local, volume: v, ahtSeconds: r.aht))
            }
            out.append(d)
        }
        if out.isEmpty {
            throw fail("no stored forecast in \(ws.workspace): run `peakplan forecast --workspace \(ws.workspace)` first, or give --input FILE.csv", code: Exit.noInput)
        }
        return out
    }

    /// The per-channel summary on stderr, and warnings for capped and overloaded intervals.
    func report(_ d: ChannelDemand, settings s: ChannelStaffingSettings, quantile q: StaffingQuantile, plan: RequirementPlan) {
        let hours = plan.agentHours(intervalMinutes: d.intervalMinutes)
        func f1(_ x: Double) -> String { let t = Int((x * 10).rounded()); return grouped(t / 10) + ".\(t % 10)" }
        func at(_ k: Int) -> String { String(Civil.formatLocal(d.demand[k].local).prefix(16)) }
        var line = "peakplan: staff: \(d.name): \(s.model.rawValue), \(input == nil ? q.text + " forecast" : "input volumes"), "
        line += "\(grouped(plan.rows.count)) \(d.intervalMinutes)-minute intervals"
        if !d.demand.isEmpty { line += " from \(at(0))" }
        line += ": \(f1(hours.whole)) productive agent-hours (continuous \(f1(hours.fractional))), \(f1(hours.scheduled)) scheduled"
        if let peak = plan.rows.indices.max(by: { plan.rows[$0].agents < plan.rows[$1].agents }), plan.rows[peak].agents > 0 {
            line += "; peak \(plan.rows[peak].agents) agent\(plan.rows[peak].agents == 1 ? "" : "s") at \(at(peak))"
        }
        Console.note(line)
        if !plan.capped.isEmpty, let cap = s.maxAgents {
            let worst = plan.capped.max { plan.rows[$0].needed < plan.rows[$1].needed }!
            Console.note("peakplan: warning: \(d.name): \(grouped(plan.capped.count)) intervals need more than max_agents = \(cap) (up to \(plan.rows[worst].needed) at \(at(worst))); planned at \(cap) there: \(Self.list(plan.capped.map(at)))")
        }
        if !plan.unstable.isEmpty {
            Console.note("peakplan: warning: \(d.name): overload: Erlang C has no steady state in \(grouped(plan.unstable.count)) intervals (\(Self.list(plan.unstable.map(at)))): at \(s.maxAgents ?? 0) agents the offered load is at or above the agents, so waits grow without bound while it lasts (service level 0, no finite ASA). Callers hang up in reality: Erlang A models that; set patience_seconds for this channel in [staffing] or [[staffing.channels]]")
        }
        if !plan.missedDeadlines.isEmpty {
            let late = plan.missedDeadlines.reduce(0) { $0 + $1.amount } * Double(d.intervalMinutes) / 60
            Console.note("peakplan: warning: \(d.name): with max_agents = \(s.maxAgents ?? 0), \(grouped(plan.missedDeadlines.count)) deadlines are missed (\(f1(late)) agent-hours of work late; first at \(at(plan.missedDeadlines[0].interval)))")
        }
        if s.model == .deadline && plan.carriedOut > 1e-9 {
            Console.note("peakplan: note: \(d.name): \(f1(plan.carriedOut * Double(d.intervalMinutes) / 60)) agent-hours of work are due after the last interval and left for later")
        }
    }

    /// The first few items and a count of the rest.
    static func list(_ items: [String]) -> String {
        items.count <= 6 ? items.joined(separator: ", ") : items.prefix(6).joined(separator: ", ") + " and \(grouped(items.count - 6)) more"
    }

    // MARK: --input CSV

    /// Reads `interval_start,channel,volume[,aht_seconds]` (local time) into per-channel demand; every problem is an
    /// `InputError` naming file, line, column and value.
    static func readInput(path: String, zone: ZoneRules, config: WorkspaceConfig, store: Store?) throws -> [ChannelDemand] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(kind: .unreadable, file: path, message: "cannot open or read the file", fix: "check the path and permissions")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(file: path, message: "not UTF-8 text", fix: "save the file as UTF-8 CSV")
        }
        // The shared CSV reader: LF or CRLF, a UTF-8 BOM, RFC 4180 quotes.
        let lines = CSVText.lines(text).map(\.text)
        guard let headerLine = lines.first, !headerLine.isEmpty else {
            throw InputError(file: path, line: 1, message: "empty file", fix: "start with the header interval_start,channel,volume,aht_seconds")
        }
        guard let header = splitCSV(headerLine) else { throw InputError(file: path, line: 1, message: "malformed quotes in the header") }
        let names = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        func col(_ n: String, required: Bool) throws -> Int? {
            let ix = names.indices.filter { names[$0] == n }
            if ix.count > 1 { throw InputError(file: path, line: 1, column: n, message: "column named twice") }
            if ix.isEmpty && required {
                throw InputError(file: path, line: 1, column: n, message: "missing required column", fix: "the header is interval_start,channel,volume,aht_seconds")
            }
            return ix.first
        }
        let cTime = try col("interval_start", required: true)!, cChan = try col("channel", required: true)!
        let cVol = try col("volume", required: true)!, cAHT = try col("aht_seconds", required: false)
        var byChannel: [String: ChannelDemand] = [:]
        var order: [String] = []
        var seenLocal: [String: Set<Int64>] = [:]
        for (ix, raw) in lines.enumerated().dropFirst() {
            let lineNo = ix + 1
            if raw.allSatisfy({ $0 == " " }) { continue }
            guard let f = splitCSV(raw) else { throw InputError(file: path, line: lineNo, message: "malformed quotes", fix: "quote fields RFC 4180 style") }
            guard f.count >= names.count else {
                throw InputError(file: path, line: lineNo, message: "has \(f.count) fields, the header has \(names.count)")
            }
            let stamp = f[cTime].trimmingCharacters(in: .whitespaces)
            guard case .success(let ts) = Civil.parseTimestamp(stamp) else {
                throw InputError(file: path, line: lineNo, column: "interval_start", value: stamp, message: "not an ISO 8601 local time",
                                 fix: "write the interval start as 2026-03-01T08:30:00 in the workspace time zone")
            }
            let channel = f[cChan].trimmingCharacters(in: .whitespaces)
            guard !channel.isEmpty else { throw InputError(file: path, line: lineNo, column: "channel", value: "", message: "empty channel name") }
            if let why = InputRules.problem(withName: channel, use: .identifier) {
                throw InputError(file: path, line: lineNo, column: "channel", value: channel, message: "channel name \(why)", fix: "rename the channel: " + InputRules.nameFix)
            }
            func number(_ c: Int, _ name: String, empty: Double?) throws -> Double {
                let s = f[c].trimmingCharacters(in: .whitespaces)
                if s.isEmpty, let e = empty { return e }
                let maxValue = name == "volume" ? InputRules.maxVolume : InputRules.maxAHTSeconds
                guard let v = NumberParser.parse(s), v.isFinite, v >= 0, v <= maxValue else {
                    throw InputError(file: path, line: lineNo, column: name, value: s, message: "must be a finite decimal number from 0 to \(Int(maxValue))",
                                     fix: name == "volume" ? "give the contacts offered in the interval" : "give the mean handle time in seconds, or leave it empty")
                }
                return v
            }
            let volume = try number(cVol, "volume", empty: nil)
            let aht = try cAHT.map { try number($0, "aht_seconds", empty: .nan) } ?? .nan
            // Resolve local time to UTC: an explicit offset must match; a repeated (fall-back) time is its first
            // occurrence the first time a channel has it and its second occurrence after that.
            var utc: Int64
            if let off = ts.explicitOffset {
                utc = ts.localSeconds - Int64(off)
                guard zone.local(fromUTC: utc) == ts.localSeconds else {
                    throw InputError(file: path, line: lineNo, column: "interval_start", value: stamp, message: "the offset does not match the workspace time zone \(zone.name)")
                }
            } else {
                switch zone.resolve(local: ts.localSeconds) {
                case .unique(let u): utc = u
                case .ambiguous(let a, let b): utc = seenLocal[channel, default: []].contains(ts.localSeconds) ? b : a
                case .gap:
                    throw InputError(file: path, line: lineNo, column: "interval_start", value: stamp,
                                     message: "this wall time does not exist in \(zone.name) (DST gap)", fix: "remove the row")
                }
            }
            seenLocal[channel, default: []].insert(ts.localSeconds)
            if byChannel[channel] == nil { byChannel[channel] = ChannelDemand(name: channel, intervalMinutes: 0); order.append(channel) }
            byChannel[channel]!.demand.append(IntervalDemand(utc: utc, local: ts.localSeconds, volume: volume, ahtSeconds: aht))
            byChannel[channel]!.lines.append(lineNo)
        }
        guard !order.isEmpty else {
            throw InputError(file: path, line: 2, message: "no data rows", fix: "add one row per channel and interval")
        }
        let stored = Dictionary((try store?.channels() ?? []).map { ($0.name, $0.intervalMinutes) }, uniquingKeysWith: { a, _ in a })
        var out: [ChannelDemand] = []
        for name in order {
            var d = byChannel[name]!
            let idx = d.demand.indices.sorted { d.demand[$0].utc < d.demand[$1].utc }
            d.demand = idx.map { d.demand[$0] }
            d.lines = idx.map { d.lines[$0] }
            var gaps: [Int64: Int] = [:]
            for k in 1..<max(1, d.demand.count) {
                let g = d.demand[k].utc - d.demand[k - 1].utc
                if g == 0 {
                    throw InputError(file: path, line: d.lines[k], column: "interval_start", value: Civil.formatLocal(d.demand[k].local),
                                     message: "channel \(name) has this interval twice (also line \(d.lines[k - 1]))", fix: "keep one row per channel and interval")
                }
                gaps[g, default: 0] += 1
            }
            let detected = gaps.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }.map { Int($0.key / 60) }
            let iv = config.channel(named: name)?.intervalMinutes ?? stored[name] ?? detected ?? config.intervalMinutes
            guard IntervalLength.isAllowed(iv) else {
                throw InputError(file: path, line: d.lines[min(1, d.lines.count - 1)], column: "interval_start",
                                 message: "channel \(name): intervals are \(iv) minutes apart; use one of \(IntervalLength.allowedText) minutes")
            }
            for k in d.demand.indices where Civil.split(d.demand[k].local).secondOfDay % Int64(iv * 60) != 0 {
                throw InputError(file: path, line: d.lines[k], column: "interval_start", value: Civil.formatLocal(d.demand[k].local),
                                 message: "channel \(name): not on the \(iv)-minute grid counted from midnight")
            }
            d.intervalMinutes = iv
            out.append(d)
        }
        return out
    }

    /// Splits one CSV line by the shared CSV reader (RFC 4180 quotes within the line); nil for malformed quotes.
    static func splitCSV<S: StringProtocol>(_ line: S) -> [String]? { CSVText.fields(String(line)) }
}
