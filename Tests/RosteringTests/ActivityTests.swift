import PlanningCore
import Reports
import Testing
@testable import Rostering

/// Planned activities (issue 14 item 2): meetings and training placed in the shifts where load allows.
@Suite struct ActivityTests {
    static let meeting = RosterActivity(name: "team_meeting", minutes: 60, perWeek: true, windowStart: 10 * 60, windowEnd: 16 * 60, weekdays: [1, 2, 3])
    static let coaching = RosterActivity(name: "coaching", minutes: 30, perWeek: false, windowStart: 8 * 60, windowEnd: 18 * 60)

    static func problem(_ activities: [RosterActivity]) -> RosterProblem {
        var p = EngineTests.problem(agents: 30, weeks: 2, seed: 13)
        p.activities = activities
        return p
    }

    /// Every agent-week with a shift on Tue-Thu has one meeting of two slots inside 10:00-16:00 on one of those days;
    /// every shift whose day allows coaching inside 08:00-18:00 has one; no hard rule breaks; activity slots do not
    /// count as coverage.
    @Test func everyActivityIsPlacedInsideItsWindow() throws {
        let p = Self.problem([Self.meeting, Self.coaching])
        let r = try RosterEngine(problem: p).solve()
        #expect(RuleRegistry.hardViolations(r.roster, p).isEmpty)
        let meetingCode = RosterProblem.activityCode(0), coachingCode = RosterProblem.activityCode(1)
        var meetings = 0
        for a in p.agents.indices {
            for w in 0..<p.weeks {
                let shifts = r.roster.shifts.filter { $0.agent == a && $0.day / 7 == w }
                let withMeeting = shifts.filter { $0.channels.contains(meetingCode) }
                if shifts.contains(where: { [1, 2, 3].contains(p.weekday($0.day)) }) {
                    let missed = r.unplacedActivities.contains { $0.agent == a && $0.day == w * 7 && $0.activity == "team_meeting" }
                    #expect(withMeeting.count == (missed ? 0 : 1), "agent \(a) week \(w): \(withMeeting.count) meetings")
                } else {
                    #expect(withMeeting.isEmpty)
                }
                for s in withMeeting {
                    #expect([1, 2, 3].contains(p.weekday(s.day)))
                    let ks = s.channels.indices.filter { s.channels[$0] == meetingCode }
                    #expect(ks.count == 2 && ks[1] == ks[0] + 1)
                    let clock = s.start + p.grid.startMinute(ofSlot: ks[0])
                    #expect(clock >= 10 * 60 && clock + 60 <= 16 * 60)
                    meetings += 1
                }
            }
        }
        #expect(meetings > 20)
        for s in r.roster.shifts {
            let n = s.channels.filter { $0 == coachingCode }.count
            let missed = r.unplacedActivities.contains { $0.agent == s.agent && $0.day == s.day && $0.activity == "coaching" }
            #expect(n == (missed ? 0 : 1))
        }
        #expect(r.unplacedActivities.count < 5)
        // Activity slots are off the queues: the same shifts without them cover more.
        let plain = try RosterEngine(problem: Self.problem([])).solve()
        #expect(plain.roster.shifts.map(\.start) == r.roster.shifts.map(\.start))
        #expect(plain.metrics.shortAgentSlots <= r.metrics.shortAgentSlots)
        #expect(p.placedActivityShare(r.roster) > 0.05 && p.placedActivityShare(r.roster) < 0.12)
        // The exports name them.
        let csv = RosterExport.csv(r.roster, p)
        #expect(csv.contains(",team_meeting,") && csv.contains(",coaching,"))
    }

    /// Placed by load: fewer short agent-slots than the same activities at the first slot their window allows (a
    /// placement that ignores load; it can lose).
    @Test func placedWhereLoadAllows() throws {
        let p = Self.problem([Self.coaching])
        let r = try RosterEngine(problem: p).solve()
        var naive = try RosterEngine(problem: Self.problem([])).solve().roster
        for i in naive.shifts.indices {
            let s = naive.shifts[i]
            guard
                let k = s.channels.indices.first(where: { k in
                    let clock = s.start + p.grid.startMinute(ofSlot: k)
                    return clock >= 8 * 60 && clock + 30 <= 18 * 60 && s.channels[k] >= 0
                })
            else { continue }
            naive.shifts[i].channels[k] = RosterProblem.activityCode(0)
        }
        let naiveShort = RosterEngine.metrics(naive, p).shortAgentSlots
        #expect(r.metrics.shortAgentSlots < naiveShort, "by load \(r.metrics.shortAgentSlots) vs first slot \(naiveShort)")
    }

    /// A re-plan with no change keeps every activity where it was (0 changes) and reads them back from the CSV.
    @Test func replanKeepsActivities() throws {
        let p = Self.problem([Self.meeting, Self.coaching])
        let first = try RosterEngine(problem: p).solve().roster
        let back = try RosterExport.parsePrevious(RosterExport.csv(first, p), file: "r.csv", p)
        #expect(RosterExport.diff(first, back.roster, p).isEmpty)
        let again = try RosterEngine(problem: p).solve(previous: back.roster)
        #expect(RosterExport.diff(first, again.roster, p).isEmpty)
    }

    /// `[[roster.activities]]` round-trips through the written-out configuration and refuses bad values by key.
    @Test func configRoundTripAndErrors() throws {
        func table(_ toml: String) throws -> TOMLTable? { try TOML.parse(toml)["roster"].flatMap { if case .table(let t) = $0 { return t } else { return nil } } }
        let lines = [
            "[roster]", "[[roster.activities]]", "name = \"team_meeting\"", "minutes = 60", "per = \"week\"", "window_start = \"10:00\"",
            "window_end = \"16:00\"", "weekdays = [\"Tue\", \"Wed\", \"Thu\"]"
        ]
        let c = try RosterConfig.parse(try table(lines.joined(separator: "\n")))
        #expect(c.activities == [Self.meeting])
        #expect(try RosterConfig.parse(c.toml()).activities == c.activities)
        for (line, bad, key) in [
            (4, "per = \"month\"", "per"), (3, "minutes = 45", "minutes"), (7, "weekdays = [\"Funday\"]", "weekdays"), (6, "window_end = \"10:30\"", "window_end")
        ] {
            var l = lines
            l[line] = bad
            do {
                _ = try RosterConfig.parse(try table(l.joined(separator: "\n")))
                Issue.record("\(bad) was accepted")
            } catch let e as ConfigError {
                #expect(e.key == "roster.activities[1].\(key)", "\(e)")
                #expect(e.line == line + 1)
            }
        }
    }
}
