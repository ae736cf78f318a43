import Foundation
import Pipeline
import PlanningCore
import Rostering
import Scheduling
import Staffing
import Testing

/// `Configuration`: the typed peakplan.toml. Rendering is the inverse of decoding (every key a section can
/// hold, checked on a file that sets all of them), defaults are written out, and scenarios are typed overrides.
@Suite struct ConfigurationTests {
    /// A configuration that sets every key of every section (non-default values where a default exists).
    static let full = """
        format_version = 1
        time_zone = "Asia/Shanghai"
        interval_minutes = 15
        weekend = ["sat", "sun"]
        [service]
        service_level = 0.9
        answer_seconds = 15
        max_occupancy = 0.9
        shrinkage = 0.25
        [[channels]]
        name = "voice"
        kind = "voice"
        [[channels]]
        name = "chat"
        kind = "chat"
        service_level = 0.85
        answer_seconds = 30
        [[channels]]
        name = "email"
        kind = "email"
        [calendar]
        [[calendar.rules]]
        kind = "month_start"
        name = "card repayment"
        first_day = 1
        last_day = 4
        [[calendar.rules]]
        kind = "payday"
        name = "payday"
        days = [10, -1]
        shift = "next_business_day"
        [staffing]
        quantile = "p90"
        patience_seconds = 150
        max_asa_seconds = 40
        max_abandon = 0.04
        planned_shrinkage = 0.2
        unplanned_shrinkage = 0.07
        planned_shrinkage_by_weekday = { fri = 0.35, mon = 0.22 }
        unplanned_shrinkage_by_weekday = { mon = 0.12 }
        deadline_hours = 12
        open_hours = "08:00-20:30"
        open_days = ["mon", "tue", "wed", "thu", "fri", "sat"]
        deadline_curve = "latest"
        aht_seconds = 240
        max_agents = 90
        [[staffing.channels]]
        name = "chat"
        model = "chat"
        max_concurrency = 2
        concurrency_factors = [1.0, 1.25]
        max_occupancy = 0.8
        [[staffing.channels]]
        name = "email"
        model = "deadline"
        deadline_hours = 6.5
        [schedule]
        time_limit_seconds = 45.5
        node_limit = 1500
        relative_gap = 0.002
        soft_understaffing_cost = 800
        soft_headcount_cost = 700
        break_placement = "explicit"
        [schedule.weights]
        paid-hours = 1.5
        [[schedule.templates]]
        id = "day"
        length = "8h30m"
        start_every = "15m"
        earliest_start = "06:45"
        latest_end = "23:00"
        breaks = [{ length = "30m", earliest = "3h", latest = "5h" }, { length = "15m", earliest = "6h", latest = "7h", paid = true }]
        [[schedule.templates]]
        id = "night"
        length = "8h"
        start_every = "1h"
        earliest_start = "21:00"
        latest_end = "07:00"
        overnight = true
        [[schedule.groups]]
        id = "core"
        skills = ["voice", "chat:2"]
        cost_per_paid_hour = 1.1
        templates = ["day"]
        max_agents_per_day = 40
        max_shifts_per_week = 180
        [[schedule.groups]]
        id = "nights"
        skills = ["voice"]
        templates = ["night"]
        [[schedule.queues]]
        id = "email"
        understaffing = "soft"
        understaffing_cost = 35
        [[schedule.queues]]
        id = "voice"
        understaffing = "hard"
        [roster]
        seed = 7
        time_limit_seconds = 120
        late_end = "21:30"
        [roster.weights]
        preferences = 0.75
        [[roster.templates]]
        name = "long"
        start_earliest = "07:00"
        start_latest = "12:00"
        start_step_minutes = 60
        paid_hours = 9.5
        break_minutes = 60
        [[roster.contracts]]
        name = "ft"
        min_hours_week = 30
        max_hours_week = 47.5
        max_consecutive_days = 5
        days_off_per_week = 2
        paired_days_off = true
        min_rest_hours = 12.5
        templates = ["long"]
        [plan]
        agents = "people.csv"
        roster_weeks = 2
        soft_fallback = false
        [scenarios.rush]
        description = "month start"
        [[scenarios.rush.volume]]
        channel = "voice"
        days_of_month = [1, 2]
        change = 0.3
        [scenarios.rush.service]
        service_level = 0.7
        shrinkage = 0.35
        [[scenarios.rush.cross_training]]
        group = "nights"
        add = ["chat:3"]
        """

    static func decode(_ text: String) throws -> Configuration {
        try Configuration.decode(WorkspaceConfig.parse(text))
    }

    /// The scheduling problem a configuration describes (templates on the grid, groups, queue policies).
    static func problem(_ c: Configuration) throws -> ScheduleProblem {
        try c.schedule!.problem(
            name: "t", intervalMinutes: c.workspace.intervalMinutes, firstDay: 0, days: 2,
            requirements: [("voice", [Double](repeating: 1, count: 192)), ("email", [Double](repeating: 0.5, count: 192))])
    }

    @Test("render is the inverse of decode: every setting of a file that sets every key survives, and rendering is a fixpoint")
    func roundTrip() throws {
        let a = try Self.decode(Self.full)
        let text = a.render()
        let b = try Self.decode(text)
        #expect(b.render() == text, "render(decode(render(x))) must equal render(x)")
        // The meaning is the same: workspace settings, every channel's staffing, the scheduling problem, the roster
        // rules and the plan settings.
        var wa = a.workspace, wb = b.workspace
        wa.sections = [:]; wb.sections = [:]
        #expect(wa == wb)
        for ch in ["voice", "chat", "email", "undeclared"] {
            #expect(try a.staffing.settings(for: ch) == b.staffing.settings(for: ch), "staffing of \(ch)")
        }
        let pa = try Self.problem(a), pb = try Self.problem(b)
        #expect(pa.templates == pb.templates && pa.groups == pb.groups && pa.queues == pb.queues && pa.days == pb.days)
        #expect(pa.templates.count == 2 && pa.templates[0].breaks.count == 2)
        #expect(RuleRegistry.ids.map(a.schedule!.settings.weight) == RuleRegistry.ids.map(b.schedule!.settings.weight))
        #expect(a.schedule!.settings.breakPlacement == .explicit && b.schedule!.settings.breakPlacement == .explicit)
        #expect(a.schedule!.settings.softUnderstaffingCost == b.schedule!.settings.softUnderstaffingCost && a.schedule!.work == b.schedule!.work)
        #expect(a.schedule!.timeLimitSeconds == 45.5 && a.schedule!.relativeGap == 0.002)
        #expect(a.roster.templates == b.roster.templates && a.roster.contracts == b.roster.contracts)
        #expect(a.roster.seed == 7 && b.roster.seed == 7 && a.roster.lateEndMinute == b.roster.lateEndMinute)
        #expect(RuleRegistry.rules(weights: a.roster.weights).map(\.weight) == RuleRegistry.rules(weights: b.roster.weights).map(\.weight))
        #expect(a.plan == b.plan && b.plan.agents == "people.csv" && b.plan.rosterWeeks == 2 && !b.plan.softFallback)
        #expect(a.scenarios == b.scenarios)
        // Values that are easy to lose in a renderer: inline break tables, the overnight end, fractions, weekday maps.
        #expect(text.contains("[[schedule.templates.breaks]]") && text.contains("latest_end = \"07:00\""))
        #expect(text.contains("[staffing.planned_shrinkage_by_weekday]\nmon = 0.22\nfri = 0.35\n"))
        #expect(text.contains("max_hours_week = 47.5") && text.contains("open_hours = \"08:00-20:30\""))
    }

    @Test("an empty configuration renders every default, and the defaults decode to the same configuration")
    func defaultsWrittenOut() throws {
        let a = try Self.decode("format_version = 1\n")
        let text = a.render()
        for line in [
            "quantile = \"mean\"", "unplanned_shrinkage = 0", "deadline_hours = 24", "deadline_curve = \"levelled\"",
            "seed = 1", "late_end = \"20:00\"", "coverage-shortfall = 1", "preferences = 0.5", "name = \"full_time\"",
            "soft_fallback = true"
        ] {
            #expect(text.contains(line), "\(line) missing from the effective configuration")
        }
        #expect(!text.contains("[schedule]"), "no [schedule] in the file: the schedule stage is skipped, nothing to show")
        let b = try Self.decode(text)
        #expect(b.roster.templates == RosterConfig.builtInTemplates && b.roster.contracts == RosterConfig.builtInContracts)
        #expect(try b.staffing.settings(for: "voice") == a.staffing.settings(for: "voice"))
        #expect(b.render() == text)
    }

    @Test("a scenario is a typed override: service targets and a group's skills change, nothing else")
    func scenarioOverride() throws {
        let a = try Self.decode(Self.full)
        let rush = try #require(a.scenarios.first { $0.name == "rush" })
        let b = try a.applying(rush)
        #expect(b.workspace.service.serviceLevel == 0.7 && b.workspace.service.shrinkage == 0.35)
        #expect(b.workspace.service.answerSeconds == 15, "not overridden: kept")
        #expect(try b.staffing.settings(for: "voice").targets.serviceLevel == 0.7)
        let nights = try #require(b.schedule?.groups.first { $0.id == "nights" })
        #expect(nights.skills == [Skill(queue: "voice"), Skill(queue: "chat", level: 3)])
        #expect(b.schedule?.groups.first { $0.id == "core" }?.group == a.schedule?.groups.first { $0.id == "core" }?.group)
        #expect(b.schedule?.templates == a.schedule?.templates && b.roster == a.roster && b.plan == a.plan)
        // The overridden configuration written back as TOML means the same.
        var w = b.effectiveWorkspace(filled: false)
        w.sections["scenarios"] = nil
        let c = try Configuration.decode(WorkspaceConfig.parse(w.render()))
        #expect(c.schedule?.groups.map(\.group) == b.schedule?.groups.map(\.group))
        #expect(c.workspace.service == b.workspace.service)
    }

    @Test("errors keep their line and key; [routing] takes no keys; a broken scenario is found without --scenario")
    func errors() throws {
        func key(_ text: String) -> (Int?, String)? {
            do { _ = try Self.decode(text); return nil } catch let e as ConfigError { return (e.line, e.key) } catch { return nil }
        }
        let r = key("format_version = 1\n[roster]\nseed = -1\n")
        #expect(r?.0 == 3 && r?.1 == "roster.seed")
        let routing = key("format_version = 1\n[routing]\nweights = \"x\"\n")
        #expect(routing?.0 == 3 && routing?.1 == "routing.weights")
        let sc = key("format_version = 1\n[scenarios.a]\n[[scenarios.a.volume]]\nchange = -2\n")
        #expect(sc?.0 == 4 && sc?.1 == "scenarios.a.volume[0].change")
        let plan = key("format_version = 1\n[plan]\nroster_weeks = 9\n")
        #expect(plan?.0 == 3 && plan?.1 == "plan.roster_weeks")
        // Cross-training a group the [schedule] does not have.
        let c = try Self.decode(Self.full.replacingOccurrences(of: "group = \"nights\"", with: "group = \"daytime\""))
        #expect(throws: ConfigError.self) { try c.applying(c.scenarios[0]) }
    }
}
