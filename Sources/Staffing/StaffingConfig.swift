import PlanningCore

/// Which value of an interval's forecast to staff to.
///
/// The stored forecast has a mean and central 80% and 95% prediction intervals, so its upper bounds are the
/// 90th (`hi80`) and 97.5th (`hi95`) percentiles of arrivals. Staffing to `p90` meets the targets in an
/// interval whenever arrivals come in at or below the forecast's 90th percentile (every model here is
/// monotone in load); `mean` is the classical choice and the cheapest.
public enum StaffingQuantile: String, CaseIterable, Sendable, Equatable {
    case mean = "mean"
    case p90 = "p90"
    case p97_5 = "p97.5"

    /// Config and command-line spelling: `mean`, `p90`, `p97.5`.
    public var text: String { rawValue }

    /// What the choice reads from the forecast, for help texts and messages.
    public var meaning: String {
        switch self {
        case .mean: return "forecast mean"
        case .p90: return "90th percentile (upper bound of the 80% interval, hi80)"
        case .p97_5: return "97.5th percentile (upper bound of the 95% interval, hi95)"
        }
    }

    public static var allowedText: String { allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ") }

    /// Arrivals to staff to from one interval's forecast. The bounds are checked through `QuantileForecast`
    /// (levels 0.025, 0.1, 0.9, 0.975): they must be finite, >= 0 and not cross; the mean must be finite and >= 0.
    /// - Throws: `StaffingError.invalidTable` / `.invalidInput` naming what is wrong.
    public func arrivals(mean: Double, lo80: Double, hi80: Double, lo95: Double, hi95: Double) throws -> Double {
        guard mean.isFinite, mean >= 0 else {
            throw StaffingError.invalidInput(field: "forecast mean", value: mean, requirement: "a finite number >= 0")
        }
        if self == .mean { return mean }
        let q = try QuantileForecast(levels: [0.025, 0.1, 0.9, 0.975], arrivals: [lo95, lo80, hi80, hi95])
        return try q.arrivals(at: self == .p90 ? 0.9 : 0.975)
    }
}

/// How a channel's requirement is computed.
public enum ChannelStaffingModel: String, CaseIterable, Sendable, Equatable {
    /// Erlang C: callers wait as long as it takes.
    case erlangC = "erlang_c"
    /// Erlang A: waiting callers hang up after an exponential patience (`patience_seconds`).
    case erlangA = "erlang_a"
    /// Chat concurrency (`ChatStaffing`): an agent holds up to `max_concurrency` chats.
    case chat = "chat"
    /// Deadline staffing (`DeadlineStaffing`): work finished within `deadline_hours` business hours.
    case deadline = "deadline"

    public static var allowedText: String { allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ") }

    /// The default for a channel kind (before a patience turns Erlang C into Erlang A).
    public static func `default`(for kind: ChannelKind) -> ChannelStaffingModel {
        switch kind {
        case .voice, .social, .app: return .erlangC
        case .chat: return .chat
        case .email, .backoffice: return .deadline
        }
    }
}

/// Which of the minimal deadline curves to staff (see `DeadlineStaffing`).
public enum DeadlineCurve: String, CaseIterable, Sendable, Equatable {
    /// The flattest curve (least peak), staffing ahead of deadlines: `DeadlineStaffing.levelled`.
    case levelled
    /// As late as possible (least cumulative staffing at every point): `DeadlineStaffing.latest`.
    case latest
}

/// Everything needed to staff one channel, resolved from `[service]`, `[[channels]]` and `[staffing]`.
public struct ChannelStaffingSettings: Sendable, Equatable {
    public var channel: String
    public var kind: ChannelKind
    public var model: ChannelStaffingModel
    /// Service level, T, ASA, abandonment and occupancy targets (deadline channels use none of them).
    public var targets: StaffingTargets
    /// Mean patience in seconds (Erlang A, or chat with abandonment); nil = infinitely patient.
    public var patienceSeconds: Double?
    /// Chat: handle-time factor when an agent holds 1, 2, ... k chats.
    public var concurrencyFactors: [Double]
    /// Deadline channels: business hours within which work must be finished.
    public var deadlineHours: Double
    public var deadlineCurve: DeadlineCurve
    /// Deadline channels: open from/until, minutes after local midnight (until may be 24:00).
    public var openFromMinute: Int
    public var openUntilMinute: Int
    /// Deadline channels: open weekdays (0 = Monday).
    public var openDays: Set<Int>
    public var quantile: StaffingQuantile
    /// Shrinkage by weekday (0 = Monday ... 6 = Sunday).
    public var planned: [Double]
    public var unplanned: [Double]
    /// Shrinkage by clock window (`*_shrinkage_by_hours`): inside a window its value replaces the weekday's.
    public var plannedByHours: [HoursShrinkage] = []
    public var unplannedByHours: [HoursShrinkage] = []
    /// Seats / heads available per interval; nil = unlimited.
    public var maxAgents: Int?
    /// Handle time used where the data has none; nil = no fallback.
    public var fallbackAHTSeconds: Double?

    /// The shrinkage at a minute of a weekday's day (0 = Monday): the clock window's value where one covers the
    /// minute, else the weekday's.
    public func shrinkage(weekday: Int, minute: Int) -> Shrinkage {
        let p = plannedByHours.first { $0.contains(minute) }?.value ?? planned[weekday]
        let u = unplannedByHours.first { $0.contains(minute) }?.value ?? unplanned[weekday]
        return (try? Shrinkage(planned: p, unplanned: u)) ?? shrinkage(weekday: weekday)
    }

    /// The shrinkage of a weekday (0 = Monday), without clock windows.
    public func shrinkage(weekday: Int) -> Shrinkage {
        // Validated on parse: both in [0, 1).
        (try? Shrinkage(planned: planned[weekday], unplanned: unplanned[weekday])) ?? (try! Shrinkage(planned: 0, unplanned: 0))
    }

    /// Whether a local wall-clock time falls in the channel's business hours (deadline channels).
    public func isOpen(localSeconds: Int64) -> Bool {
        let t = LocalDateTime(localSeconds: localSeconds)
        guard openDays.contains(Civil.weekday(ofDay: t.day)) else { return false }
        let minute = t.minuteOfDay
        return minute >= openFromMinute && minute < openUntilMinute
    }

    /// One line for messages and summaries: "erlang_a (patience 120 s); service level 80% within 20 s and ...".
    public var summary: String {
        switch model {
        case .deadline:
            return "deadline: \(StaffingError.show(deadlineHours)) business hours, \(deadlineCurve.rawValue) curve"
        case .chat:
            let f = concurrencyFactors.map { StaffingError.show($0) }.joined(separator: ", ")
            return "chat (up to \(concurrencyFactors.count) at once, factors \(f)\(patienceSeconds.map { ", patience \(StaffingError.show($0)) s" } ?? "")); \(targets.summary)"
        case .erlangA:
            return "erlang_a (patience \(StaffingError.show(patienceSeconds ?? 0)) s); \(targets.summary)"
        case .erlangC:
            return "erlang_c; \(targets.summary)"
        }
    }
}

/// The `[staffing]` table of `peakplan.toml`, validated, with line numbers kept for errors raised later
/// (when a channel's settings are resolved).
///
/// ```toml
/// [staffing]
/// quantile = "mean"              # "mean" | "p90" | "p97.5": forecast value to staff to
/// patience_seconds = 120         # mean patience: voice/social/app channels then use Erlang A
/// max_asa_seconds = 30           # optional target: mean wait over all arrivals
/// max_abandon = 0.05             # optional target (needs a patience)
/// planned_shrinkage = 0.25       # default: [service] shrinkage
/// unplanned_shrinkage = 0.08     # default: 0
/// planned_shrinkage_by_weekday = { fri = 0.35 }
/// unplanned_shrinkage_by_weekday = { mon = 0.12 }
/// max_concurrency = 3            # chat: most chats an agent holds
/// concurrency_factors = [1.0, 1.3, 1.7]
/// deadline_hours = 24            # email/backoffice: business hours to finish
/// open_hours = "08:00-20:00"     # email/backoffice business hours (default all day)
/// open_days = ["sun", "mon", "tue", "wed", "thu"]   # default: the days not in `weekend`
/// deadline_curve = "levelled"    # or "latest"
/// aht_seconds = 300              # handle time where the forecast has none
/// max_agents = 40                # seats available per interval
///
/// [[staffing.channels]]          # per-channel overrides of any key above, plus model and max_occupancy
/// name = "voice"
/// model = "erlang_a"             # erlang_c | erlang_a | chat | deadline (default from the channel kind)
/// patience_seconds = 180
/// ```
public struct StaffingConfig: Sendable, Equatable {
    /// One level of settings (the table itself, or one `[[staffing.channels]]`), each value with its key path
    /// and line for messages.
    public struct Layer: Sendable, Equatable {
        public struct Located<T: Sendable & Equatable>: Sendable, Equatable {
            public var value: T
            public var key: String
            public var line: Int?
        }
        public var model: Located<ChannelStaffingModel>?
        public var quantile: Located<StaffingQuantile>?
        public var patienceSeconds: Located<Double>?
        public var maxASASeconds: Located<Double>?
        public var maxAbandon: Located<Double>?
        public var maxOccupancy: Located<Double>?
        public var planned: Located<Double>?
        public var unplanned: Located<Double>?
        public var plannedByWeekday: [Int: Located<Double>] = [:]
        public var unplannedByWeekday: [Int: Located<Double>] = [:]
        public var plannedByHours: Located<[HoursShrinkage]>?
        public var unplannedByHours: Located<[HoursShrinkage]>?
        public var maxConcurrency: Located<Int>?
        public var concurrencyFactors: Located<[Double]>?
        public var deadlineHours: Located<Double>?
        public var openHours: Located<ClosedRange<Int>>?
        public var openDays: Located<Set<Int>>?
        public var deadlineCurve: Located<DeadlineCurve>?
        public var ahtSeconds: Located<Double>?
        public var maxAgents: Located<Int>?
    }

    public var defaults = Layer()
    /// Per-channel layers by channel name, in file order.
    public var channels: [String: Layer] = [:]
    public var channelOrder: [String] = []
    /// The workspace settings the layers fall back to.
    public var service = ServiceTargets()
    public var channelConfigs: [ChannelConfig] = []
    public var weekend: [Int] = [5, 6]

    public init() {}

    /// Chat factors used when none are configured (see `ChatQueue`).
    public static let defaultConcurrencyFactors: [Double] = [1.0, 1.3, 1.7]
    public static let defaultDeadlineHours = 24.0

    /// Reads `config.sections["staffing"]` (absent: every default) and keeps the workspace's service targets.
    public static func parse(_ config: WorkspaceConfig) throws(ConfigError) -> StaffingConfig {
        var c = StaffingConfig()
        c.service = config.service
        c.channelConfigs = config.channels
        c.weekend = config.weekend
        guard let table = config.sections["staffing"] else { return c }
        var r = LayerReader(table: table, prefix: "staffing.")
        c.defaults = try r.layer(allowModel: false)
        if let arr = try r.tableArray("channels") {
            for (ix, t) in arr.enumerated() {
                var cr = LayerReader(table: t, prefix: "staffing.channels[\(ix)].")
                guard let name = try cr.string("name"), !name.isEmpty else {
                    throw ConfigError(line: t.line, key: "staffing.channels[\(ix)].name", message: "every [[staffing.channels]] needs the name of the channel it sets")
                }
                guard c.channels[name] == nil else {
                    throw ConfigError(line: cr.line("name"), key: "staffing.channels[\(ix)].name", message: "channel \"\(name)\" has two [[staffing.channels]] entries")
                }
                c.channels[name] = try cr.layer(allowModel: true)
                c.channelOrder.append(name)
                try cr.rejectUnknown()
            }
        }
        try r.rejectUnknown()
        return c
    }

    /// The settings of one channel: `[[staffing.channels]]` over `[staffing]` over `[[channels]]` / `[service]`
    /// over the defaults of the channel kind (`[[channels]] kind`, voice when the channel is not declared).
    /// - Throws: `ConfigError` (line and key) for combinations that cannot be staffed: Erlang A without a patience,
    ///   an abandonment target without a patience, chat factors that do not match `max_concurrency`.
    public func settings(for channel: String) throws(ConfigError) -> ChannelStaffingSettings {
        let declared = channelConfigs.first { $0.name == channel }
        let kind = declared?.kind ?? .voice
        let own = channels[channel] ?? Layer()
        func pick<T>(_ path: KeyPath<Layer, Layer.Located<T>?>) -> Layer.Located<T>? { own[keyPath: path] ?? defaults[keyPath: path] }

        let patience = pick(\.patienceSeconds)
        var model = own.model?.value ?? ChannelStaffingModel.default(for: kind)
        if own.model == nil && model == .erlangC && patience != nil { model = .erlangA }
        if model == .erlangA && patience == nil {
            throw ConfigError(
                line: own.model?.line, key: own.model?.key ?? "staffing.patience_seconds",
                message: "channel \(channel): Erlang A needs a patience: set patience_seconds (mean seconds a waiting caller waits before hanging up), or use model = \"erlang_c\"")
        }
        let abandon = pick(\.maxAbandon)
        if let a = abandon, model == .erlangC || (model == .chat && patience == nil) {
            throw ConfigError(
                line: a.line, key: a.key,
                message: "channel \(channel): an abandonment target needs a model of callers who hang up: set patience_seconds (Erlang A), or remove max_abandon")
        }
        // Chat concurrency: max_concurrency and concurrency_factors must agree.
        var factors = StaffingConfig.defaultConcurrencyFactors
        let k = pick(\.maxConcurrency), f = pick(\.concurrencyFactors)
        if let f { factors = f.value }
        if let k {
            if let f {
                guard f.value.count == k.value else {
                    throw ConfigError(
                        line: f.line, key: f.key,
                        message: "channel \(channel): \(f.value.count) factors for max_concurrency = \(k.value) (\(k.key)); give one factor per concurrent chat, 1.0 first")
                }
            } else {
                guard k.value <= factors.count else {
                    throw ConfigError(
                        line: k.line, key: k.key,
                        message:
                            "channel \(channel): max_concurrency \(k.value) needs concurrency_factors (the handle-time factor at 1...\(k.value) chats at once); the defaults cover up to \(factors.count)"
                    )
                }
                factors = Array(factors.prefix(k.value))
            }
        }
        let sl = declared?.serviceLevel ?? service.serviceLevel
        let t = declared?.answerSeconds ?? service.answerSeconds
        let occupancy = pick(\.maxOccupancy)?.value ?? service.maxOccupancy
        let targets: StaffingTargets
        do {
            targets = try StaffingTargets(
                serviceLevel: sl, serviceSeconds: t, maxASASeconds: pick(\.maxASASeconds)?.value,
                maxAbandon: abandon?.value, maxOccupancy: occupancy)
        } catch {
            // Ranges are validated on parse; this is a safety net with the key of the likeliest culprit.
            throw ConfigError(line: nil, key: "service", message: "channel \(channel): \(error)")
        }
        var planned = [Double](repeating: pick(\.planned)?.value ?? service.shrinkage, count: 7)
        var unplanned = [Double](repeating: pick(\.unplanned)?.value ?? 0, count: 7)
        for d in 0..<7 {
            if let v = own.plannedByWeekday[d] ?? defaults.plannedByWeekday[d] { planned[d] = v.value }
            if let v = own.unplannedByWeekday[d] ?? defaults.unplannedByWeekday[d] { unplanned[d] = v.value }
        }
        let hours = pick(\.openHours)?.value ?? 0...TimeGrid.minutesPerDay
        let days = pick(\.openDays)?.value ?? Set((0..<7).filter { !weekend.contains($0) })
        if model == .deadline && days.isEmpty {
            let key = pick(\.openDays)?.key ?? "weekend"
            throw ConfigError(line: pick(\.openDays)?.line, key: key, message: "channel \(channel): deadline staffing needs at least one open day")
        }
        return ChannelStaffingSettings(
            channel: channel, kind: kind, model: model, targets: targets,
            patienceSeconds: model == .erlangA || model == .chat ? patience?.value : nil, concurrencyFactors: factors,
            deadlineHours: pick(\.deadlineHours)?.value ?? StaffingConfig.defaultDeadlineHours,
            deadlineCurve: pick(\.deadlineCurve)?.value ?? .levelled,
            openFromMinute: hours.lowerBound, openUntilMinute: hours.upperBound, openDays: days,
            quantile: pick(\.quantile)?.value ?? .mean, planned: planned, unplanned: unplanned,
            plannedByHours: pick(\.plannedByHours)?.value ?? [], unplannedByHours: pick(\.unplannedByHours)?.value ?? [],
            maxAgents: pick(\.maxAgents)?.value, fallbackAHTSeconds: pick(\.ahtSeconds)?.value)
    }
}

/// Typed, validated access to one `[staffing]` level: the shared `TOMLReader` plus staffing's typed values.
private typealias LayerReader = TOMLReader

extension TOMLReader {
    typealias Located = StaffingConfig.Layer.Located

    init(table: TOMLTable, prefix: String) { self.init(table, prefix: prefix) }

    func located<T>(_ k: String, _ v: T) -> Located<T> { Located(value: v, key: prefix + k, line: line(k) ?? table.line) }

    mutating func fraction(_ k: String, openAtZero: Bool) throws(ConfigError) -> Located<Double>? {
        guard let x = try double(k) else { return nil }
        if openAtZero {
            guard x > 0 && x <= 1 else { throw error(k, "\(StaffingError.show(x)) must be in (0, 1], a fraction such as 0.8") }
        } else {
            guard x >= 0 && x < 1 else { throw error(k, "\(StaffingError.show(x)) must be in [0, 1), a fraction such as 0.25") }
        }
        return located(k, x)
    }

    mutating func positive(_ k: String, allowZero: Bool, what: String) throws(ConfigError) -> Located<Double>? {
        guard let x = try double(k) else { return nil }
        guard allowZero ? x >= 0 : x > 0 else {
            throw error(k, "\(StaffingError.show(x)) must be \(allowZero ? ">= 0" : "> 0"): \(what)")
        }
        return located(k, x)
    }

    mutating func layer(allowModel: Bool) throws(ConfigError) -> StaffingConfig.Layer {
        var l = StaffingConfig.Layer()
        if allowModel, let m = try string("model") {
            guard let model = ChannelStaffingModel(rawValue: m) else {
                throw error("model", "\"\(m)\" is not a staffing model; use one of \(ChannelStaffingModel.allowedText)")
            }
            l.model = located("model", model)
        }
        if let q = try string("quantile") {
            guard let quantile = StaffingQuantile(rawValue: q) else {
                throw error(
                    "quantile",
                    "\"\(q)\" is not a forecast quantile PeakPlan stores; use one of \(StaffingQuantile.allowedText) (p90 = upper bound of the 80% interval, p97.5 = of the 95% interval)"
                )
            }
            l.quantile = located("quantile", quantile)
        }
        l.patienceSeconds = try positive(
            "patience_seconds", allowZero: true,
            what: "the mean seconds a waiting caller waits before hanging up (0 = hangs up at once)")
        l.maxASASeconds = try positive("max_asa_seconds", allowZero: false, what: "the largest acceptable mean wait in seconds")
        l.maxAbandon = try fraction("max_abandon", openAtZero: true)
        if allowModel { l.maxOccupancy = try fraction("max_occupancy", openAtZero: true) }
        l.planned = try fraction("planned_shrinkage", openAtZero: false)
        l.unplanned = try fraction("unplanned_shrinkage", openAtZero: false)
        l.plannedByWeekday = try byWeekday("planned_shrinkage_by_weekday")
        l.unplannedByWeekday = try byWeekday("unplanned_shrinkage_by_weekday")
        l.plannedByHours = try byHours("planned_shrinkage_by_hours")
        l.unplannedByHours = try byHours("unplanned_shrinkage_by_hours")
        if let k = try int("max_concurrency") {
            guard (1...20).contains(k) else { throw error("max_concurrency", "\(k) must be between 1 and 20 chats at once") }
            l.maxConcurrency = located("max_concurrency", k)
        }
        if let v = raw("concurrency_factors") {
            guard case .array(let a) = v, !a.isEmpty, a.count <= 20 else {
                throw error("concurrency_factors", "expected an array of 1 to 20 numbers such as [1.0, 1.3, 1.7] (handle-time factor at 1, 2, 3 chats at once)")
            }
            var f: [Double] = []
            for (j, e) in a.enumerated() {
                guard let x = TOMLReader.number(e), x.isFinite, x > 0 else {
                    throw error("concurrency_factors", "factor \(j + 1) must be a finite number > 0 (the handle-time factor at \(j + 1) chats at once)")
                }
                f.append(x)
            }
            l.concurrencyFactors = located("concurrency_factors", f)
        }
        l.deadlineHours = try positive("deadline_hours", allowZero: false, what: "business hours within which work must be finished")
        if let h = l.deadlineHours, h.value > 24 * 366 { throw error("deadline_hours", "\(StaffingError.show(h.value)) hours is over a year") }
        if let s = try string("open_hours") {
            guard let range = LayerReader.hours(s) else {
                throw error("open_hours", "\"\(s)\" is not a range of business hours; write \"HH:MM-HH:MM\", e.g. \"08:00-20:00\" (\"00:00-24:00\" = all day)")
            }
            l.openHours = located("open_hours", range)
        }
        if let v = raw("open_days") {
            guard case .array(let a) = v else { throw error("open_days", "expected an array of weekdays such as [\"mon\", \"tue\"], found \(v.typeName)") }
            var days = Set<Int>()
            for e in a {
                guard case .string(let s) = e, let d = WorkspaceConfig.weekdayKeys.firstIndex(of: s.lowercased().prefix(3).description) else {
                    throw error("open_days", "every entry must be a weekday: mon, tue, wed, thu, fri, sat, sun")
                }
                days.insert(d)
            }
            l.openDays = located("open_days", days)
        }
        if let s = try string("deadline_curve") {
            guard let c = DeadlineCurve(rawValue: s) else { throw error("deadline_curve", "\"\(s)\" is not a curve; use \"levelled\" or \"latest\"") }
            l.deadlineCurve = located("deadline_curve", c)
        }
        l.ahtSeconds = try positive("aht_seconds", allowZero: false, what: "the handle time in seconds used where the forecast has none")
        if let m = try int("max_agents") {
            guard m >= 1 else { throw error("max_agents", "\(m) must be >= 1 (the agents or seats available per interval)") }
            l.maxAgents = located("max_agents", m)
        }
        return l
    }

    /// "HH:MM-HH:MM" -> minutes after midnight, from < until <= 24:00.
    static func hours(_ s: String) -> ClosedRange<Int>? {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingSpaces }
        guard parts.count == 2 else { return nil }
        guard let a = LocalDateTime.parseClock(parts[0]), let b = LocalDateTime.parseClock(parts[1]), a < b else { return nil }
        return a...b
    }

    func rejectUnknown() throws(ConfigError) {
        for k in table.keys where !used.contains(k) {
            throw error(k, "unknown key (a typo?); the [staffing] keys are listed in `peakplan staff --help`")
        }
    }
}

private extension Substring {
    var trimmingSpaces: String {
        var s = self
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
