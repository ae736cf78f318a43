import Foundation
import PlanningCore
import Testing
@testable import Staffing

/// Parses a workspace configuration (with `format_version = 1` prepended) and its [staffing] table.
func staffingConfig(_ body: String) throws -> StaffingConfig {
    try StaffingConfig.parse(WorkspaceConfig.parse("format_version = 1\n" + body))
}

@Suite struct StaffingConfigTests {
    @Test("no [staffing] table: [service] targets, Erlang C for voice, [service] shrinkage as planned, the mean")
    func defaults() throws {
        let c = try staffingConfig("")
        let s = try c.settings(for: "voice")
        #expect(s.kind == .voice && s.model == .erlangC && s.patienceSeconds == nil)
        #expect(s.targets.serviceLevel == 0.8 && s.targets.serviceSeconds == 20 && s.targets.maxOccupancy == 0.85)
        #expect(s.targets.maxASASeconds == nil && s.targets.maxAbandon == nil)
        #expect(s.planned == [Double](repeating: 0.3, count: 7) && s.unplanned == [Double](repeating: 0, count: 7))
        #expect(s.quantile == .mean && s.maxAgents == nil && s.fallbackAHTSeconds == nil)
        #expect(s.concurrencyFactors == [1.0, 1.3, 1.7] && s.deadlineHours == 24 && s.deadlineCurve == .levelled)
        // Undeclared channels are voice; the workspace weekend (sat, sun by default) closes deadline work.
        #expect(try c.settings(for: "anything").model == .erlangC)
        #expect(s.openDays == [0, 1, 2, 3, 4])
    }

    @Test("the channel kind picks the model; a patience turns Erlang C into Erlang A", arguments: [
        ("voice", ChannelStaffingModel.erlangC, ChannelStaffingModel.erlangA), ("social", .erlangC, .erlangA), ("app", .erlangC, .erlangA),
        ("chat", .chat, .chat), ("email", .deadline, .deadline), ("backoffice", .deadline, .deadline),
    ])
    func modelByKind(_ kind: String, _ plain: ChannelStaffingModel, _ withPatience: ChannelStaffingModel) throws {
        let decl = "[[channels]]\nname = \"q\"\nkind = \"\(kind)\"\n"
        #expect(try staffingConfig(decl).settings(for: "q").model == plain)
        let s = try staffingConfig(decl + "[staffing]\npatience_seconds = 90\n").settings(for: "q")
        #expect(s.model == withPatience)
        #expect(s.patienceSeconds == (withPatience == .deadline ? nil : 90))
    }

    @Test("[[staffing.channels]] overrides [staffing], which overrides [service]; [[channels]] sets SL and T")
    func layering() throws {
        let c = try staffingConfig("""
        weekend = ["fri", "sat"]
        [service]
        service_level = 0.7
        max_occupancy = 0.9
        shrinkage = 0.2
        [[channels]]
        name = "vip"
        service_level = 0.95
        answer_seconds = 10
        [[channels]]
        name = "mail"
        kind = "email"
        [staffing]
        quantile = "p90"
        patience_seconds = 120
        max_asa_seconds = 30
        unplanned_shrinkage = 0.1
        planned_shrinkage_by_weekday = { sun = 0.4 }
        open_hours = "08:00-20:00"
        [[staffing.channels]]
        name = "vip"
        model = "erlang_c"
        max_occupancy = 0.8
        quantile = "p97.5"
        planned_shrinkage = 0.25
        max_agents = 12
        [[staffing.channels]]
        name = "mail"
        deadline_hours = 8
        deadline_curve = "latest"
        aht_seconds = 240
        """)
        let vip = try c.settings(for: "vip")
        #expect(vip.model == .erlangC && vip.patienceSeconds == nil)
        #expect(vip.targets.serviceLevel == 0.95 && vip.targets.serviceSeconds == 10 && vip.targets.maxOccupancy == 0.8)
        #expect(vip.targets.maxASASeconds == 30 && vip.quantile == .p97_5 && vip.maxAgents == 12)
        #expect(vip.planned == [0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.4] && vip.unplanned.allSatisfy { $0 == 0.1 })
        let other = try c.settings(for: "other")
        #expect(other.model == .erlangA && other.quantile == .p90 && other.targets.serviceLevel == 0.7 && other.targets.maxOccupancy == 0.9)
        #expect(other.planned == [0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.4])
        let mail = try c.settings(for: "mail")
        #expect(mail.model == .deadline && mail.deadlineHours == 8 && mail.deadlineCurve == .latest && mail.fallbackAHTSeconds == 240)
        #expect(mail.openFromMinute == 480 && mail.openUntilMinute == 1200 && mail.openDays == [0, 1, 2, 3, 6])
        // 1999-01-03 was a Sunday: open at 08:00, closed at 20:00 and on Friday 1999-01-01.
        let sunday8 = Civil.daysFromCivil(year: 1999, month: 1, day: 3) * 86_400 + 8 * 3600
        #expect(mail.isOpen(localSeconds: sunday8) && !mail.isOpen(localSeconds: sunday8 + 12 * 3600) && !mail.isOpen(localSeconds: sunday8 - 2 * 86_400))
        // Shrinkage compounds: 1 - (1 - 0.4)(1 - 0.1) on Sunday.
        #expect(abs(other.shrinkage(weekday: 6).total - 0.46) < 1e-12)
    }

    @Test func chatConcurrency() throws {
        let decl = "[[channels]]\nname = \"c\"\nkind = \"chat\"\n[staffing]\n"
        #expect(try staffingConfig(decl + "max_concurrency = 2\n").settings(for: "c").concurrencyFactors == [1.0, 1.3])
        #expect(try staffingConfig(decl + "concurrency_factors = [1, 1.5, 2, 2.4]\n").settings(for: "c").concurrencyFactors == [1, 1.5, 2, 2.4])
        #expect(try staffingConfig(decl + "max_concurrency = 2\nconcurrency_factors = [1, 1.2]\n").settings(for: "c").concurrencyFactors == [1, 1.2])
    }

    @Test("a bad [staffing] setting names its line and key", arguments: [
        ("[staffing]\npatience_seconds = -30\n", 3, "staffing.patience_seconds", "must be >= 0"),
        ("[staffing]\nquantile = \"p80\"\n", 3, "staffing.quantile", "not a forecast quantile"),
        ("[staffing]\nmax_abandon = 1.5\n", 3, "staffing.max_abandon", "must be in (0, 1]"),
        ("[staffing]\nmax_asa_seconds = 0\n", 3, "staffing.max_asa_seconds", "must be > 0"),
        ("[staffing]\nplanned_shrinkage = 1\n", 3, "staffing.planned_shrinkage", "must be in [0, 1)"),
        ("[staffing]\nunplanned_shrinkage = \"high\"\n", 3, "staffing.unplanned_shrinkage", "expected a number"),
        ("[staffing]\nplanned_shrinkage_by_weekday = { funday = 0.2 }\n", 3, "staffing.planned_shrinkage_by_weekday.funday", "not a weekday"),
        ("[staffing]\nplanned_shrinkage_by_weekday = { mon = 1.2 }\n", 3, "staffing.planned_shrinkage_by_weekday.mon", "[0, 1)"),
        ("[staffing]\nopen_hours = \"20:00-08:00\"\n", 3, "staffing.open_hours", "HH:MM-HH:MM"),
        ("[staffing]\nopen_days = [\"someday\"]\n", 3, "staffing.open_days", "weekday"),
        ("[staffing]\nmax_concurrency = 0\n", 3, "staffing.max_concurrency", "between 1 and 20"),
        ("[staffing]\nconcurrency_factors = [1, 0]\n", 3, "staffing.concurrency_factors", "factor 2"),
        ("[staffing]\ndeadline_curve = \"smooth\"\n", 3, "staffing.deadline_curve", "levelled"),
        ("[staffing]\nmax_agents = 0\n", 3, "staffing.max_agents", ">= 1"),
        ("[staffing]\naht_seconds = 0\n", 3, "staffing.aht_seconds", "must be > 0"),
        ("[staffing]\nmodel = \"erlang_a\"\n", 3, "staffing.model", "unknown key"),
        ("[staffing]\npatience = 60\n", 3, "staffing.patience", "unknown key"),
        ("[staffing]\n[[staffing.channels]]\nmodel = \"erlang_c\"\n", 3, "staffing.channels[0].name", "needs the name"),
        ("[staffing]\n[[staffing.channels]]\nname = \"v\"\nmodel = \"erlang_x\"\n", 5, "staffing.channels[0].model", "not a staffing model"),
        ("[staffing]\n[[staffing.channels]]\nname = \"v\"\n[[staffing.channels]]\nname = \"v\"\n", 6, "staffing.channels[1].name", "two [[staffing.channels]]"),
        ("[staffing]\n[[staffing.channels]]\nname = \"v\"\npatience_seconds = -1\n", 5, "staffing.channels[0].patience_seconds", "must be >= 0"),
    ] as [(String, Int, String, String)])
    func parseErrors(_ body: String, _ line: Int, _ key: String, _ fragment: String) {
        do {
            _ = try staffingConfig(body)
            Issue.record("accepted: \(body)")
        } catch let e as ConfigError {
            #expect(e.line == line, "\(e)")
            #expect(e.key == key, "\(e)")
            #expect(e.description.contains(fragment), "\(e)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("combinations that cannot be staffed are refused when the channel is resolved, with line and key", arguments: [
        ("[staffing]\n[[staffing.channels]]\nname = \"v\"\nmodel = \"erlang_a\"\n", 5, "staffing.channels[0].model", "needs a patience"),
        ("[staffing]\nmax_abandon = 0.05\n", 3, "staffing.max_abandon", "needs a model of callers who hang up"),
        ("[staffing]\nmax_abandon = 0.05\npatience_seconds = 60\n[[staffing.channels]]\nname = \"v\"\nmodel = \"erlang_c\"\n", 3, "staffing.max_abandon", "needs a model of callers who hang up"),
        ("[staffing]\nmax_concurrency = 2\nconcurrency_factors = [1, 1.2, 1.5]\n", 4, "staffing.concurrency_factors", "3 factors for max_concurrency = 2"),
        ("[staffing]\nmax_concurrency = 5\n", 3, "staffing.max_concurrency", "needs concurrency_factors"),
        ("[[channels]]\nname = \"v\"\nkind = \"email\"\n[staffing]\nopen_days = []\n", 6, "staffing.open_days", "at least one open day"),
    ] as [(String, Int, String, String)])
    func resolveErrors(_ body: String, _ line: Int, _ key: String, _ fragment: String) throws {
        let c = try staffingConfig(body)
        do {
            _ = try c.settings(for: "v")
            Issue.record("accepted: \(body)")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.key == key, "\(error)")
            #expect(error.description.contains(fragment), "\(error)")
        }
    }

    @Test("service_level 1.5 in [service] is refused by the workspace parser, with line and key")
    func badServiceLevel() {
        #expect(throws: ConfigError(line: 3, key: "service.service_level", message: "1.5 must be in (0, 1]")) {
            try staffingConfig("[service]\nservice_level = 1.5\n")
        }
    }
}

@Suite struct QuantileChoiceTests {
    @Test("mean, p90 = hi80, p97.5 = hi95")
    func choice() throws {
        let f = (mean: 50.0, lo80: 38.0, hi80: 63.0, lo95: 31.0, hi95: 71.0)
        #expect(try StaffingQuantile.mean.arrivals(mean: f.mean, lo80: f.lo80, hi80: f.hi80, lo95: f.lo95, hi95: f.hi95) == 50)
        #expect(try StaffingQuantile.p90.arrivals(mean: f.mean, lo80: f.lo80, hi80: f.hi80, lo95: f.lo95, hi95: f.hi95) == 63)
        #expect(try StaffingQuantile.p97_5.arrivals(mean: f.mean, lo80: f.lo80, hi80: f.hi80, lo95: f.lo95, hi95: f.hi95) == 71)
        #expect(StaffingQuantile(rawValue: "p97.5") == .p97_5 && StaffingQuantile(rawValue: "p95") == nil)
    }

    @Test("crossing or invalid bounds are errors, never a silent number")
    func badForecast() throws {
        #expect(throws: StaffingError.self) { try StaffingQuantile.p90.arrivals(mean: 50, lo80: 38, hi80: 30, lo95: 31, hi95: 71) }
        #expect(throws: StaffingError.self) { try StaffingQuantile.p97_5.arrivals(mean: 50, lo80: 38, hi80: 63, lo95: 31, hi95: .nan) }
        #expect(throws: StaffingError.self) { try StaffingQuantile.mean.arrivals(mean: -1, lo80: 0, hi80: 0, lo95: 0, hi95: 0) }
        // The mean alone is read for `mean`: other bounds may be anything.
        #expect(try StaffingQuantile.mean.arrivals(mean: 3, lo80: .nan, hi80: .nan, lo95: .nan, hi95: .nan) == 3)
    }

    @Test("staffing to a higher quantile never needs fewer agents")
    func higherQuantileMoreAgents() throws {
        let s = try staffingConfig("").settings(for: "voice")
        for mean in stride(from: 0.0, through: 400, by: 25) {
            var agents: [Int] = []
            for q in StaffingQuantile.allCases {
                let v = try q.arrivals(mean: mean, lo80: mean * 0.8, hi80: mean * 1.2, lo95: mean * 0.7, hi95: mean * 1.35)
                let plan = try RequirementPlanner.plan(s, intervalMinutes: 30, demand: [IntervalDemand(utc: 0, local: 0, volume: v, ahtSeconds: 200)])
                agents.append(plan.rows[0].agents)
            }
            #expect(agents == agents.sorted(), "mean \(mean): \(agents)")
        }
    }
}
