import PlanningCore

extension ScheduleConfig {
    /// The `[schedule]` table with every setting written out (defaults included, every rule's weight);
    /// `parse` of it gives this configuration back (line numbers aside).
    public func toml() -> TOMLTable {
        var t = TOMLTable.build([
            ("time_limit_seconds", .number(timeLimitSeconds)),
            ("node_limit", .integer(work?.nodes ?? 0)),
            ("relative_gap", .number(relativeGap)),
            ("soft_understaffing_cost", .number(settings.softUnderstaffingCost)),
            ("soft_headcount_cost", .number(settings.headcountExcessCost)),
            ("break_placement", .string(settings.breakPlacement.rawValue))
        ])
        t.put("weights", .table(.build(RuleRegistry.ids.map { ($0, .number(settings.weight($0))) })))
        if !templates.isEmpty { t.put("templates", .tables(templates.map(\.toml))) }
        if !groups.isEmpty { t.put("groups", .tables(groups.map { $0.group.toml })) }
        if !queues.isEmpty { t.put("queues", .tables(queues.map(\.toml))) }
        return t
    }
}

extension ScheduleConfig.Template {
    var toml: TOMLTable {
        let day = TimeGrid.minutesPerDay
        let end = latestEndMinute > day ? latestEndMinute - day : latestEndMinute
        let breaks: [TOMLTable] = self.breaks.map { b in
            .build([
                ("length", .string(ScheduleConfig.formatMinutes(b.lengthMinutes))),
                ("earliest", .string(ScheduleConfig.formatMinutes(b.earliestMinutes))),
                ("latest", .string(ScheduleConfig.formatMinutes(b.latestMinutes))), ("paid", .bool(b.paid))
            ])
        }
        return .build([
            ("id", .string(id)), ("length", .string(ScheduleConfig.formatMinutes(lengthMinutes))),
            ("start_every", .string(ScheduleConfig.formatMinutes(startEveryMinutes))),
            ("earliest_start", .clock(earliestStartMinute)), ("latest_end", .clock(end)), ("overnight", .bool(overnight)),
            ("breaks", breaks.isEmpty ? nil : .tables(breaks))
        ])
    }
}

extension AgentGroup {
    /// A `[[schedule.groups]]` entry.
    var toml: TOMLTable {
        .build([
            ("id", .string(id)), ("skills", .strings(skills.map { $0.level == 1 ? $0.queue : "\($0.queue):\($0.level)" })),
            ("cost_per_paid_hour", .number(costPerPaidHour)), ("templates", templates.map { .strings($0) }),
            ("max_agents_per_day", maxAgentsPerDay.map { .integer($0) }),
            ("max_shifts_per_week", maxShiftsPerWeek.map { .integer($0) })
        ])
    }
}

extension ScheduleConfig.Queue {
    var toml: TOMLTable {
        switch understaffing {
        case .hard: return .build([("id", .string(id)), ("understaffing", .string("hard"))])
        case .soft(let c): return .build([("id", .string(id)), ("understaffing", .string("soft")), ("understaffing_cost", .number(c))])
        }
    }
}
