import Foundation

/// A multi-skill contact-centre simulation instance in the `ccsim/1` JSON format (the reference SimPy model's
/// format; `Datasets/simulation/README.md` describes it):
///
/// ```
/// {"format": "ccsim/1", "name": "...", "interval_minutes": 30, "intervals": 672, "sl_threshold_s": 20,
///  "queues": [{"id": "ps", "arrivals_per_interval": [0.68, ...], "aht_s": 159.6, "aht_cv": 1.0,
///              "aht_dist": "lognormal", "patience_s": 395.0}],
///  "agents": [{"id": "ANAT", "skills": {"ps": 1, "in": 2}, "on": [[900, 1140], [1170, 1410]]}],
///  "replications": 20, "seed": 1}
/// ```
/// Times: `on` segments in minutes from the start of the horizon, `aht_s` / `patience_s` / `sl_threshold_s` in
/// seconds; `arrivals_per_interval` are expected arrivals per interval. Unknown keys (such as `source`) are
/// ignored. Defaults as in the reference: `sl_threshold_s` 20, `aht_cv` 1, `aht_dist` lognormal, `patience_s`
/// null (no abandonment), `replications` 10, `seed` 1, `name` empty.
public struct SimInstance: Sendable, Equatable {
    public var name: String
    public var intervalMinutes: Double
    public var intervals: Int
    public var slThresholdSeconds: Double
    public var queues: [QueueSpec]
    public var agents: [AgentSpec]
    public var replications: Int
    public var seed: UInt64
    /// The plan's routing table (optional key `routing`, read by the `weights` policy only; the reference
    /// ignores it): per queue and interval, shares of the queue's work over agent groups, and fallback rows.
    public var routing: [RoutingRow] = []

    public enum HandleTimeDistribution: String, Sendable, Equatable, CaseIterable {
        case lognormal, exponential
    }

    public struct QueueSpec: Sendable, Equatable {
        public var id: String
        public var arrivalsPerInterval: [Double]
        public var ahtSeconds: Double
        public var ahtCV: Double
        public var ahtDistribution: HandleTimeDistribution
        /// Mean of the exponential patience; nil = nobody abandons.
        public var patienceSeconds: Double?

        public init(id: String, arrivalsPerInterval: [Double], ahtSeconds: Double, ahtCV: Double = 1,
                    ahtDistribution: HandleTimeDistribution = .lognormal, patienceSeconds: Double? = nil) {
            self.id = id; self.arrivalsPerInterval = arrivalsPerInterval; self.ahtSeconds = ahtSeconds
            self.ahtCV = ahtCV; self.ahtDistribution = ahtDistribution; self.patienceSeconds = patienceSeconds
        }
    }

    public struct AgentSpec: Sendable, Equatable {
        public var id: String
        /// Queue id -> level (1 = primary; lower levels are preferred), in the file's order.
        public var skills: [(queue: String, level: Int)]
        /// On-queue segments, minutes from the start [start, end), sorted and disjoint.
        public var segments: [(start: Double, end: Double)]
        /// The agent's routing group (the routing table's `agent_group`); nil = none (the `weights` policy then
        /// treats it as one of the unnamed group's agents). Optional key `group`; the reference ignores it.
        public var group: String?

        public init(id: String, skills: [(queue: String, level: Int)], segments: [(start: Double, end: Double)], group: String? = nil) {
            self.id = id; self.skills = skills; self.segments = segments; self.group = group
        }

        public static func == (a: AgentSpec, b: AgentSpec) -> Bool {
            a.id == b.id && a.group == b.group && a.skills.elementsEqual(b.skills, by: { $0.queue == $1.queue && $0.level == $1.level })
                && a.segments.elementsEqual(b.segments, by: { $0.start == $1.start && $0.end == $1.end })
        }
    }

    public init(name: String, intervalMinutes: Double, intervals: Int, slThresholdSeconds: Double = 20,
                queues: [QueueSpec], agents: [AgentSpec], replications: Int = 10, seed: UInt64 = 1) {
        self.name = name; self.intervalMinutes = intervalMinutes; self.intervals = intervals
        self.slThresholdSeconds = slThresholdSeconds; self.queues = queues; self.agents = agents
        self.replications = replications; self.seed = seed
    }

    public var intervalSeconds: Double { intervalMinutes * 60 }
    public var horizonSeconds: Double { intervalSeconds * Double(intervals) }
}

/// A `ccsim/1` instance that cannot be simulated: the field (a JSON path such as `queues[2].aht_s`), what is
/// wrong with it, and how to fix it.
public struct SimInstanceError: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: String
    public var problem: String
    public var fix: String

    public init(field: String, problem: String, fix: String) {
        self.field = field; self.problem = problem; self.fix = fix
    }

    public var description: String {
        (field.isEmpty ? "" : "field \(field): ") + problem + (fix.isEmpty ? "" : ". Fix: " + fix)
    }
}

extension SimInstance {
    /// Decodes and validates a `ccsim/1` document.
    /// - Throws: `SimInstanceError` naming the first bad field.
    public static func decode(_ data: Data) throws(SimInstanceError) -> SimInstance {
        let raw: JSONValue
        do { raw = try JSONValue.parse([UInt8](data)) } catch {
            throw SimInstanceError(field: "", problem: "not valid JSON: line \(error.line), column \(error.column): \(error.message)", fix: "give a ccsim/1 JSON object")
        }
        guard case .object(let doc) = raw else {
            throw SimInstanceError(field: "", problem: "the document is not a JSON object", fix: "give a ccsim/1 JSON object {\"format\": \"ccsim/1\", ...}")
        }
        return try parse(doc)
    }

    static func parse(_ doc: [String: JSONValue]) throws(SimInstanceError) -> SimInstance {
        let r = Reader()
        guard let format = doc["format"] else {
            throw SimInstanceError(field: "format", problem: "missing", fix: "add \"format\": \"ccsim/1\"")
        }
        guard case .string("ccsim/1") = format else {
            throw SimInstanceError(field: "format", problem: "unknown format \(r.show(format))", fix: "this reader understands \"ccsim/1\" only")
        }
        let name = try r.string(doc, "name", default: "")
        let intervalMinutes = try r.number(doc, "interval_minutes")
        guard intervalMinutes > 0 else {
            throw SimInstanceError(field: "interval_minutes", problem: "\(r.show(intervalMinutes)) is not positive", fix: "give the interval length in minutes, e.g. 30")
        }
        let intervals = try r.integer(doc, "intervals")
        guard intervals >= 1 else {
            throw SimInstanceError(field: "intervals", problem: "\(intervals) intervals", fix: "give the number of intervals in the horizon, at least 1")
        }
        let threshold = try r.number(doc, "sl_threshold_s", default: 20)
        guard threshold >= 0 else {
            throw SimInstanceError(field: "sl_threshold_s", problem: "\(r.show(threshold)) is negative", fix: "give the service-level answer time in seconds, >= 0")
        }
        let replications = try r.integer(doc, "replications", default: 10)
        guard replications >= 1 else {
            throw SimInstanceError(field: "replications", problem: "\(replications) replications", fix: "give at least 1")
        }
        let seed = try r.integer(doc, "seed", default: 1)
        guard seed >= 0 else {
            throw SimInstanceError(field: "seed", problem: "\(seed) is negative", fix: "give a seed >= 0")
        }

        let queues = try parseQueues(doc, intervals: intervals, r)
        let agents = try parseAgents(doc, queues: queues, r)
        var inst = SimInstance(name: name, intervalMinutes: intervalMinutes, intervals: intervals, slThresholdSeconds: threshold,
                               queues: queues, agents: agents, replications: replications, seed: UInt64(seed))
        inst.routing = try parseRouting(doc, queueIDs: Set(queues.map(\.id)), intervals: intervals, r)
        return inst
    }

    /// `routing` (optional): `[{"interval": t, "queue": id, "group": g, "weight": w, "planned_agents": p, "fallback": false}]`.
    private static func parseRouting(_ doc: [String: JSONValue], queueIDs: Set<String>, intervals: Int, _ r: Reader) throws(SimInstanceError) -> [RoutingRow] {
        guard let v = doc["routing"], !v.isNull else { return [] }
        guard case .array(let list) = v else {
            throw SimInstanceError(field: "routing", problem: "not a list", fix: "give [{\"interval\", \"queue\", \"group\", \"weight\"}, ...] or leave the key out")
        }
        var rows: [RoutingRow] = []
        for (k, item) in list.enumerated() {
            let path = "routing[\(k)]"
            guard case .object(let o) = item else { throw SimInstanceError(field: path, problem: "not an object", fix: "give {\"interval\", \"queue\", \"group\", \"weight\"}") }
            let t = try r.integer(o, "interval", path: path)
            guard t >= 0 && t < intervals else {
                throw SimInstanceError(field: path + ".interval", problem: "\(t) is outside 0..<\(intervals)", fix: "give the interval index from 0")
            }
            let queue = try r.string(o, "queue", path: path)
            guard queueIDs.contains(queue) else {
                throw SimInstanceError(field: path + ".queue", problem: "\"\(queue)\" is not a queue of the instance", fix: "use one of the queue ids")
            }
            let group = try r.string(o, "group", path: path)
            let weight = try r.number(o, "weight", path: path, default: 0)
            guard weight >= 0 && weight <= 1 else {
                throw SimInstanceError(field: path + ".weight", problem: "\(r.show(weight)) is outside [0, 1]", fix: "give the group's share of the queue's work")
            }
            let planned = try r.number(o, "planned_agents", path: path, default: 0)
            guard planned >= 0 else { throw SimInstanceError(field: path + ".planned_agents", problem: "\(r.show(planned)) is negative", fix: "give the agents planned, >= 0") }
            var fallback = false
            if let f = o["fallback"], !f.isNull {
                guard case .bool(let b) = f else { throw SimInstanceError(field: path + ".fallback", problem: "\(r.show(f)) is not true or false", fix: "give true or false") }
                fallback = b
            }
            rows.append(RoutingRow(interval: t, queue: queue, group: group, weight: weight, plannedAgents: planned, fallback: fallback))
        }
        return rows
    }

    /// `queues`: a non-empty list of queue objects with distinct ids.
    private static func parseQueues(_ doc: [String: JSONValue], intervals: Int, _ r: Reader) throws(SimInstanceError) -> [QueueSpec] {
        guard let qs = doc["queues"], !qs.isNull else { throw SimInstanceError(field: "queues", problem: "missing", fix: "add a list of queues") }
        guard case .array(let queueList) = qs, !queueList.isEmpty else {
            throw SimInstanceError(field: "queues", problem: "not a non-empty list", fix: "give at least one queue object")
        }
        var queues: [QueueSpec] = []
        var queueIDs: Set<String> = []
        for (k, item) in queueList.enumerated() {
            queues.append(try parseQueue(item, path: "queues[\(k)]", intervals: intervals, ids: &queueIDs, r))
        }
        return queues
    }

    /// One queue object; `ids` collects the ids seen so far.
    private static func parseQueue(_ item: JSONValue, path: String, intervals: Int, ids queueIDs: inout Set<String>,
                                   _ r: Reader) throws(SimInstanceError) -> QueueSpec {
        guard case .object(let q) = item else {
            throw SimInstanceError(field: path, problem: "not an object", fix: "give {\"id\": ..., \"arrivals_per_interval\": [...], \"aht_s\": ...}")
        }
        let id = try r.string(q, "id", path: path)
        guard !id.isEmpty else { throw SimInstanceError(field: path + ".id", problem: "empty", fix: "give the queue a name") }
        guard queueIDs.insert(id).inserted else {
            throw SimInstanceError(field: path + ".id", problem: "queue \"\(id)\" is listed twice", fix: "give every queue a distinct id")
        }
        guard case .array(let arr)? = q["arrivals_per_interval"] else {
            throw SimInstanceError(field: path + ".arrivals_per_interval", problem: "missing or not a list", fix: "give \(intervals) expected arrival counts, one per interval")
        }
        guard arr.count == intervals else {
            throw SimInstanceError(field: path + ".arrivals_per_interval", problem: "\(arr.count) values for \(intervals) intervals", fix: "give exactly one expected arrival count per interval (\(intervals))")
        }
        var rates: [Double] = []
        rates.reserveCapacity(intervals)
        for (t, v) in arr.enumerated() {
            guard let x = v.number, x.isFinite, x >= 0 else {
                throw SimInstanceError(field: "\(path).arrivals_per_interval[\(t)]", problem: "\(r.show(v)) is not a number >= 0", fix: "give the expected arrivals in the interval (0 when closed)")
            }
            rates.append(x)
        }
        let aht = try r.number(q, "aht_s", path: path)
        guard aht > 0 else {
            throw SimInstanceError(field: path + ".aht_s", problem: "\(r.show(aht)) is not positive", fix: "give the mean handle time in seconds, > 0")
        }
        let cv = try r.number(q, "aht_cv", path: path, default: 1)
        guard cv >= 0 else {
            throw SimInstanceError(field: path + ".aht_cv", problem: "\(r.show(cv)) is negative", fix: "give the handle time's coefficient of variation, >= 0 (1 is typical; 0 = constant)")
        }
        let distName = try r.string(q, "aht_dist", path: path, default: "lognormal")
        guard let dist = HandleTimeDistribution(rawValue: distName) else {
            throw SimInstanceError(field: path + ".aht_dist", problem: "unknown distribution \"\(distName)\"", fix: "use \"lognormal\" or \"exponential\"")
        }
        var patience: Double?
        if let p = q["patience_s"], !p.isNull {
            guard let x = p.number, x.isFinite, x > 0 else {
                throw SimInstanceError(field: path + ".patience_s", problem: "\(r.show(p)) is not a number > 0", fix: "give the mean patience in seconds (> 0), or null when nobody abandons")
            }
            patience = x
        }
        return QueueSpec(id: id, arrivalsPerInterval: rates, ahtSeconds: aht, ahtCV: dist == .exponential ? 1 : cv,
                         ahtDistribution: dist, patienceSeconds: patience)
    }

    /// `agents`: a list (may be empty) of agent objects with distinct ids, skills on the instance's queues.
    private static func parseAgents(_ doc: [String: JSONValue], queues: [QueueSpec], _ r: Reader) throws(SimInstanceError) -> [AgentSpec] {
        guard let ags = doc["agents"], !ags.isNull else { throw SimInstanceError(field: "agents", problem: "missing", fix: "add a list of agents (may be empty)") }
        guard case .array(let agentList) = ags else {
            throw SimInstanceError(field: "agents", problem: "not a list", fix: "give a list of {\"id\", \"skills\", \"on\"} objects")
        }
        let queueIDs = Set(queues.map(\.id))
        var agents: [AgentSpec] = []
        var agentIDs: Set<String> = []
        for (k, item) in agentList.enumerated() {
            agents.append(try parseAgent(item, path: "agents[\(k)]", queues: queues, queueIDs: queueIDs, ids: &agentIDs, r))
        }
        return agents
    }

    /// One agent object; `ids` collects the agent ids seen so far.
    private static func parseAgent(_ item: JSONValue, path: String, queues: [QueueSpec], queueIDs: Set<String>,
                                   ids agentIDs: inout Set<String>, _ r: Reader) throws(SimInstanceError) -> AgentSpec {
        guard case .object(let a) = item else {
            throw SimInstanceError(field: path, problem: "not an object", fix: "give {\"id\": ..., \"skills\": {...}, \"on\": [[start, end], ...]}")
        }
        let id = try r.string(a, "id", path: path)
        guard agentIDs.insert(id).inserted else {
            throw SimInstanceError(field: path + ".id", problem: "agent \"\(id)\" is listed twice", fix: "give every agent a distinct id")
        }
        guard case .object(let skillObj)? = a["skills"] else {
            throw SimInstanceError(field: path + ".skills", problem: "missing or not an object", fix: "give {\"queue id\": level, ...} with level 1 for the primary skill")
        }
        guard !skillObj.isEmpty else {
            throw SimInstanceError(field: path + ".skills", problem: "agent \"\(id)\" has no skill", fix: "give at least one {\"queue id\": level}, or leave the agent out")
        }
        var skills: [(queue: String, level: Int)] = []
        // A JSON object's key order is not kept; skills are listed in queue order (routing ties follow it).
        let position = Dictionary(uniqueKeysWithValues: queues.enumerated().map { ($1.id, $0) })
        for (queue, lv) in skillObj.sorted(by: { (position[$0.key] ?? .max, $0.key) < (position[$1.key] ?? .max, $1.key) }) {
            guard queueIDs.contains(queue) else {
                throw SimInstanceError(field: "\(path).skills.\(queue)", problem: "agent \"\(id)\" has skill \"\(queue)\", which is not a queue of the instance",
                                       fix: "use one of the queue ids (\(queues.map(\.id).prefix(8).joined(separator: ", "))\(queues.count > 8 ? ", ..." : "")) or remove the skill")
            }
            guard let level = lv.integer, level >= 1 else {
                throw SimInstanceError(field: "\(path).skills.\(queue)", problem: "level \(r.show(lv)) is not an integer >= 1", fix: "give 1 for the primary skill, 2 for the next, ...")
            }
            skills.append((queue, level))
        }
        guard case .array(let on)? = a["on"] else {
            throw SimInstanceError(field: path + ".on", problem: "missing or not a list", fix: "give the on-queue segments as [[start_minute, end_minute], ...]")
        }
        var segments: [(start: Double, end: Double)] = []
        for (s, seg) in on.enumerated() {
            let sp = "\(path).on[\(s)]"
            guard case .array(let pair) = seg, pair.count == 2, let start = pair[0].number, let end = pair[1].number,
                  start.isFinite, end.isFinite else {
                throw SimInstanceError(field: sp, problem: "\(r.show(seg)) is not a pair of numbers", fix: "give [start_minute, end_minute]")
            }
            guard start >= 0, end > start else {
                throw SimInstanceError(field: sp, problem: "segment [\(r.show(start)), \(r.show(end))] is empty or starts before 0", fix: "give 0 <= start < end, in minutes from the start of the horizon")
            }
            if let last = segments.last {
                guard start >= last.end else {
                    throw SimInstanceError(field: sp, problem: "segment [\(r.show(start)), \(r.show(end))] starts before the previous one ends (\(r.show(last.end))): segments overlap or are not sorted",
                                           fix: "list the agent's segments in time order without overlap (merge overlapping ones)")
                }
            }
            segments.append((start, end))
        }
        var group: String?
        if let gv = a["group"], !gv.isNull {
            guard case .string(let g) = gv, !g.isEmpty else {
                throw SimInstanceError(field: path + ".group", problem: "\(r.show(gv)) is not a non-empty string", fix: "give the agent's routing group name, or leave the key out")
            }
            group = g
        }
        return AgentSpec(id: id, skills: skills, segments: segments, group: group)
    }
}

/// Typed reads of JSON values with errors naming the field.
private struct Reader {
    func show(_ v: JSONValue) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return String(b)
        case .number(let d): return show(d)
        case .string(let s): return "\"\(s)\""
        case .array(let a): return "[" + a.prefix(4).map { show($0) }.joined(separator: ", ") + (a.count > 4 ? ", ..." : "") + "]"
        case .object: return "an object"
        }
    }

    func show(_ d: Double) -> String { d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d) }

    func number(_ o: [String: JSONValue], _ key: String, path: String = "", default d: Double? = nil) throws(SimInstanceError) -> Double {
        let field = path.isEmpty ? key : path + "." + key
        guard let v = o[key], !v.isNull else {
            if let d { return d }
            throw SimInstanceError(field: field, problem: "missing", fix: "add \"\(key)\": a number")
        }
        guard let x = v.number, x.isFinite else {
            throw SimInstanceError(field: field, problem: "\(show(v)) is not a finite number", fix: "give a number")
        }
        return x
    }

    func integer(_ o: [String: JSONValue], _ key: String, path: String = "", default d: Int? = nil) throws(SimInstanceError) -> Int {
        let field = path.isEmpty ? key : path + "." + key
        guard let v = o[key], !v.isNull else {
            if let d { return d }
            throw SimInstanceError(field: field, problem: "missing", fix: "add \"\(key)\": an integer")
        }
        guard let x = v.integer else {
            throw SimInstanceError(field: field, problem: "\(show(v)) is not an integer", fix: "give a whole number")
        }
        return x
    }

    func string(_ o: [String: JSONValue], _ key: String, path: String = "", default d: String? = nil) throws(SimInstanceError) -> String {
        let field = path.isEmpty ? key : path + "." + key
        guard let v = o[key], !v.isNull else {
            if let d { return d }
            throw SimInstanceError(field: field, problem: "missing", fix: "add \"\(key)\": a string")
        }
        guard case .string(let s) = v else {
            throw SimInstanceError(field: field, problem: "\(show(v)) is not a string", fix: "give a quoted string")
        }
        return s
    }
}
