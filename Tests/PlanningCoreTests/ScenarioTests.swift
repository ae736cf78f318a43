import Testing
@testable import PlanningCore

@Suite struct ScenarioTests {
    static let text = """
    format_version = 1
    time_zone = "+02:00"

    [staffing]
    aht_seconds = 188
    [[staffing.channels]]
    name = "ne"
    patience_seconds = 300

    [scenarios.card_rush]
    description = "+20% voice on days 1-5"
    [[scenarios.card_rush.volume]]
    channel = "voice"
    days_of_month = [1, 2, 3, 4, 5]
    change = 0.2
    [[scenarios.card_rush.events]]
    date = "2026-06-18"
    name = "618 sale"
    kind = "sales"
    lead_days = 3
    [scenarios.card_rush.service]
    service_level = 0.9
    """

    @Test func parsesAScenario() throws {
        let c = try WorkspaceConfig.parse(Self.text)
        #expect(Scenario.names(in: c) == ["card_rush"])
        let s = try Scenario.parse(c, name: "card_rush")
        #expect(s.description == "+20% voice on days 1-5")
        #expect(s.volume.count == 1 && s.volume[0].change == 0.2)
        let d1 = Civil.parseDate("2000-01-03")!, d9 = Civil.parseDate("2000-01-09")!
        #expect(s.volume[0].applies(day: d1, channel: "voice"))
        #expect(!s.volume[0].applies(day: d9, channel: "voice"))
        #expect(!s.volume[0].applies(day: d1, channel: "ps"))
        #expect(s.events == [CalendarEvent(day: Civil.parseDate("2026-06-18")!, name: "618 sale", kind: .sales, leadDays: 3)])
        #expect(s.serviceLevel == 0.9)
    }

    @Test("bad scenarios name line and key", arguments: [
        ("[scenarios.x]\n[[scenarios.x.volume]]\nchange = -2\n", "scenarios.x.volume[0].change"),
        ("[scenarios.x]\n[[scenarios.x.volume]]\nchannel = \"v\"\n", "scenarios.x.volume[0].change"),
        ("[scenarios.x]\n[[scenarios.x.volume]]\nchange = 0.1\nfrom = \"2026-02-30\"\n", "scenarios.x.volume[0].from"),
        ("[scenarios.x]\n[scenarios.x.service]\nservice_level = 2\n", "scenarios.x.service.service_level"),
        ("[scenarios.x]\ncolour = \"red\"\n", "scenarios.x.colour"),
        ("[scenarios.x]\ndescription = \"nothing\"\n", "scenarios.x."),
        ("[scenarios.x]\n[[scenarios.x.events]]\nname = \"no date\"\n", "scenarios.x.events[0]"),
    ] as [(String, String)])
    func badScenario(_ body: String, _ key: String) throws {
        let c = try WorkspaceConfig.parse("format_version = 1\n" + body)
        do { _ = try Scenario.parse(c, name: "x"); Issue.record("accepted") } catch {
            #expect(error.key == key, "\(error)")
            #expect(error.line != nil)
        }
        #expect(throws: ConfigError.self) { _ = try Scenario.parse(c, name: "missing") }
    }

    @Test("a configuration with delegated tables renders back to the same text")
    func renderIsStable() throws {
        let c = try WorkspaceConfig.parse(Self.text)
        let once = c.render()
        let back = try WorkspaceConfig.parse(once)
        #expect(back.render() == once)
        #expect(try Scenario.parse(back, name: "card_rush") == (try Scenario.parse(c, name: "card_rush")))
        guard case .array(let chans)? = back.sections["staffing"]?["channels"], case .table(let ne) = chans[0] else { Issue.record("shape"); return }
        #expect(ne["patience_seconds"] == .integer(300))
    }

    @Test("cross-training adds and removes skills of [schedule] groups; other groups are kept")
    func crossTraining() throws {
        let c = try WorkspaceConfig.parse("""
            format_version = 1
            [schedule]
            time_limit_seconds = 30
            [[schedule.groups]]
            id = "retail"
            skills = ["ps", "pe:2"]
            [[schedule.groups]]
            id = "sales"
            skills = ["nw", "ps:2"]
            [scenarios.train]
            [[scenarios.train.cross_training]]
            group = "sales"
            add = ["pe:2", "nw:1"]
            remove = ["ps"]
            """)
        let sc = try Scenario.parse(c, name: "train")
        #expect(sc.crossTraining == [Scenario.CrossTraining(group: "sales", add: [Skill(queue: "pe", level: 2), Skill(queue: "nw")], remove: ["ps"])])
        let base = [AgentGroup(id: "retail", skills: [Skill(queue: "ps"), Skill(queue: "pe", level: 2)]),
                    AgentGroup(id: "sales", skills: [Skill(queue: "nw"), Skill(queue: "ps", level: 2)])]
        var groups = base
        try sc.applyCrossTraining(to: &groups)
        #expect(groups[0] == base[0])
        #expect(groups[1].skills == [Skill(queue: "pe", level: 2), Skill(queue: "nw")])
        // Removing a skill the group lacks, or naming an unknown group, is an error naming the scenario key.
        let bad = try WorkspaceConfig.parse("""
            format_version = 1
            [scenarios.x]
            [[scenarios.x.cross_training]]
            group = "retail"
            remove = ["tt"]
            [scenarios.y]
            [[scenarios.y.cross_training]]
            group = "nobody"
            add = ["tt"]
            [scenarios.z]
            [[scenarios.z.cross_training]]
            group = "retail"
            add = ["tt:0"]
            """)
        var g = base
        #expect(throws: ConfigError.self) { try Scenario.parse(bad, name: "x").applyCrossTraining(to: &g) }
        do { try Scenario.parse(bad, name: "y").applyCrossTraining(to: &g); Issue.record("unknown group accepted") } catch {
            #expect(error.key == "scenarios.y.cross_training[0].group")
        }
        do { _ = try Scenario.parse(bad, name: "z"); Issue.record("tt:0 accepted") } catch {
            #expect(error.key == "scenarios.z.cross_training[0].add" && error.line == 13)
        }
    }

    @Test("an added event with a change carries a stated size (the day's total change against a normal day), not a volume factor")
    func eventWithChange() throws {
        let c = try WorkspaceConfig.parse("""
            format_version = 1
            [scenarios.sale]
            [[scenarios.sale.events]]
            date = "2000-06-18"
            name = "618 sale"
            kind = "sales"
            channel = "voice"
            change = 0.5
            """)
        let sc = try Scenario.parse(c, name: "sale")
        let day = Civil.parseDate("2000-06-18")!
        #expect(sc.events.count == 1 && sc.events[0].kind == .sales)
        // Not a factor on top of the learnt effect: the forecast stage replaces the day's effect with it.
        #expect(sc.volume.isEmpty)
        #expect(sc.eventSizes == [Scenario.EventSize(event: sc.events[0], change: 0.5)])
        #expect(sc.eventSizes[0].event.day == day && sc.eventSizes[0].event.channel == "voice")
        let bad = try WorkspaceConfig.parse("format_version = 1\n[scenarios.s]\n[[scenarios.s.events]]\ndate = \"2000-06-18\"\nname = \"x\"\nchange = -2\n")
        do { _ = try Scenario.parse(bad, name: "s"); Issue.record("change -2 accepted") } catch {
            #expect(error.key == "scenarios.s.events[0].change" && error.line == 6)
        }
    }
}
