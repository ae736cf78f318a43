/// A solver-neutral linear model: `minimize cᵀx + offset` subject to `rowLower ≤ Ax ≤ rowUpper` and
/// `lower ≤ x ≤ upper`, with some columns integer. Built row by row; handed to a `SolverBackend` in
/// compressed sparse column form.
///
/// Every row carries a name and a tag (the rule id that created it, e.g. `coverage`), and may be marked
/// *elastic*: allowed to bend when the model is infeasible, so that `Diagnosis` can name the rows that
/// conflict (see `Diagnosis.conflict`). Infinite bounds are `Double.infinity`; the backend translates them.
public struct LinearModel: Sendable {
    public private(set) var columnLower: [Double] = []
    public private(set) var columnUpper: [Double] = []
    public private(set) var cost: [Double] = []
    public private(set) var isInteger: [Bool] = []
    public private(set) var columnNames: [String] = []

    public private(set) var rowLower: [Double] = []
    public private(set) var rowUpper: [Double] = []
    public private(set) var rowNames: [String] = []
    public private(set) var rowTags: [String] = []
    public private(set) var rowElastic: [Bool] = []
    /// Row-major storage of A: the entries of row r are `rowStart[r] ..< rowStart[r + 1]`, columns sorted, no duplicates.
    public private(set) var rowStart: [Int] = [0]
    public private(set) var entryColumn: [Int32] = []
    public private(set) var entryValue: [Double] = []

    /// Constant added to the objective (for example costs fixed outside the model).
    public var objectiveOffset: Double = 0

    public init() {}

    public var numberOfVariables: Int { cost.count }
    public var numberOfConstraints: Int { rowLower.count }
    public var numberOfIntegers: Int { isInteger.lazy.filter { $0 }.count }
    public var numberOfNonzeros: Int { entryValue.count }

    // MARK: Building

    @discardableResult
    public mutating func addVariable(_ name: String, lower: Double = 0, upper: Double = .infinity,
                                     cost c: Double = 0, integer: Bool = false) -> Variable {
        precondition(lower <= upper, "variable \(name): lower bound \(lower) above upper bound \(upper)")
        precondition(c.isFinite, "variable \(name): cost must be finite")
        columnLower.append(lower)
        columnUpper.append(upper)
        cost.append(c)
        isInteger.append(integer)
        columnNames.append(name)
        return Variable(index: cost.count - 1)
    }

    /// Adds `lower ≤ Σ coefficient·variable ≤ upper`. Repeated variables are summed; zero coefficients dropped.
    @discardableResult
    public mutating func addConstraint(_ expression: LinearExpression, lower: Double = -.infinity, upper: Double = .infinity,
                                       name: String, tag: String, elastic: Bool = false) -> Constraint {
        precondition(lower <= upper, "constraint \(name): lower \(lower) above upper \(upper)")
        let order = expression.columns.indices.sorted { expression.columns[$0] < expression.columns[$1] }
        var lastColumn: Int32 = -1
        for k in order {
            let c = expression.columns[k], v = expression.values[k]
            precondition(Int(c) < cost.count, "constraint \(name): unknown variable \(c)")
            if c == lastColumn {
                entryValue[entryValue.count - 1] += v
            } else {
                entryColumn.append(c)
                entryValue.append(v)
                lastColumn = c
            }
        }
        // Drop entries that summed to zero.
        var w = rowStart[rowStart.count - 1]
        for r in w ..< entryValue.count where entryValue[r] != 0 {
            entryColumn[w] = entryColumn[r]; entryValue[w] = entryValue[r]; w += 1
        }
        entryColumn.removeLast(entryColumn.count - w)
        entryValue.removeLast(entryValue.count - w)
        rowStart.append(w)
        rowLower.append(lower)
        rowUpper.append(upper)
        rowNames.append(name)
        rowTags.append(tag)
        rowElastic.append(elastic)
        return Constraint(index: rowLower.count - 1)
    }

    public mutating func setBounds(_ v: Variable, lower: Double, upper: Double) {
        precondition(lower <= upper)
        columnLower[v.index] = lower
        columnUpper[v.index] = upper
    }

    public mutating func setCost(_ v: Variable, _ c: Double) { cost[v.index] = c }

    public mutating func setRowBounds(_ r: Constraint, lower: Double, upper: Double) {
        precondition(lower <= upper)
        rowLower[r.index] = lower
        rowUpper[r.index] = upper
    }

    // MARK: Reading

    /// Entries of one row as (column, coefficient).
    public func row(_ r: Int) -> [(column: Int, value: Double)] {
        (rowStart[r] ..< rowStart[r + 1]).map { (Int(entryColumn[$0]), entryValue[$0]) }
    }

    public func objective(_ x: [Double]) -> Double {
        var s = objectiveOffset
        for j in 0 ..< cost.count where cost[j] != 0 { s += cost[j] * x[j] }
        return s
    }

    public func activity(_ x: [Double]) -> [Double] {
        var a = [Double](repeating: 0, count: numberOfConstraints)
        for r in 0 ..< numberOfConstraints {
            var s = 0.0
            for k in rowStart[r] ..< rowStart[r + 1] { s += entryValue[k] * x[Int(entryColumn[k])] }
            a[r] = s
        }
        return a
    }

    /// The largest violation of any bound, row or integrality by `x`, with where it happens; nil when `x` satisfies
    /// everything within `tolerance`.
    public func violation(_ x: [Double], tolerance: Double = 1e-6) -> (what: String, amount: Double)? {
        precondition(x.count == numberOfVariables)
        var worst: (String, Double)?
        func note(_ s: @autoclosure () -> String, _ a: Double) {
            if a > tolerance && a > (worst?.1 ?? 0) { worst = (s(), a) }
        }
        for j in 0 ..< numberOfVariables {
            note("variable \(columnNames[j]) below its lower bound", columnLower[j] - x[j])
            note("variable \(columnNames[j]) above its upper bound", x[j] - columnUpper[j])
            if isInteger[j] { note("variable \(columnNames[j]) not integer", abs(x[j] - x[j].rounded())) }
        }
        let a = activity(x)
        for r in 0 ..< numberOfConstraints {
            note("row \(rowNames[r]) below its lower bound", rowLower[r] - a[r])
            note("row \(rowNames[r]) above its upper bound", a[r] - rowUpper[r])
        }
        return worst
    }

    /// Compressed sparse column form (CLP/CBC `loadProblem`).
    public func columnMajor() -> (start: [Int32], index: [Int32], value: [Double]) {
        let n = numberOfVariables, nnz = entryValue.count
        var count = [Int32](repeating: 0, count: n + 1)
        for c in entryColumn { count[Int(c) + 1] += 1 }
        for j in 0 ..< n { count[j + 1] += count[j] }
        var next = count
        var index = [Int32](repeating: 0, count: nnz)
        var value = [Double](repeating: 0, count: nnz)
        for r in 0 ..< numberOfConstraints {
            for k in rowStart[r] ..< rowStart[r + 1] {
                let c = Int(entryColumn[k])
                let p = Int(next[c])
                index[p] = Int32(r)
                value[p] = entryValue[k]
                next[c] += 1
            }
        }
        return (count, index, value)
    }
}

/// A column of a `LinearModel`.
public struct Variable: Hashable, Sendable, Comparable {
    public let index: Int
    public init(index: Int) { self.index = index }
    public static func < (a: Variable, b: Variable) -> Bool { a.index < b.index }
}

/// A row of a `LinearModel`.
public struct Constraint: Hashable, Sendable {
    public let index: Int
    public init(index: Int) { self.index = index }
}

/// `Σ coefficient · variable`, built incrementally.
public struct LinearExpression: Sendable {
    public private(set) var columns: [Int32] = []
    public private(set) var values: [Double] = []

    public init() {}
    public init(_ terms: [(Variable, Double)]) {
        for (v, c) in terms { add(v, c) }
    }

    public var isEmpty: Bool { columns.isEmpty }

    public mutating func add(_ v: Variable, _ coefficient: Double = 1) {
        columns.append(Int32(v.index))
        values.append(coefficient)
    }

    public mutating func add(_ other: LinearExpression, times k: Double = 1) {
        columns.append(contentsOf: other.columns)
        values.append(contentsOf: other.values.map { $0 * k })
    }
}
