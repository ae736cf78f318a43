import PlanningCore
import Testing
@testable import Rostering

@Suite struct InputTests {
    static let contracts = RosterConfig.builtInContracts
    static let header = "agent_id,name,skills,contract,site,time_zone,unavailable,preferred_start,days_off_preference\n"
    static let fullHeader = "agent_id,name,skills,contract,site,time_zone,unavailable,preferred_start,days_off_preference,desired_days,availability\n"

    func parseFull(_ body: String, horizon: ClosedRange<Int64>? = nil) throws(RosterInputError) -> (agents: [Agent], warnings: [String]) {
        try AgentsCSV.parse(Self.fullHeader + body, file: "agents.csv", channels: ["voice", "chat"], contracts: Self.contracts, horizon: horizon)
    }

    @Test func recurringTimeOffDesiredDaysAndWindows() throws {
        let r = try parseFull("A1,Ann,voice:1,full_time,n,,2026-03-10;every sun,,sat,mon|tue,mon-fri 07:00-18:00;sat 08:00-17:00\n")
        let a = try #require(r.agents.first)
        #expect(a.unavailable.count == 1 && a.unavailableWeekdays == [6] && a.desiredDays == [0, 1] && a.preferredDaysOff == [5])
        #expect(a.windows.count == 6 && a.windows[0] == 420...1080 && a.windows[5] == 480...1020 && a.windows[6] == nil)
        #expect(a.neverWorks(weekday: 6) && !a.neverWorks(weekday: 5))
        #expect(a.fitsWindow(weekday: 0, start: 7 * 60, length: 510) && !a.fitsWindow(weekday: 0, start: 10 * 60, length: 510))
        // Wrapping weekday ranges and every with a range.
        let b = try #require(try parseFull("A2,Bo,voice:1,part_time,n,,every fri-sun,,,,\n").agents.first)
        #expect(b.unavailableWeekdays == [4, 5, 6])
        // Recurring days off are not leave: the weekly minimum is not lowered by them.
        let start = Civil.daysFromCivil(year: 2026, month: 3, day: 2)
        let p = RosterProblem(startDay: start, weeks: 1, channels: ["voice"], required: [[Int]](repeating: [Int](repeating: 0, count: 336), count: 1),
                              agents: [a, b], contracts: Self.contracts, templates: RosterConfig.builtInTemplates)
        #expect(p.isUnavailable(agent: 0, day: 6) && !p.isOnLeave(agent: 0, day: 6))
        #expect(p.minHours(agent: 0, week: 0) == 32 && p.minHours(agent: 1, week: 0) == 16)
    }

    @Test func badRecurringValuesNameLineColumnAndFix() {
        func message(_ body: String) -> String {
            do { _ = try parseFull(body); return "" } catch { return error.description }
        }
        #expect(message("A1,Ann,voice:1,full_time,n,,every funday,,,,\n")
                == "agents.csv:2: column unavailable, value \"every funday\": recurring time off \"every funday\": expected every followed by weekdays (e.g. every sun, every sat|sun, every mon-wed)")
        #expect(message("A1,Ann,voice:1,full_time,n,,,,,mon|xyz,\n").hasPrefix("agents.csv:2: column desired_days, value \"mon|xyz\": expected weekdays"))
        #expect(message("A1,Ann,voice:1,full_time,n,,,,sat,sat|sun,\n") == "agents.csv:2: column desired_days, value \"sat|sun\": sat also in days_off_preference: name a weekday in one of the two")
        #expect(message("A1,Ann,voice:1,full_time,n,,,,,,mon-fri 18:00-08:00\n").hasPrefix("agents.csv:2: column availability, value \"mon-fri 18:00-08:00\": window \"mon-fri 18:00-08:00\": expected a time band"))
        #expect(message("A1,Ann,voice:1,full_time,n,,,,,,mon-fri\n").contains("expected WEEKDAYS HH:MM-HH:MM"))
        #expect(message("A1,Ann,voice:1,full_time,n,,,,,,mon-fri 08:00-18:00;fri 09:00-12:00\n").contains("fri has two windows"))
        // Windows too short for the contract's templates: full_time needs 32 h of day8 (8.5 h shifts with the break).
        #expect(message("A1,Ann,voice:1,full_time,n,,,,,,mon-sun 08:00-16:00\n")
                == "agents.csv:2: column availability, value \"mon-sun 08:00-16:00\": leaves at most 0 paid hours a week within contract full_time's templates, which needs at least 32: widen the windows, drop recurring days or use another contract")
        #expect(message("A1,Ann,voice:1,full_time,n,,every mon-thu,,,,\n").contains("column unavailable, value \"every mon-thu\": leaves at most 24 paid hours a week"))
        #expect(message("A1,Ann,voice:1,full_time,n,,every sat|sun,,,,\n").isEmpty)
    }

    @Test func recurringTimeOffOverTheWholeHorizonIsAWarning() throws {
        let d = Civil.daysFromCivil(year: 2026, month: 3, day: 2)  // Monday
        let r = try parseFull("A1,Ann,voice:1,part_time,n,,2026-03-02..2026-03-06;every sat|sun,,,,\n", horizon: d...(d + 6))
        #expect(r.warnings.count == 1 && r.warnings[0].contains("agent A1: time off covers the whole horizon"))
    }

    func parse(_ body: String, horizon: ClosedRange<Int64>? = nil) throws(RosterInputError) -> (agents: [Agent], warnings: [String]) {
        try AgentsCSV.parse(Self.header + body, file: "agents.csv", channels: ["voice", "chat"], contracts: Self.contracts, horizon: horizon)
    }

    @Test("group: the routing groups an agent belongs to, in order; empty, repeated or unsafe names are refused with line and column")
    func groupColumn() throws {
        func run(_ g: String) throws(RosterInputError) -> [Agent] {
            try AgentsCSV.parse("agent_id,name,skills,contract,site,group\nA1,Ann,voice:1|chat:2,full_time,north,\(g)\n", file: "agents.csv",
                                channels: ["voice", "chat"], contracts: Self.contracts).agents
        }
        #expect(try run("retail|overflow").first?.groups == ["retail", "overflow"])
        #expect(try run("").first?.groups == [])
        for bad in ["retail||x", "retail|retail", "a/b"] {
            do { _ = try run(bad); Issue.record("accepted \(bad)") } catch { #expect(error.line == 2 && error.description.contains("group"), "\(error)") }
        }
    }

    @Test func parsesEveryColumn() throws {
        let r = try parse("A1,\"Levi, Dana\",voice:1|chat:2,full_time,north,Asia/Jerusalem,2026-03-02..2026-03-04;2026-03-20,07:00-09:00,sat|sun\n")
        let a = try #require(r.agents.first)
        #expect(a.name == "Levi, Dana" && a.skills.map(\.channel) == ["voice", "chat"] && a.skills.map(\.proficiency) == [1, 2])
        #expect(a.unavailable.count == 4 && a.preferredStart == 420...540 && a.preferredDaysOff == [5, 6] && a.timeZone == "Asia/Jerusalem")
    }

    @Test func badInputNamesLineColumnAndValue() {
        func message(_ body: String) -> String {
            do { _ = try parse(body); return "" } catch { return error.description }
        }
        #expect(message("A1,Ann,fax:1,full_time,n,,,,\n") == "agents.csv:2: column skills, value \"fax:1\": unknown skill \"fax\": no staffing requirement for that channel (staffed: voice, chat)")
        #expect(message("A1,Ann,voice:1,full_time,n,,,,\nA1,Bo,voice:1,full_time,n,,,,\n").hasPrefix("agents.csv:3: column agent_id, value \"A1\": duplicate agent id (first on line 2)"))
        #expect(message("A1,Ann,voice:1,boss,n,,,,\n").contains("column contract, value \"boss\": unknown contract"))
        #expect(message("A1,Ann,voice:x,full_time,n,,,,\n").contains("proficiency"))
        #expect(message("A1,Ann,voice:1,full_time,n,,2026-03-09..2026-03-02,,\n").contains("column unavailable"))
        #expect(message("A1,Ann,voice:1,full_time,n,,,9-10,\n").contains("column preferred_start"))
        #expect(message("A1,Ann,voice:1,full_time,n,,,,caturday\n").contains("column days_off_preference"))
        #expect(message("A1,Ann,voice:1,full_time\n").contains("agents.csv:2: 4 fields"))
        #expect(message("A1,Ann,voice:1,full_time,n,Mars/Olympus,,,\n").contains("column time_zone, value \"Mars/Olympus\": unknown time zone"))
    }

    @Test func timeOffOverTheWholeHorizonIsAWarning() throws {
        let d = Civil.daysFromCivil(year: 2026, month: 3, day: 2)
        let r = try parse("A1,Ann,voice:1,full_time,n,,2026-03-01..2026-03-10,,\n", horizon: d...(d + 6))
        #expect(r.agents.count == 1)
        #expect(r.warnings.count == 1 && r.warnings[0].contains("agent A1: time off covers the whole horizon"))
    }

    @Test func configErrorsNameLineAndKey() throws {
        func err(_ toml: String) -> String {
            do { _ = try RosterConfig.parse(try TOML.parse(toml)["roster"].flatMap { if case .table(let t) = $0 { return t } else { return nil } }); return "" }
            catch let e as ConfigError { return "\(e.line.map(String.init) ?? "-") \(e.key): \(e.message)" } catch { return "\(error)" }
        }
        let base = "[roster]\n[[roster.templates]]\nname = \"d\"\nstart_earliest = \"06:00\"\nstart_latest = \"10:00\"\npaid_hours = 8\nbreak_minutes = 30\n"
        #expect(err(base + "[[roster.contracts]]\nname = \"ft\"\nmin_hours_week = 40\nmax_hours_week = 30\ntemplates = [\"d\"]\n")
                == "10 roster.contracts[1].min_hours_week: min_hours_week 40.0 is greater than max_hours_week 30.0")
        #expect(err(base + "[[roster.contracts]]\nname = \"ft\"\ntemplates = []\n").hasPrefix("10 roster.contracts[1].templates: contract ft allows no shift template"))
        #expect(err(base + "[[roster.contracts]]\nname = \"ft\"\ntemplates = [\"x\"]\n").hasPrefix("10 roster.contracts[1].templates: unknown template \"x\""))
        #expect(err("[roster]\nspeed = 3\n") .hasPrefix("2 roster.speed: unknown key"))
        #expect(err(base.replacingOccurrences(of: "paid_hours = 8", with: "paid_hours = -1")).hasPrefix("6 roster.templates[1].paid_hours"))
        let ok = try RosterConfig.parse(nil)
        #expect(ok.contracts == RosterConfig.builtInContracts)
    }

    /// One template syntax: `[schedule]` templates join the roster's (in minutes, break windows kept) and
    /// `[[roster.contracts]]` may name them; `toml()` leaves them to `[schedule]`; a name in both is refused; the
    /// new `[roster]` limits and break windows are read and checked.
    @Test func scheduleTemplatesAndWorkabilityKeys() throws {
        func table(_ toml: String) throws -> TOMLTable? { try TOML.parse(toml)["roster"].flatMap { if case .table(let t) = $0 { return t } else { return nil } } }
        let night = ShiftTemplate(id: "night", spanPeriods: 480, startStep: 60, earliestStart: 22 * 60, latestEnd: 32 * 60,
                                  breaks: [BreakRule(durationPeriods: 30, earliestOffset: 180, latestOffset: 300, paid: true)], grid: .minute)
        let toml = "[roster]\nmax_start_spread_hours = 3\nmin_queue_block_minutes = 60\n[[roster.contracts]]\nname = \"ft\"\ntemplates = [\"night\", \"day8\"]\n"
        let c = try RosterConfig.parse(try table(toml), schedule: [night])
        #expect(c.templates.contains { $0.name == "night" && $0.startLatest == 24 * 60 && $0.rosterBreak?.paid == true })
        #expect(c.workability.maxStartSpreadMinutes == 180 && c.workability.maxBackwardRotationMinutes == 120 && c.workability.minQueueBlockMinutes == 60)
        let rendered = c.toml()
        let text = TOML.render(rendered, path: ["roster"])
        #expect(text.contains("name = \"day8\"") && !text.contains("name = \"night\""))
        let back = try RosterConfig.parse(rendered, schedule: [night])
        #expect(back.templates == c.templates)
        #expect(back.contracts == c.contracts)
        #expect(back.workability == c.workability)
        #expect(back.sharedTemplateIDs == c.sharedTemplateIDs)
        // Without [schedule] the contract names an unknown template.
        #expect(throws: ConfigError.self) { try RosterConfig.parse(try table(toml)) }
        // A [[roster.templates]] name that [schedule] also defines is refused.
        let clash = "[roster]\n[[roster.templates]]\nname = \"night\"\nstart_earliest = \"06:00\"\npaid_hours = 8\n"
        #expect(throws: ConfigError.self) { try RosterConfig.parse(try table(clash), schedule: [night]) }
        // Break windows: both keys or neither, inside the shift.
        let tmpl = "[roster]\n[[roster.templates]]\nname = \"d\"\nstart_earliest = \"06:00\"\npaid_hours = 8\nbreak_minutes = 30\n"
        let w = try RosterConfig.parse(try table(tmpl + "break_earliest_minutes = 180\nbreak_latest_minutes = 300\n[[roster.contracts]]\nname = \"ft\"\ntemplates = [\"d\"]\n"))
        #expect(w.templates[0].breaks == [BreakRule(durationPeriods: 30, earliestOffset: 180, latestOffset: 300)])
        #expect(throws: ConfigError.self) { try RosterConfig.parse(try table(tmpl + "break_earliest_minutes = 180\n")) }
        #expect(throws: ConfigError.self) { try RosterConfig.parse(try table(tmpl + "break_earliest_minutes = 180\nbreak_latest_minutes = 600\n")) }
        #expect(throws: ConfigError.self) { try RosterConfig.parse(try table("[roster]\nmax_start_spread_hours = -1\n")) }
    }
}
