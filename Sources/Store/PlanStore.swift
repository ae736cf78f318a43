import Foundation

extension Store {
    /// A stored group-level schedule (migration 7): its score, per-queue coverage and routing weights.
    public struct ScheduleRun: Sendable, Equatable {
        public struct Coverage: Sendable, Equatable {
            public var queue: String
            public var period: Int
            public var required: Double
            public var planned: Double
            public init(queue: String, period: Int, required: Double, planned: Double) {
                self.queue = queue; self.period = period; self.required = required; self.planned = planned
            }
        }
        public struct Weight: Sendable, Equatable {
            public var period: Int
            public var queue: String
            public var group: String
            public var weight: Double
            public var planned: Double
            public init(period: Int, queue: String, group: String, weight: Double, planned: Double) {
                self.period = period; self.queue = queue; self.group = group; self.weight = weight; self.planned = planned
            }
        }
        public var id: Int64 = 0
        public var createdAt: String = ""
        public var intervalMinutes: Int
        /// Local civil day (days since 1970-01-01) of period 0.
        public var firstDay: Int64
        public var periods: Int
        /// "optimal" or "feasible".
        public var status: String
        public var objective: Double
        public var lowerBound: Double
        public var gap: Double
        public var paidHours: Double
        public var requiredHours: Double
        public var shortIntervals: Int
        public var shifts: Int
        public var seconds: Double
        /// Solved with soft understaffing (the hard rules could not all be met).
        public var soft: Bool
        public var coverage: [Coverage]
        public var weights: [Weight]

        public init(intervalMinutes: Int, firstDay: Int64, periods: Int, status: String, objective: Double, lowerBound: Double, gap: Double,
                    paidHours: Double, requiredHours: Double, shortIntervals: Int, shifts: Int, seconds: Double, soft: Bool,
                    coverage: [Coverage], weights: [Weight]) {
            self.intervalMinutes = intervalMinutes; self.firstDay = firstDay; self.periods = periods; self.status = status
            self.objective = objective; self.lowerBound = lowerBound; self.gap = gap; self.paidHours = paidHours
            self.requiredHours = requiredHours; self.shortIntervals = shortIntervals; self.shifts = shifts; self.seconds = seconds
            self.soft = soft; self.coverage = coverage; self.weights = weights
        }
    }

    /// A stored named-agent roster (migration 7).
    public struct RosterRun: Sendable, Equatable {
        public struct Shift: Sendable, Equatable {
            public var agentID: String
            public var agentName: String
            /// Local civil day of the shift start.
            public var day: Int64
            /// Template name; "" marks an agent without any shift (kept so the grid lists every agent).
            public var template: String
            /// Minutes after local midnight of `day` (end may pass 24:00).
            public var startMinute: Int
            public var endMinute: Int
            /// Channels worked, "|"-separated.
            public var channels: String
            public init(agentID: String, agentName: String, day: Int64, template: String, startMinute: Int, endMinute: Int, channels: String) {
                self.agentID = agentID; self.agentName = agentName; self.day = day; self.template = template
                self.startMinute = startMinute; self.endMinute = endMinute; self.channels = channels
            }
        }
        public var id: Int64 = 0
        public var createdAt: String = ""
        public var startDay: Int64
        public var weeks: Int
        public var agents: Int
        public var shifts: Int
        public var paidHours: Double
        public var shortfallPct: Double
        public var hardViolations: Int
        public var fairnessSpread: Int
        public var preferencesMetPct: Double
        public var rows: [Shift]

        public init(startDay: Int64, weeks: Int, agents: Int, shifts: Int, paidHours: Double, shortfallPct: Double, hardViolations: Int,
                    fairnessSpread: Int, preferencesMetPct: Double, rows: [Shift]) {
            self.startDay = startDay; self.weeks = weeks; self.agents = agents; self.shifts = shifts; self.paidHours = paidHours
            self.shortfallPct = shortfallPct; self.hardViolations = hardViolations; self.fairnessSpread = fairnessSpread
            self.preferencesMetPct = preferencesMetPct; self.rows = rows
        }
    }

    /// Stores a schedule with its coverage and weights in one transaction; returns its id.
    @discardableResult
    public func saveSchedule(_ run: ScheduleRun, document: (format: String, json: String)? = nil) throws -> Int64 {
        try db.transaction {
            let head = try db.prepare("""
                INSERT INTO schedule_runs(created_at, interval_minutes, first_day, periods, status, objective, lower_bound, gap, paid_hours,
                required_hours, short_intervals, shifts, seconds, soft) VALUES (strftime('%Y-%m-%dT%H:%M:%SZ','now'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            head.bind(1, run.intervalMinutes); head.bind(2, run.firstDay); head.bind(3, run.periods); head.bind(4, run.status)
            head.bind(5, run.objective); head.bind(6, run.lowerBound); head.bind(7, run.gap); head.bind(8, run.paidHours)
            head.bind(9, run.requiredHours); head.bind(10, run.shortIntervals); head.bind(11, run.shifts); head.bind(12, run.seconds)
            head.bind(13, run.soft ? 1 : 0)
            _ = try head.step()
            let id = Int64(try scalarInt("SELECT last_insert_rowid()"))
            let cov = try db.prepare("INSERT INTO schedule_coverage(run_id, queue, period, required, planned) VALUES (?, ?, ?, ?, ?)")
            for c in run.coverage {
                cov.bind(1, id); cov.bind(2, c.queue); cov.bind(3, c.period); cov.bind(4, c.required); cov.bind(5, c.planned)
                _ = try cov.step(); cov.reset()
            }
            let w = try db.prepare("INSERT INTO routing_weights(run_id, period, queue, agent_group, weight, planned) VALUES (?, ?, ?, ?, ?, ?)")
            for r in run.weights {
                w.bind(1, id); w.bind(2, r.period); w.bind(3, r.queue); w.bind(4, r.group); w.bind(5, r.weight); w.bind(6, r.planned)
                _ = try w.step(); w.reset()
            }
            if let d = document {
                let doc = try db.prepare("INSERT INTO schedule_documents(run_id, format, json) VALUES (?, ?, ?)")
                doc.bind(1, id); doc.bind(2, d.format); doc.bind(3, d.json)
                _ = try doc.step()
            }
            return id
        }
    }

    /// The newest stored schedule, nil when none.
    public func latestSchedule() throws -> ScheduleRun? {
        let st = try db.prepare("""
            SELECT id, created_at, interval_minutes, first_day, periods, status, objective, lower_bound, gap, paid_hours, required_hours,
            short_intervals, shifts, seconds, soft FROM schedule_runs ORDER BY id DESC LIMIT 1
            """)
        guard try st.step() else { return nil }
        let id = st.int(0)
        var run = ScheduleRun(intervalMinutes: Int(st.int(2)), firstDay: st.int(3), periods: Int(st.int(4)), status: st.string(5) ?? "",
                              objective: st.double(6), lowerBound: st.double(7), gap: st.double(8), paidHours: st.double(9),
                              requiredHours: st.double(10), shortIntervals: Int(st.int(11)), shifts: Int(st.int(12)), seconds: st.double(13),
                              soft: st.int(14) != 0, coverage: [], weights: [])
        run.id = id; run.createdAt = st.string(1) ?? ""
        let c = try db.prepare("SELECT queue, period, required, planned FROM schedule_coverage WHERE run_id = ? ORDER BY queue, period")
        c.bind(1, id)
        while try c.step() { run.coverage.append(.init(queue: c.string(0) ?? "", period: Int(c.int(1)), required: c.double(2), planned: c.double(3))) }
        let w = try db.prepare("SELECT period, queue, agent_group, weight, planned FROM routing_weights WHERE run_id = ? ORDER BY period, queue, agent_group")
        w.bind(1, id)
        while try w.step() {
            run.weights.append(.init(period: Int(w.int(0)), queue: w.string(1) ?? "", group: w.string(2) ?? "", weight: w.double(3), planned: w.double(4)))
        }
        return run
    }

    /// The solved-schedule document of a schedule run (nil for runs stored before migration 8).
    public func scheduleDocument(runID: Int64) throws -> (format: String, json: String)? {
        let st = try db.prepare("SELECT format, json FROM schedule_documents WHERE run_id = ?")
        st.bind(1, runID)
        guard try st.step() else { return nil }
        return (st.string(0) ?? "", st.string(1) ?? "")
    }

    /// Stores a roster with its shifts in one transaction; returns its id.
    @discardableResult
    public func saveRoster(_ run: RosterRun, document: (format: String, json: String)? = nil) throws -> Int64 {
        try db.transaction {
            let head = try db.prepare("""
                INSERT INTO roster_runs(created_at, start_day, weeks, agents, shifts, paid_hours, shortfall_pct, hard_violations, fairness_spread,
                preferences_met_pct) VALUES (strftime('%Y-%m-%dT%H:%M:%SZ','now'), ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            head.bind(1, run.startDay); head.bind(2, run.weeks); head.bind(3, run.agents); head.bind(4, run.shifts); head.bind(5, run.paidHours)
            head.bind(6, run.shortfallPct); head.bind(7, run.hardViolations); head.bind(8, run.fairnessSpread); head.bind(9, run.preferencesMetPct)
            _ = try head.step()
            let id = Int64(try scalarInt("SELECT last_insert_rowid()"))
            let ins = try db.prepare("""
                INSERT INTO roster_shifts(run_id, agent_id, agent_name, day, template, start_minute, end_minute, channels) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for r in run.rows {
                ins.bind(1, id); ins.bind(2, r.agentID); ins.bind(3, r.agentName); ins.bind(4, r.day); ins.bind(5, r.template)
                ins.bind(6, r.startMinute); ins.bind(7, r.endMinute); ins.bind(8, r.channels)
                _ = try ins.step(); ins.reset()
            }
            if let d = document {
                let doc = try db.prepare("INSERT INTO roster_documents(run_id, format, json) VALUES (?, ?, ?)")
                doc.bind(1, id); doc.bind(2, d.format); doc.bind(3, d.json)
                _ = try doc.step()
            }
            return id
        }
    }

    /// The solved-roster document of a roster run (nil for runs stored before migration 9).
    public func rosterDocument(runID: Int64) throws -> (format: String, json: String)? {
        let st = try db.prepare("SELECT format, json FROM roster_documents WHERE run_id = ?")
        st.bind(1, runID)
        guard try st.step() else { return nil }
        return (st.string(0) ?? "", st.string(1) ?? "")
    }

    /// The newest stored roster, nil when none. Rows keep the order they were stored in.
    public func latestRoster() throws -> RosterRun? {
        let st = try db.prepare("""
            SELECT id, created_at, start_day, weeks, agents, shifts, paid_hours, shortfall_pct, hard_violations, fairness_spread, preferences_met_pct
            FROM roster_runs ORDER BY id DESC LIMIT 1
            """)
        guard try st.step() else { return nil }
        let id = st.int(0)
        var run = RosterRun(startDay: st.int(2), weeks: Int(st.int(3)), agents: Int(st.int(4)), shifts: Int(st.int(5)), paidHours: st.double(6),
                            shortfallPct: st.double(7), hardViolations: Int(st.int(8)), fairnessSpread: Int(st.int(9)), preferencesMetPct: st.double(10), rows: [])
        run.id = id; run.createdAt = st.string(1) ?? ""
        let r = try db.prepare("SELECT agent_id, agent_name, day, template, start_minute, end_minute, channels FROM roster_shifts WHERE run_id = ? ORDER BY rowid")
        r.bind(1, id)
        while try r.step() {
            run.rows.append(.init(agentID: r.string(0) ?? "", agentName: r.string(1) ?? "", day: r.int(2), template: r.string(3) ?? "",
                                  startMinute: Int(r.int(4)), endMinute: Int(r.int(5)), channels: r.string(6) ?? ""))
        }
        return run
    }
}
