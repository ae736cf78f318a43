import Foundation
import PlanningCore
@testable import Scheduling

/// Small problems for tests, on a 60-minute grid unless said otherwise.
enum Fixture {
    static let day0 = Civil.daysFromCivil(year: 2026, month: 3, day: 2) // a Monday

    /// One queue, one day, `req` agents per hour from `from` (hour of day).
    static func singleQueue(_ req: [Double], from: Int = 8, templates: [ShiftTemplate], cost: Double = 1,
                            understaffing: Understaffing = .hard, maxPerDay: Int? = nil) -> ScheduleProblem {
        var r = [Double](repeating: 0, count: 24)
        for (k, v) in req.enumerated() { r[from + k] = v }
        return ScheduleProblem(name: "single", intervalMinutes: 60, firstDay: day0, days: 1,
                               queues: [QueueSpec(id: "voice", requirement: r, understaffing: understaffing)],
                               groups: [AgentGroupSpec(id: "team", skills: [Skill(queue: "voice")], costPerPaidHour: cost, maxAgentsPerDay: maxPerDay)],
                               templates: templates)
    }

    static func template(_ id: String, span: Int, from: Int = 0, to: Int = 24, breaks: [BreakRule] = []) -> ShiftTemplate {
        ShiftTemplate(id: id, spanPeriods: span, startStep: 1, earliestStart: from, latestEnd: to, breaks: breaks)
    }

    /// The benchmark instance `name` from Datasets/benchmarks/scheduling/instances (repo root = 3 levels up).
    static func instanceURL(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Datasets/benchmarks/scheduling/instances/\(name).json")
    }

    static func instance(_ name: String, templates: String = "all", dedicatedOnly: Bool = false) throws -> ScheduleProblem {
        try BenchmarkInstance.decode(Data(contentsOf: instanceURL(name))).problem(templateSet: templates, dedicatedOnly: dedicatedOnly)
    }

    static func solve(_ p: ScheduleProblem, soft: Bool = false, explicit: Bool = false, limit: Double = 30) -> ScheduleOutcome {
        var o = EngineOptions()
        o.timeLimit = limit
        o.relativeGap = 1e-6
        o.settings.soft = soft
        if explicit { o.settings.breakPlacement = .explicit }
        return ScheduleEngine().solve(p, options: o)
    }
}

/// The project's seeded generator.
typealias Rand = SplitMix64
