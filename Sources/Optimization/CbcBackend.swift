import CCbc
import Foundation

/// `SolverBackend` over COIN-OR CBC 2.10 (MIP, branch and cut) and CLP 1.17 (LP, simplex), through their C APIs.
///
/// Deadlines are hard: every solve runs on its own thread and the caller waits on a semaphore until the
/// deadline. CBC's own `maximumSeconds` is set to the time left too, but CBC checks it only between nodes and
/// heuristics, so it can overshoot; when it does, the caller returns at the deadline with the best point it
/// was given (`SolveOptions.start`) and the abandoned solve finishes on its own thread soon after (its own time
/// limit stops it) and frees its memory. CBC's command-line driver (`CbcMain1`, used by `Cbc_solve`) keeps some
/// process-wide state, so MIP solves are serialised by a process-wide gate; CLP solves run concurrently.
public struct CbcBackend: SolverBackend {
    public init() {}

    public var name: String { "CBC \(String(cString: Cbc_getVersion())) / CLP \(String(cString: Clp_Version()))" }

    /// Serialises CBC runs (see the type's documentation).
    static let cbcGate = NSLock()

    public func solveRelaxation(_ model: LinearModel, options: SolveOptions) -> LPOutcome {
        let job = ClpJob(model: model, options: options)
        guard let r = HardDeadline.run(options.deadline, job.run) else { return .timeLimit }
        return r
    }

    public func solve(_ model: LinearModel, options: SolveOptions) -> MIPOutcome {
        if model.numberOfIntegers == 0 {
            switch solveRelaxation(model, options: options) {
            case .optimal(let s):
                return .optimal(MIPSolution(values: s.values, objective: s.objective, bound: s.objective, seconds: s.seconds))
            case .infeasible: return .infeasible
            case .unbounded: return .unbounded
            case .timeLimit: return .timeLimit(bound: nil)
            case .failed(let m): return .failed(m)
            }
        }
        let job = CbcJob(model: model, options: options)
        let fallback: MIPOutcome = {
            if let x = options.start, model.violation(x, tolerance: 1e-6) == nil {
                return .feasible(MIPSolution(values: x, objective: model.objective(x), bound: -.infinity), stoppedBy: .deadline)
            }
            return .timeLimit(bound: nil)
        }()
        guard let r = HardDeadline.run(options.deadline, job.run) else {
            job.cancel()
            return fallback
        }
        return r
    }
}

/// Runs work on a dedicated thread (large stack: the COIN-OR code recurses) and waits for it until the deadline.
enum HardDeadline {
    /// Grace after the deadline for a solver that is returning anyway (thread hand-off).
    static let graceSeconds = 0.05

    static func run<T: Sendable>(_ deadline: Deadline, _ work: @escaping @Sendable () -> T) -> T? {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.set(work())
            done.signal()
        }
        thread.stackSize = 256 << 20
        thread.start()
        let remaining = deadline.remaining
        if remaining.isInfinite {
            done.wait()
        } else if done.wait(timeout: .now() + max(0, remaining + graceSeconds)) == .timedOut {
            return nil
        }
        return box.get()
    }
}

final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T?
    func set(_ v: T) { lock.lock(); value = v; lock.unlock() }
    func get() -> T? { lock.lock(); defer { lock.unlock() }; return value }
}

/// The model in the arrays the COIN-OR loaders take (infinite bounds as ±DBL_MAX).
struct LoadedProblem: Sendable {
    var columns: Int32, rows: Int32
    var start: [Int32], index: [Int32], value: [Double]
    var colLower: [Double], colUpper: [Double], objective: [Double]
    var rowLower: [Double], rowUpper: [Double]
    var integerColumns: [Int32]
    var offset: Double

    init(_ m: LinearModel) {
        let big = Double.greatestFiniteMagnitude
        func fin(_ x: Double) -> Double { x == .infinity ? big : (x == -.infinity ? -big : x) }
        let csc = m.columnMajor()
        columns = Int32(m.numberOfVariables)
        rows = Int32(m.numberOfConstraints)
        start = csc.start; index = csc.index; value = csc.value
        colLower = m.columnLower.map(fin); colUpper = m.columnUpper.map(fin); objective = m.cost
        rowLower = m.rowLower.map(fin); rowUpper = m.rowUpper.map(fin)
        integerColumns = m.isInteger.indices.filter { m.isInteger[$0] }.map { Int32($0) }
        offset = m.objectiveOffset
    }
}

final class ClpJob: @unchecked Sendable {
    let p: LoadedProblem
    let options: SolveOptions
    let columnCount: Int
    init(model: LinearModel, options: SolveOptions) {
        p = LoadedProblem(model)
        self.options = options
        columnCount = model.numberOfVariables
    }

    func run() -> LPOutcome {
        let t0 = DispatchTime.now().uptimeNanoseconds
        guard let m = Clp_newModel() else { return .failed("CLP: cannot create a model") }
        defer { Clp_deleteModel(m) }
        Clp_setLogLevel(m, options.log ? 1 : 0)
        p.start.withUnsafeBufferPointer { st in p.index.withUnsafeBufferPointer { ix in p.value.withUnsafeBufferPointer { v in
            Clp_loadProblem(m, p.columns, p.rows, st.baseAddress, ix.baseAddress, v.baseAddress,
                            p.colLower, p.colUpper, p.objective, p.rowLower, p.rowUpper)
        } } }
        let left = options.deadline.remaining
        if left.isFinite { Clp_setMaximumSeconds(m, max(0.01, left)) }
        switch options.lpAlgorithm {
        case .automatic: Clp_initialSolve(m)
        case .dual: Clp_initialDualSolve(m)
        case .primal: Clp_initialPrimalSolve(m)
        case .barrier: Clp_initialBarrierSolve(m)
        case .barrierNoCrossover: Clp_initialBarrierNoCrossSolve(m)
        }
        let status = Clp_status(m)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        switch status {
        case 0:
            let n = columnCount, r = Int(p.rows)
            let x = Array(UnsafeBufferPointer(start: Clp_getColSolution(m), count: n))
            let y = r > 0 ? Array(UnsafeBufferPointer(start: Clp_getRowPrice(m), count: r)) : []
            let d = Array(UnsafeBufferPointer(start: Clp_getReducedCost(m), count: n))
            return .optimal(LPSolution(objective: Clp_getObjValue(m) + p.offset, values: x, duals: y, reducedCosts: d,
                                       iterations: Int(Clp_getIterationCount(m)), seconds: seconds))
        case 1: return .infeasible
        case 2: return .unbounded
        case 3: return .timeLimit
        default: return .failed("CLP stopped on numerical difficulties (status \(status), secondary \(Clp_secondaryStatus(m)))")
        }
    }
}

final class CbcJob: @unchecked Sendable {
    let p: LoadedProblem
    let model: LinearModel
    let options: SolveOptions
    private let lock = NSLock()
    private var cancelled = false

    init(model: LinearModel, options: SolveOptions) {
        p = LoadedProblem(model)
        self.model = model
        self.options = options
    }

    func cancel() { lock.lock(); cancelled = true; lock.unlock() }
    var isCancelled: Bool { lock.lock(); defer { lock.unlock() }; return cancelled }

    func run() -> MIPOutcome {
        CbcBackend.cbcGate.lock()
        defer { CbcBackend.cbcGate.unlock() }
        if isCancelled { return .timeLimit(bound: nil) }
        let t0 = DispatchTime.now().uptimeNanoseconds
        guard let m = Cbc_newModel() else { return .failed("CBC: cannot create a model") }
        defer { Cbc_deleteModel(m) }
        p.start.withUnsafeBufferPointer { st in p.index.withUnsafeBufferPointer { ix in p.value.withUnsafeBufferPointer { v in
            Cbc_loadProblem(m, p.columns, p.rows, st.baseAddress, ix.baseAddress, v.baseAddress,
                            p.colLower, p.colUpper, p.objective, p.rowLower, p.rowUpper)
        } } }
        for j in p.integerColumns { Cbc_setInteger(m, j) }
        Cbc_setLogLevel(m, options.log ? 1 : 0)
        let left = options.deadline.remaining
        if left.isFinite { Cbc_setMaximumSeconds(m, max(0.01, left)) }
        Cbc_setAllowableFractionGap(m, options.relativeGap)
        Cbc_setAllowableGap(m, options.absoluteGap)
        if options.effort == .full && left < 2 {
            // CBC 2.10 has been seen to crash in CGL when its time limit strikes inside preprocessing; with under
            // two seconds left, skip preprocessing.
            Cbc_setParameter(m, "preprocess", "off")
        }
        if options.effort == .lean {
            for (k, v) in [("preprocess", "off"), ("heuristics", "off"), ("cuts", "off"), ("strongBranching", "0"), ("trustPseudoCosts", "0")] {
                Cbc_setParameter(m, k, v)
            }
        }
        for (k, v) in options.parameters { Cbc_setParameter(m, k, v) }
        if let n = options.nodeLimit { Cbc_setMaximumNodes(m, Int32(clamping: n)) }
        var startObjective: Double?
        if let x = options.start, x.count == model.numberOfVariables, model.violation(x, tolerance: 1e-6) == nil {
            let vals = p.integerColumns.map { x[Int($0)].rounded() }
            p.integerColumns.withUnsafeBufferPointer { ix in vals.withUnsafeBufferPointer { v in
                Cbc_setMIPStartI(m, Int32(ix.count), ix.baseAddress, v.baseAddress)
            } }
            startObjective = model.objective(x)
        }
        Cbc_solve(m)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        let nodes = Int(Cbc_getNodeCount(m))
        var bound = Cbc_getBestPossibleObjValue(m) + p.offset
        if !bound.isFinite || abs(bound) > 1e300 { bound = -.infinity }

        var solution: MIPSolution?
        if Cbc_bestSolution(m) != nil || Cbc_numberSavedSolutions(m) > 0 {
            let x = Array(UnsafeBufferPointer(start: Cbc_getColSolution(m), count: model.numberOfVariables))
            var cleaned = x
            for j in p.integerColumns { cleaned[Int(j)] = x[Int(j)].rounded() }
            if model.violation(cleaned, tolerance: 1e-5) == nil {
                solution = MIPSolution(values: cleaned, objective: model.objective(cleaned), bound: bound, nodes: nodes, seconds: seconds)
            }
        }
        // CBC may end without reporting a start it was given as its own incumbent; keep the better point.
        if let x = options.start, let so = startObjective, solution == nil || so < solution!.objective - 1e-9 {
            solution = MIPSolution(values: x, objective: so, bound: bound, nodes: nodes, seconds: seconds)
        }
        if Cbc_isProvenInfeasible(m) != 0 && solution == nil { return .infeasible }
        if Cbc_isContinuousUnbounded(m) != 0 && solution == nil { return .unbounded }
        guard var s = solution else {
            if Cbc_isSecondsLimitReached(m) != 0 || Cbc_isNodeLimitReached(m) != 0 { return .timeLimit(bound: bound.isFinite ? bound : nil) }
            return .failed("CBC ended without a solution (status \(Cbc_status(m)), secondary \(Cbc_secondaryStatus(m)))")
        }
        if Cbc_isProvenOptimal(m) != 0 {
            // Proven within the allowed gaps: the bound is at least objective - allowed gap.
            s.bound = max(bound, s.objective - max(options.absoluteGap, options.relativeGap * abs(s.objective)))
            if s.bound > s.objective { s.bound = s.objective }
            return .optimal(s)
        }
        if s.bound > s.objective { s.bound = s.objective }
        let reason: StopReason = Cbc_isSecondsLimitReached(m) != 0 ? .deadline : (Cbc_isAbandoned(m) != 0 ? .numerical : .nodeLimit)
        return .feasible(s, stoppedBy: reason)
    }
}
