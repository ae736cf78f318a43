import PlanningCore
import Testing
@testable import Rostering

/// Each rule on a tiny hand-made roster: a clean case passes, a broken one is named after the rule.
@Suite struct RulesTests {
    static let start = Civil.daysFromCivil(year: 2026, month: 3, day: 2)  // a Monday
    static let templates = [ShiftTemplate(name: "day8", startEarliest: 6 * 60, startLatest: 14 * 60, paidHours: 8, breakMinutes: 30),
                            ShiftTemplate(name: "late8", startEarliest: 14 * 60, startLatest: 15 * 60, paidHours: 8, breakMinutes: 30)]
    static let contract = Contract(name: "ft", minHoursWeek: 16, maxHoursWeek: 40, maxConsecutiveDays: 3, daysOffPerWeek: 2,
                                   pairedDaysOff: true, minRestHours: 11, templates: ["day8"])

    static func problem(weeks: Int = 1, unavailable: Set<Int64> = [], history: [RosterShift] = []) -> RosterProblem {
        RosterProblem(startDay: start, weeks: weeks, channels: ["voice", "chat"],
                      required: [[Int]](repeating: [Int](repeating: 1, count: weeks * 7 * TimeGrid.halfHour.slotsPerDay), count: 2),
                      agents: [Agent(id: "A1", name: "Ann", skills: [Skill(queue: "voice", level: 1)], contract: "ft", unavailable: unavailable)],
                      contracts: [contract], templates: templates, history: history)
    }

    /// A day8 shift at `start` minutes on `day`, serving voice except in the break.
    static func shift(_ day: Int, _ start: Int = 8 * 60, template: Int = 0, channel: Int = 0) -> RosterShift {
        let t = templates[template]
        let br = t.breakOffset(on: .halfHour)! / 30
        return RosterShift(agent: 0, day: day, template: template, start: start,
                           channels: (0..<(t.lengthMinutes / 30)).map { $0 == br ? -1 : channel })
    }

    func ids(_ rule: any RosterRule, _ r: Roster, _ p: RosterProblem) -> [String] { rule.evaluate(r, p).map(\.rule) }

    static let good = Roster(shifts: [shift(0), shift(1), shift(2), shift(4)])

    @Test func cleanRosterHasNoHardViolation() {
        #expect(RuleRegistry.hardViolations(Self.good, Self.problem()).isEmpty)
    }

    @Test func contractHours() {
        let v = ContractHoursRule().evaluate(Roster(shifts: [Self.shift(0)]), Self.problem())
        #expect(v.count == 1 && v[0].rule == "contract-hours" && v[0].agent == "A1" && v[0].date == "2026-03-02")
        // Time off lowers the minimum by 8 h a day: 16 h - 1 day x 8 h = 8 h, one 8-hour shift is enough.
        let off: Set<Int64> = [Self.start + 3]
        #expect(ContractHoursRule().evaluate(Roster(shifts: [Self.shift(0)]), Self.problem(unavailable: off)).isEmpty)
    }

    @Test func maxConsecutiveDaysIncludingHistory() {
        let four = Roster(shifts: (0..<4).map { Self.shift($0) })
        #expect(ids(MaxConsecutiveDaysRule(), four, Self.problem()) == ["max-consecutive-days"])
        let hist = Self.problem(history: [Self.shift(-2), Self.shift(-1)])
        #expect(ids(MaxConsecutiveDaysRule(), Roster(shifts: [Self.shift(0), Self.shift(1)]), hist) == ["max-consecutive-days"])
    }

    @Test func daysOffAndPairing() {
        let six = Roster(shifts: [0, 1, 2, 3, 4, 5].map { Self.shift($0) })
        #expect(ids(DaysOffRule(), six, Self.problem()).contains("days-off"))
        let unpaired = Roster(shifts: [0, 2, 4, 6, 1].map { Self.shift($0) })  // off Thu and Sat: not paired
        #expect(DaysOffRule().evaluate(unpaired, Self.problem()).first?.message.contains("consecutive") == true)
    }

    @Test func minRestAcrossTheHorizonStart() {
        let late = RosterShift(agent: 0, day: -1, template: 1, start: 15 * 60, channels: Array(repeating: 0, count: 17))
        let v = MinRestRule().evaluate(Roster(shifts: [Self.shift(0, 6 * 60)]), Self.problem(history: [late]))
        #expect(v.map(\.rule) == ["min-rest"] && v[0].date == "2026-03-02")
    }

    @Test func availabilityIncludingShiftsRunningIntoTimeOff() {
        #expect(ids(AvailabilityRule(), Roster(shifts: [Self.shift(1)]), Self.problem(unavailable: [Self.start + 1])) == ["availability"])
        let overnight = RosterProblem(startDay: Self.start, weeks: 1, channels: ["voice"], required: [[Int]](repeating: [Int](repeating: 0, count: 336), count: 1),
                                      agents: [Agent(id: "A1", name: "Ann", skills: [Skill(queue: "voice", level: 1)], contract: "ft", unavailable: [Self.start + 1])],
                                      contracts: [Self.contract], templates: Self.templates)
        let s = RosterShift(agent: 0, day: 0, template: 1, start: 15 * 60 + 60, channels: Array(repeating: 0, count: 17))
        #expect(ids(AvailabilityRule(), Roster(shifts: [s]), overnight) == ["availability"])
    }

    @Test func allowedTemplates() {
        let v = AllowedTemplatesRule().evaluate(Roster(shifts: [Self.shift(0, 14 * 60, template: 1)]), Self.problem())
        #expect(v.first?.message.contains("not allowed") == true)
        #expect(ids(AllowedTemplatesRule(), Roster(shifts: [Self.shift(0, 5 * 60)]), Self.problem()) == ["allowed-templates"])
    }

    @Test func skillCoverageOnlyBySkilledAgents() {
        #expect(ids(SkillCoverageRule(), Roster(shifts: [Self.shift(0, channel: 1)]), Self.problem()) == ["skill-coverage"])
        var s = Self.shift(0); s.channels = Array(repeating: 0, count: s.channels.count)  // works through the break
        #expect(ids(SkillCoverageRule(), Roster(shifts: [s]), Self.problem()) == ["skill-coverage"])
    }

    @Test func oneShiftPerDay() {
        #expect(ids(OneShiftPerDayRule(), Roster(shifts: [Self.shift(0), Self.shift(0, 9 * 60)]), Self.problem()) == ["one-shift-per-day"])
    }

    @Test func softRulesReportPenaltiesNamedAfterThemselves() {
        let p = Self.problem()
        let short = CoverageShortfallRule().evaluate(Self.good, p)
        #expect(short.contains { $0.rule == "coverage-shortfall" && $0.message.hasPrefix("chat") })
        var q = p
        q.agents[0].preferredStart = 6 * 60...7 * 60
        q.agents[0].preferredDaysOff = [0]
        let pref = PreferencesRule().evaluate(Self.good, q)
        #expect(pref.count == 5 && pref.allSatisfy { $0.penalty == 0.5 })
        #expect(PreferencesRule.metShare(Self.good, q) == 0)
        let unstable = Roster(shifts: [Self.shift(0), Self.shift(1), Self.shift(2, 12 * 60)])
        #expect(StableStartRule().evaluate(unstable, p).map(\.date) == ["2026-03-04"])
    }

    @Test func fairnessSpreadAndGini() {
        #expect(FairnessRule.gini([1, 1, 1, 1]) == 0)
        #expect(abs(FairnessRule.gini([0, 0, 0, 4]) - 0.75) < 1e-12)
        var p = Self.problem()
        p.agents.append(Agent(id: "A2", name: "Ben", skills: [Skill(queue: "voice", level: 1)], contract: "ft"))
        let r = Roster(shifts: [Self.shift(5), Self.shift(6)])  // Ann works the weekend, Ben does not
        #expect(FairnessRule.measure(r, p).weekendSpread == 2)
        #expect(FairnessRule().evaluate(r, p).map(\.rule) == ["fairness"])
    }

    @Test func availabilityWindowsAndRecurringDays() {
        var p = Self.problem()
        p.agents[0].windows = [0: 9 * 60...18 * 60, 1: 8 * 60...17 * 60]
        // Monday 08:00 starts before the 09:00 window; Tuesday 08:00-16:30 fits; Wednesday has no window.
        let v = AvailabilityRule().evaluate(Roster(shifts: [Self.shift(0), Self.shift(1), Self.shift(2)]), p)
        #expect(v.map(\.date) == ["2026-03-02", "2026-03-04"])
        #expect(v.first?.message == "shift 08:00-16:30 outside the availability window 09:00-18:00")
        var q = Self.problem()
        q.agents[0].unavailableWeekdays = [1]
        #expect(ids(AvailabilityRule(), Roster(shifts: [Self.shift(1)]), q) == ["availability"])
        #expect(AvailabilityRule().evaluate(Roster(shifts: [Self.shift(0)]), q).isEmpty)
    }

    @Test func desiredDaysAreSoftPreferences() {
        var p = Self.problem()
        p.agents[0].desiredDays = [0, 3]  // Monday worked, Thursday not
        let v = PreferencesRule().evaluate(Self.good, p)
        #expect(v.map(\.date) == ["2026-03-05"] && v[0].message == "does not work a desired day" && v[0].penalty == 0.5)
        #expect(PreferencesRule.metShare(Self.good, p) == 0.5)
    }
}
