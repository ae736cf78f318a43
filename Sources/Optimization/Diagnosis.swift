/// One row that has to bend for an infeasible model to become feasible.
public struct ConflictRow: Sendable, Equatable {
    public var row: Int
    public var name: String
    /// The tag the row was created with (a rule id in PeakPlan's scheduling model).
    public var tag: String
    /// How far the row must be violated (in the row's units) in a least-total-violation point.
    public var violation: Double
    /// True when the row's lower bound is the one violated (activity too small), false for the upper bound.
    public var lowerSide: Bool
}

/// Rows that conflict, found by an elastic filter.
public struct Conflict: Sendable {
    public var rows: [ConflictRow]
    public var totalViolation: Double
}

/// Infeasibility diagnosis over any backend.
public enum Diagnosis {
    /// Elastic filter (Chinneck & Dravnieks 1991, "Locating minimal infeasible constraint sets in linear
    /// programs", ORSA J. Computing 3(2)): every elastic row (every row when none is marked) gets a non-negative
    /// slack on each finite side, the objective becomes the total slack, and the rows whose slack is positive at
    /// the optimum are the ones that conflict with the rest. With `integer: true` integrality is kept (for models
    /// whose relaxation is feasible but whose integer version is not).
    ///
    /// Returns nil when the elastic model cannot be solved (deadline) or needs no slack (the model is feasible).
    public static func conflict(in model: LinearModel, backend: SolverBackend, options: SolveOptions,
                                integer: Bool = false) -> Conflict? {
        let anyElastic = model.rowElastic.contains(true)
        var e = LinearModel()
        for j in 0 ..< model.numberOfVariables {
            e.addVariable(model.columnNames[j], lower: model.columnLower[j], upper: model.columnUpper[j], cost: 0,
                          integer: integer && model.isInteger[j])
        }
        var slacks: [(column: Int, row: Int, lower: Bool)] = []
        for r in 0 ..< model.numberOfConstraints {
            var expr = LinearExpression()
            for (c, v) in model.row(r) { expr.add(Variable(index: c), v) }
            if !anyElastic || model.rowElastic[r] {
                if model.rowLower[r].isFinite {
                    let s = e.addVariable("elastic_lo[\(model.rowNames[r])]", cost: 1)
                    expr.add(s, 1)
                    slacks.append((s.index, r, true))
                }
                if model.rowUpper[r].isFinite {
                    let s = e.addVariable("elastic_up[\(model.rowNames[r])]", cost: 1)
                    expr.add(s, -1)
                    slacks.append((s.index, r, false))
                }
            }
            e.addConstraint(expr, lower: model.rowLower[r], upper: model.rowUpper[r], name: model.rowNames[r],
                            tag: model.rowTags[r])
        }
        let values: [Double]
        let total: Double
        if integer {
            guard let s = backend.solve(e, options: options).solution else { return nil }
            values = s.values; total = s.objective
        } else {
            guard let s = backend.solveRelaxation(e, options: options).solution else { return nil }
            values = s.values; total = s.objective
        }
        guard total > 1e-7 else { return nil }
        var rows: [ConflictRow] = []
        for s in slacks where values[s.column] > 1e-7 {
            rows.append(ConflictRow(row: s.row, name: model.rowNames[s.row], tag: model.rowTags[s.row],
                                    violation: values[s.column], lowerSide: s.lower))
        }
        rows.sort { $0.violation != $1.violation ? $0.violation > $1.violation : $0.row < $1.row }
        return Conflict(rows: rows, totalViolation: total)
    }
}
