import Optimization
import PlanningCore

/// The model of one independent component (days × queues × groups that nothing links to the rest), built by
/// the rules in registry order. Holds the column maps rules share: shift columns, break columns, on-duty
/// expressions per group and period, and supply per queue and period.
public final class EncodingContext {
    public let problem: ScheduleProblem
    public let settings: RuleSettings
    /// The rules building this model (the engine's set; the registry's by default).
    public let rules: RuleSet
    /// Horizon days of this component, ascending.
    public let days: [Int]
    /// Queue indices of this component, ascending.
    public let queues: [Int]
    /// Group indices with columns in this component, ascending.
    public let groups: [Int]
    public var model = LinearModel()

    public struct ShiftColumn: Sendable {
        public var group: Int, template: Int, day: Int
        /// Absolute start period.
        public var start: Int
        /// Explicit break placement (absolute break starts) in `.explicit` mode; nil when breaks are implicit.
        public var breakStarts: [Int]?
        public var variable: Variable
    }

    public struct BreakColumn: Sendable {
        public var group: Int, template: Int, breakIndex: Int, day: Int
        /// Absolute start period of the break.
        public var start: Int
        public var variable: Variable
    }

    public private(set) var shiftColumns: [ShiftColumn] = []
    public private(set) var breakColumns: [BreakColumn] = []
    let inComponentQueue: [Bool]
    let inComponentDay: [Bool]
    let inCell: [Bool]
    /// First absolute period covered by on-duty arrays, and their length.
    let base: Int, span: Int
    private var duty: [Int: [[(Int32, Double)]]] = [:]
    private var supplyTerms: [Int: LinearExpression] = [:]

    public convenience init(problem: ScheduleProblem, settings: RuleSettings, component c: Component, rules: RuleSet? = nil) {
        self.init(problem: problem, settings: settings, days: c.days, queues: c.queues, groups: c.groups, cells: c.cells, rules: rules)
    }

    /// - Parameter cells: the (queue, day) cells as `queue * days + day`; nil = every day × queue pair.
    public init(problem: ScheduleProblem, settings: RuleSettings, days: [Int], queues: [Int], groups: [Int], cells: [Int]? = nil,
                rules: RuleSet? = nil) {
        self.problem = problem
        self.settings = settings
        self.rules = rules ?? RuleSet(settings)
        self.days = days.sorted()
        self.queues = queues.sorted()
        self.groups = groups.sorted()
        var iq = [Bool](repeating: false, count: problem.queues.count)
        for q in queues { iq[q] = true }
        inComponentQueue = iq
        var id = [Bool](repeating: false, count: problem.days)
        for d in days { id[d] = true }
        inComponentDay = id
        var ic = [Bool](repeating: cells == nil, count: problem.queues.count * problem.days)
        if let cells { for x in cells { ic[x] = true } }
        inCell = ic
        let P = problem.periodsPerDay
        // Overnight shifts may start the day before the first day of the component.
        let first = max(0, (self.days.first ?? 0) - 1)
        base = first * P
        let maxLatest = problem.templates.map(\.latestEnd).max() ?? P
        span = ((self.days.last ?? 0) - first) * P + max(P, maxLatest) + P
    }

    /// Requirement of queue q in absolute period t when the cell belongs to this component, else 0.
    public func requirement(_ q: Int, _ t: Int) -> Double {
        guard t >= 0, t < problem.horizon, inComponentQueue[q], inCell[q * problem.days + t / problem.periodsPerDay] else { return 0 }
        return problem.queues[q].requirement[t]
    }

    /// Absolute periods of this component's days.
    public var periods: [Int] {
        let P = problem.periodsPerDay
        return days.flatMap { d in (d * P) ..< (d * P + P) }
    }

    /// Days a template's shifts may start on to reach this component (see `ScheduleProblem.startDays`).
    public func startDays(for template: ShiftTemplate) -> [Int] { problem.startDays(for: template, reaching: days) }

    /// Component queues a group is skilled for.
    public func componentSkills(of g: Int) -> [(queue: Int, level: Int)] {
        problem.skills(of: g).filter { inComponentQueue[$0.queue] }
    }

    // MARK: Columns

    public func addShiftColumn(group: Int, template: Int, day: Int, start: Int, breakStarts: [Int]?, variable: Variable) {
        duty = [:]
        shiftColumns.append(ShiftColumn(group: group, template: template, day: day, start: start, breakStarts: breakStarts, variable: variable))
    }

    public func addBreakColumn(group: Int, template: Int, breakIndex: Int, day: Int, start: Int, variable: Variable) {
        duty = [:]
        breakColumns.append(BreakColumn(group: group, template: template, breakIndex: breakIndex, day: day, start: start, variable: variable))
    }

    /// Agents of group g on the queues in absolute period t, as an expression over shift and break columns.
    public func onDuty(_ g: Int, _ t: Int) -> LinearExpression {
        if duty[g] == nil { buildDuty(g) }
        var e = LinearExpression()
        let k = t - base
        guard k >= 0, k < span, let terms = duty[g]?[k] else { return e }
        for (c, v) in terms { e.add(Variable(index: Int(c)), v) }
        return e
    }

    private func buildDuty(_ g: Int) {
        var arr = [[(Int32, Double)]](repeating: [], count: span)
        for c in shiftColumns where c.group == g {
            let tp = problem.templates[c.template]
            for t in c.start ..< c.start + tp.spanPeriods {
                let k = t - base
                guard k >= 0 && k < span else { continue }
                if let bs = c.breakStarts, zip(bs, tp.breaks).contains(where: { t >= $0.0 && t < $0.0 + $0.1.durationPeriods }) { continue }
                arr[k].append((Int32(c.variable.index), 1))
            }
        }
        for b in breakColumns where b.group == g {
            let dur = problem.templates[b.template].breaks[b.breakIndex].durationPeriods
            for t in b.start ..< b.start + dur {
                let k = t - base
                if k >= 0 && k < span { arr[k].append((Int32(b.variable.index), -1)) }
            }
        }
        duty[g] = arr
    }

    // MARK: Flows, coverage rows, slacks

    public struct FlowColumn: Sendable {
        public var group: Int, queue: Int, period: Int
        public var variable: Variable
    }

    /// A priced continuous column that only absorbs a row's shortfall (`lowerSide`: activity below the lower bound)
    /// or excess (above the upper bound), such as a short-agents or over-the-limit column.
    public struct SlackColumn: Sendable {
        public var row: Int
        public var variable: Variable
        public var lowerSide: Bool
    }

    public private(set) var flowColumns: [FlowColumn] = []
    public private(set) var slackColumns: [SlackColumn] = []
    /// Coverage row of each (queue, period) with a requirement.
    public private(set) var coverageRows: [(queue: Int, period: Int, row: Int)] = []

    public func addFlowColumn(group: Int, queue: Int, period: Int, variable: Variable) {
        flowColumns.append(FlowColumn(group: group, queue: queue, period: period, variable: variable))
    }

    public func addSlackColumn(row: Constraint, variable: Variable, lowerSide: Bool) {
        slackColumns.append(SlackColumn(row: row.index, variable: variable, lowerSide: lowerSide))
    }

    public func addCoverageRow(queue: Int, period: Int, row: Constraint) {
        coverageRows.append((queue, period, row.index))
    }

    // MARK: Rows

    /// What each row is about (row index → tag), for explaining conflicts without parsing row names.
    public private(set) var rowTags: [Int: RowTag] = [:]

    /// Adds a row to the model under a typed tag (the model keeps the tag's rule id).
    @discardableResult
    public func addRow(_ e: LinearExpression, lower: Double = -.infinity, upper: Double = .infinity, name: String, tag: RowTag,
                       elastic: Bool = false) -> Constraint {
        let row = model.addConstraint(e, lower: lower, upper: upper, name: name, tag: tag.rule, elastic: elastic)
        rowTags[row.index] = tag
        return row
    }

    // MARK: Supply

    public func addSupply(queue q: Int, period t: Int, _ e: LinearExpression) {
        supplyTerms[q * problem.horizon + t, default: LinearExpression()].add(e)
    }

    /// Agents planned on queue q in period t (registered by the skills rule).
    public func supply(queue q: Int, period t: Int) -> LinearExpression {
        supplyTerms[q * problem.horizon + t] ?? LinearExpression()
    }

    // MARK: A start point from shifts

    /// The model point of a schedule given as shift blocks (shift and break columns counted, flows by min-cost
    /// flow per period, slack columns at what their rows need); nil when a block has no column here.
    public func startVector(_ shifts: [ShiftBlock]) -> [Double]? {
        var x = [Double](repeating: 0, count: model.numberOfVariables)
        struct SKey: Hashable { var g: Int, t: Int, a: Int, b: [Int] }
        var shiftIndex: [SKey: Int] = [:]
        for c in shiftColumns { shiftIndex[SKey(g: c.group, t: c.template, a: c.start, b: c.breakStarts ?? [])] = c.variable.index }
        struct BKey: Hashable { var g: Int, t: Int, k: Int, b: Int }
        var breakIndex: [BKey: Int] = [:]
        for c in breakColumns { breakIndex[BKey(g: c.group, t: c.template, k: c.breakIndex, b: c.start)] = c.variable.index }
        let implicit = settings.breakPlacement == .implicit
        var duty: [Int: [Double]] = [:]
        for b in shifts {
            let hasBreaks = !problem.templates[b.template].breaks.isEmpty
            guard let j = shiftIndex[SKey(g: b.group, t: b.template, a: b.start, b: implicit || !hasBreaks ? [] : b.breakStarts)] else { return nil }
            x[j] += Double(b.count)
            if implicit {
                for (k, bs) in b.breakStarts.enumerated() {
                    guard let j = breakIndex[BKey(g: b.group, t: b.template, k: k, b: bs)] else { return nil }
                    x[j] += Double(b.count)
                }
            }
            var arr = duty[b.group] ?? [Double](repeating: 0, count: span)
            for t in b.start ..< b.start + problem.templates[b.template].spanPeriods where b.onDuty(at: t, in: problem) {
                let k = t - base
                if k >= 0 && k < span { arr[k] += Double(b.count) }
            }
            duty[b.group] = arr
        }
        if !flowColumns.isEmpty {
            // Direct supply per coverage row (flows and slacks still 0), then flows per period.
            let act = model.activity(x)
            var direct: [Int: Double] = [:]
            for c in coverageRows { direct[c.queue * problem.horizon + c.period] = act[c.row] }
            var byPeriod: [Int: [FlowColumn]] = [:]
            for f in flowColumns { byPeriod[f.period, default: []].append(f) }
            var need = [Double](repeating: 0, count: problem.queues.count)
            let weights = rules.allocatorWeights(problem)
            for (t, cols) in byPeriod {
                let groupsHere = Array(Set(cols.map(\.group))).sorted()
                let queuesHere = Set(cols.map(\.queue))
                for q in queuesHere { need[q] = max(0, requirement(q, t) - (direct[q * problem.horizon + t] ?? 0)) }
                let skills = problem.groups.indices.map { g in groupsHere.contains(g) ? problem.skills(of: g).filter { queuesHere.contains($0.queue) } : [] }
                var cap = groupsHere.map { g in (duty[g]?[t - base]) ?? 0 }
                var flow = groupsHere.map { g in [Double](repeating: 0, count: skills[g].count) }
                Allocator.coverByFlow(active: groupsHere, skills: skills, capacity: &cap, flow: &flow, need: &need,
                                      weights: weights)
                for c in cols {
                    let i = groupsHere.firstIndex(of: c.group)!
                    if let k = skills[c.group].firstIndex(where: { $0.queue == c.queue }) { x[c.variable.index] = flow[i][k] }
                }
                for q in queuesHere { need[q] = 0 }
            }
        }
        if !slackColumns.isEmpty {
            let act = model.activity(x)
            for s in slackColumns {
                if s.lowerSide {
                    x[s.variable.index] = max(0, model.rowLower[s.row] - act[s.row])
                } else {
                    x[s.variable.index] = max(0, act[s.row] - model.rowUpper[s.row])
                }
                x[s.variable.index] = min(x[s.variable.index], model.columnUpper[s.variable.index])
            }
        }
        return x
    }

    // MARK: Reading a solution

    /// Shift blocks of an integer solution; breaks are assigned to shifts greedily by start (exact for
    /// Bechtold-Jacobs break windows: each shift, in start order, takes the earliest free break in its window).
    public func shifts(from x: [Double]) -> [ShiftBlock] {
        var blocks: [ShiftBlock] = []
        struct Key: Hashable { var g: Int, t: Int, d: Int }
        var implicitShifts: [Key: [(start: Int, count: Int)]] = [:]
        for c in shiftColumns {
            let n = Int(x[c.variable.index].rounded())
            guard n > 0 else { continue }
            if let bs = c.breakStarts {
                blocks.append(ShiftBlock(group: c.group, template: c.template, day: c.day, start: c.start, breakStarts: bs, count: n))
            } else if problem.templates[c.template].breaks.isEmpty {
                blocks.append(ShiftBlock(group: c.group, template: c.template, day: c.day, start: c.start, breakStarts: [], count: n))
            } else {
                implicitShifts[Key(g: c.group, t: c.template, d: c.day), default: []].append((c.start, n))
            }
        }
        struct BKey: Hashable { var g: Int, t: Int, k: Int, d: Int }
        var breakCounts: [BKey: [(start: Int, count: Int)]] = [:]
        for b in breakColumns {
            let n = Int(x[b.variable.index].rounded())
            if n > 0 { breakCounts[BKey(g: b.group, t: b.template, k: b.breakIndex, d: b.day), default: []].append((b.start, n)) }
        }
        for (key, list) in implicitShifts {
            let tp = problem.templates[key.t]
            // Expand to single shifts in start order, then give each its breaks.
            var singles: [(start: Int, breaks: [Int])] = []
            for (s, n) in list.sorted(by: { $0.start < $1.start }) { for _ in 0 ..< n { singles.append((s, [])) } }
            for (k, rule) in tp.breaks.enumerated() {
                var pool = (breakCounts[BKey(g: key.g, t: key.t, k: k, d: key.d)] ?? []).sorted { $0.start < $1.start }
                for i in singles.indices {
                    let lo = singles[i].start + rule.earliestOffset, hi = singles[i].start + rule.latestOffset
                    if let j = pool.firstIndex(where: { $0.count > 0 && $0.start >= lo && $0.start <= hi }) {
                        singles[i].breaks.append(pool[j].start)
                        pool[j].count -= 1
                    } else {
                        // No break left in the window (cannot happen for a feasible point): earliest allowed start.
                        singles[i].breaks.append(lo)
                    }
                }
            }
            var merged: [ShiftBlock] = []
            for s in singles {
                if let last = merged.last, last.start == s.start, last.breakStarts == s.breaks {
                    merged[merged.count - 1].count += 1
                } else {
                    merged.append(ShiftBlock(group: key.g, template: key.t, day: key.d, start: s.start, breakStarts: s.breaks, count: 1))
                }
            }
            blocks += merged
        }
        return blocks
    }
}
