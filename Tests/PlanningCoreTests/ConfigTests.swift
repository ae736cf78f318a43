import Testing
@testable import PlanningCore

@Suite struct ConfigTests {
    @Test func defaultRendersAndParsesBack() throws {
        let c = WorkspaceConfig()
        #expect(try WorkspaceConfig.parse(c.render()) == c)
    }

    @Test func fullConfigRoundTrips() throws {
        var c = WorkspaceConfig()
        c.timeZone = "Asia/Shanghai"
        c.intervalMinutes = 15
        c.weekend = [5, 6]
        c.service.serviceLevel = 0.9
        c.service.answerSeconds = 15
        c.channels = [ChannelConfig(name: "语音", kind: .voice, intervalMinutes: 15, serviceLevel: 0.85, answerSeconds: 30),
                      ChannelConfig(name: "chat \"vip\"", kind: .chat)]
        c.rules = [.monthStart(name: "card repayment", firstDay: 1, lastDay: 5),
                   .payday(name: "payday", days: [10, -1], shift: .nextBusinessDay)]
        let text = c.render()
        #expect(try WorkspaceConfig.parse(text) == c)
    }

    @Test("bad configuration names line and key", arguments: [
        ("format_version = 1\ntime_zone = \"Mars/Base\"\n", 2, "time_zone", "unknown time zone"),
        ("format_version = 1\ninterval_minutes = 7\n", 2, "interval_minutes", "not a supported interval"),
        ("format_version = 1\ntimezone = \"UTC\"\n", 2, "timezone", "unknown key"),
        ("format_version = 9\n", 1, "format_version", "not supported"),
        ("format_version = 1\n[service]\nservice_level = 1.5\n", 3, "service.service_level", "must be in (0, 1]"),
        ("format_version = 1\n[service]\nshrinkage = \"high\"\n", 3, "service.shrinkage", "expected a number"),
        ("format_version = 1\n[[channels]]\nname = \"a\"\nkind = \"fax\"\n", 4, "channels[0].kind", "not a channel kind"),
        ("format_version = 1\n[[channels]]\nname = \"a\"\n[[channels]]\nname = \"a\"\n", 5, "channels[1].name", "declared twice"),
        ("format_version = 1\nweekend = [\"sat\", \"funday\"]\n", 2, "weekend", "not a weekday"),
        ("format_version = 1\n[calendar]\n[[calendar.rules]]\nkind = \"payday\"\ndays = [40]\n", 5, "calendar.rules[0].days", "not a day of the month"),
        // No module reads a [forecast] table: its settings would be ignored, so it is refused.
        ("format_version = 1\n[forecast]\nmodel = \"dshw\"\n", 2, "forecast", "unknown key"),
        ("format_version = 1\nx = \n", 2, "-", "expected a value"),
        ("format_version = 1\nname = \"unterminated\n", 2, "-", "unterminated string"),
    ] as [(String, Int, String, String)])
    func errors(_ text: String, _ line: Int, _ key: String, _ fragment: String) {
        do {
            _ = try WorkspaceConfig.parse(text)
            Issue.record("accepted")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.key == key, "\(error)")
            #expect(error.description.contains(fragment), "\(error)")
        }
    }

    @Test func tomlSubset() throws {
        let t = try TOML.parse("""
        # comment
        a = 1_000
        b = -2.5e3  # trailing comment
        "quoted key" = 'literal \\n'
        c.d = true
        arr = [
          1, 2,   # comment inside
          3,
        ]
        inline = { x = 1, y = "two" }
        [[t]]
        n = 1
        [[t]]
        n = 2
        [t.sub]
        z = "é\\u00e9"
        """)
        #expect(t["a"] == .integer(1000))
        #expect(t["b"] == .double(-2500))
        #expect(t["quoted key"] == .string("literal \\n"))
        guard case .table(let c)? = t["c"], case .array(let arr)? = t["arr"], case .array(let ts)? = t["t"],
              case .table(let t1) = ts[1], case .table(let sub)? = t1["sub"] else { Issue.record("shape"); return }
        #expect(c["d"] == .bool(true))
        #expect(arr == [.integer(1), .integer(2), .integer(3)])
        #expect(sub["z"] == .string("éé"))
    }
}

@Suite struct CalendarRuleTests {
    @Test func monthStartWindow() {
        let r = CalendarRule.monthStart(name: "ms", firstDay: 1, lastDay: 5)
        let days = r.occurrences(from: Civil.parseDate("2026-01-30")!, to: Civil.parseDate("2026-03-02")!) { _ in false }
        #expect(days.map(Civil.formatDate) == ["2026-02-01", "2026-02-02", "2026-02-03", "2026-02-04", "2026-02-05", "2026-03-01", "2026-03-02"])
    }

    @Test func paydayMovesOffWeekends() {
        // 2026-01-10 is a Saturday, 2026-01-31 a Saturday: previous business days are Fri 9 and Fri 30.
        let weekend: Set<Int> = [5, 6]
        let nb = { (d: Int64) in weekend.contains(Civil.weekday(ofDay: d)) }
        let prev = CalendarRule.payday(name: "p", days: [10, -1], shift: .previousBusinessDay)
        #expect(prev.occurrences(from: Civil.parseDate("2026-01-01")!, to: Civil.parseDate("2026-01-31")!, isNonBusiness: nb).map(Civil.formatDate)
                == ["2026-01-09", "2026-01-30"])
        let next = CalendarRule.payday(name: "p", days: [10], shift: .nextBusinessDay)
        #expect(next.occurrences(from: Civil.parseDate("2026-01-01")!, to: Civil.parseDate("2026-01-31")!, isNonBusiness: nb).map(Civil.formatDate)
                == ["2026-01-12"])
        // Day 31 in a 30-day month is the month's last day.
        let last = CalendarRule.payday(name: "p", days: [31], shift: .none)
        #expect(last.occurrences(from: Civil.parseDate("2026-04-01")!, to: Civil.parseDate("2026-04-30")!, isNonBusiness: nb).map(Civil.formatDate) == ["2026-04-30"])
    }
}

@Suite struct HistorySummaryTests {
    @Test func countsMissingIntervalsAndDays() throws {
        let z = try ZoneRules("UTC")
        let d0 = Civil.parseDate("2026-01-05")! * 86_400 // Monday
        // Two days with data at 30 minutes (08:00, 08:30, 09:30), one empty day between them.
        let utc: [Int64] = [d0 + 8 * 3600, d0 + 8 * 3600 + 1800, d0 + 9 * 3600 + 1800,
                            d0 + 2 * 86_400 + 8 * 3600]
        let s = HistorySummary.compute(channel: "v", intervalMinutes: 30, zone: z, utc: utc, volume: [1, 2, 3, 4])
        #expect(s.spanDays == 3 && s.daysWithData == 2 && s.missingDays == 1)
        #expect(s.missingDayList == ["2026-01-06"])
        #expect(s.missingIntervals == Int((utc[3] - utc[0]) / 1800) + 1 - 4)
        #expect(s.meanByWeekday[0] == 6 && s.meanByWeekday[2] == 4 && s.meanByWeekday[1] == nil)
        #expect(s.meanByHour[8] == 3.5 && s.meanByHour[9] == 1.5)
        #expect(s.totalVolume == 10)
    }
}
