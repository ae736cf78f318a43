import CLapack
#if canImport(Glibc)
import Glibc
#endif

/// A dense column-major matrix of doubles (the layout LAPACK wants).
public struct Matrix: Equatable, Sendable {
    public let rows: Int
    public let cols: Int
    public var data: [Double]

    public init(rows: Int, cols: Int, repeating v: Double = 0) {
        self.rows = rows
        self.cols = cols
        data = [Double](repeating: v, count: rows * cols)
    }

    /// From row-major nested arrays (convenient in tests).
    public init(_ rowsArray: [[Double]]) {
        rows = rowsArray.count
        cols = rowsArray.first?.count ?? 0
        data = [Double](repeating: 0, count: rows * cols)
        for i in 0..<rows { for j in 0..<cols { data[j * rows + i] = rowsArray[i][j] } }
    }

    @inlinable public subscript(i: Int, j: Int) -> Double {
        get { data[j * rows + i] }
        set { data[j * rows + i] = newValue }
    }
}

public enum LinearAlgebraError: Error, CustomStringConvertible, Equatable, Sendable {
    case dimensionMismatch(String)
    case notPositiveDefinite(minor: Int)
    case rankDeficient
    case lapack(routine: String, info: Int32)

    public var description: String {
        switch self {
        case .dimensionMismatch(let s): return "dimension mismatch: \(s)"
        case .notPositiveDefinite(let k): return "matrix is not positive definite (leading minor \(k)); add ridge regularisation"
        case .rankDeficient: return "design matrix is rank deficient; drop collinear columns or add ridge regularisation"
        case .lapack(let r, let info): return "LAPACK \(r) failed with info \(info)"
        }
    }
}

public enum LinearAlgebra {
    /// OpenBLAS, when it serves LAPACK/BLAS, splits work across threads in a way that changes the order of
    /// floating-point sums, so results could differ run to run and machine to machine. PeakPlan fixes it to
    /// one thread (looked up at run time, so the reference LAPACK works too): identical results everywhere.
    static let deterministic: Bool = {
        #if canImport(Glibc)
        if let handle = dlopen(nil, RTLD_NOW), let sym = dlsym(handle, "openblas_set_num_threads") {
            typealias SetThreads = @convention(c) (Int32) -> Void
            unsafeBitCast(sym, to: SetThreads.self)(1)
            return true
        }
        #endif
        return false
    }()

    /// Ridge regression: argmin ||X b - y||^2 + sum_j penalty_j b_j^2, solved by the normal equations
    /// (X^T X + diag(penalty)) b = X^T y with `dsyrk` + `dposv` (Cholesky). About 5x cheaper than QR for
    /// tall matrices; accuracy is ample when the penalty keeps the system well conditioned.
    /// `weights` (optional, >= 0) weight each row's squared error.
    public static func ridge(_ x: Matrix, _ y: [Double], penalty: [Double], weights: [Double]? = nil) throws(LinearAlgebraError) -> [Double] {
        _ = deterministic
        guard y.count == x.rows else { throw .dimensionMismatch("X has \(x.rows) rows, y has \(y.count)") }
        guard penalty.count == x.cols else { throw .dimensionMismatch("X has \(x.cols) columns, penalty has \(penalty.count)") }
        var xw = x
        var yw = y
        if let w = weights {
            guard w.count == x.rows else { throw .dimensionMismatch("weights \(w.count) vs rows \(x.rows)") }
            for i in 0..<x.rows {
                let s = w[i].squareRoot()
                yw[i] *= s
                for j in 0..<x.cols { xw.data[j * x.rows + i] *= s }
            }
        }
        var n = Int32(x.cols), k = Int32(x.rows)
        guard n > 0 else { return [] }
        var gram = [Double](repeating: 0, count: x.cols * x.cols)
        var alpha = 1.0, beta = 0.0
        var lda = max(k, 1), ldc = n
        "U".withCString { u in "T".withCString { t in
            dsyrk_(u, t, &n, &k, &alpha, xw.data, &lda, &beta, &gram, &ldc)
        } }
        for j in 0..<x.cols { gram[j * x.cols + j] += penalty[j] }
        var rhs = [Double](repeating: 0, count: x.cols)
        var one: Int32 = 1
        "T".withCString { t in dgemv_(t, &k, &n, &alpha, xw.data, &lda, yw, &one, &beta, &rhs, &one) }
        var info: Int32 = 0
        var nrhs: Int32 = 1
        var ldb = n
        "U".withCString { u in dposv_(u, &n, &nrhs, &gram, &ldc, &rhs, &ldb, &info) }
        if info > 0 { throw .notPositiveDefinite(minor: Int(info)) }
        if info < 0 { throw .lapack(routine: "dposv", info: info) }
        return rhs
    }

    /// Least squares min ||X b - y|| by QR (`dgels`); X must have full column rank.
    public static func leastSquares(_ x: Matrix, _ y: [Double]) throws(LinearAlgebraError) -> [Double] {
        _ = deterministic
        guard y.count == x.rows else { throw .dimensionMismatch("X has \(x.rows) rows, y has \(y.count)") }
        guard x.rows >= x.cols else { throw .dimensionMismatch("need at least as many rows (\(x.rows)) as columns (\(x.cols))") }
        var a = x.data
        var b = y
        var m = Int32(x.rows), n = Int32(x.cols), nrhs: Int32 = 1, lda = max(m, 1), ldb = max(m, 1), info: Int32 = 0
        var lwork: Int32 = -1
        var wq = 0.0
        "N".withCString { t in dgels_(t, &m, &n, &nrhs, &a, &lda, &b, &ldb, &wq, &lwork, &info) }
        lwork = Int32(wq)
        var work = [Double](repeating: 0, count: Int(max(lwork, 1)))
        "N".withCString { t in dgels_(t, &m, &n, &nrhs, &a, &lda, &b, &ldb, &work, &lwork, &info) }
        if info > 0 { throw .rankDeficient }
        if info < 0 { throw .lapack(routine: "dgels", info: info) }
        return Array(b.prefix(x.cols))
    }

    /// Thin SVD X = U diag(s) V^T (`dgesdd`). Returns U (rows x k), s (k), V^T (k x cols), k = min(rows, cols).
    public static func svd(_ x: Matrix) throws(LinearAlgebraError) -> (u: Matrix, s: [Double], vt: Matrix) {
        _ = deterministic
        let k = min(x.rows, x.cols)
        var a = x.data
        var m = Int32(x.rows), n = Int32(x.cols), lda = max(m, 1)
        var s = [Double](repeating: 0, count: k)
        var u = Matrix(rows: x.rows, cols: k)
        var vt = Matrix(rows: k, cols: x.cols)
        var ldu = max(m, 1), ldvt = Int32(max(k, 1))
        var iwork = [Int32](repeating: 0, count: 8 * k)
        var info: Int32 = 0, lwork: Int32 = -1
        var wq = 0.0
        "S".withCString { j in dgesdd_(j, &m, &n, &a, &lda, &s, &u.data, &ldu, &vt.data, &ldvt, &wq, &lwork, &iwork, &info) }
        lwork = Int32(wq)
        var work = [Double](repeating: 0, count: Int(max(lwork, 1)))
        "S".withCString { j in dgesdd_(j, &m, &n, &a, &lda, &s, &u.data, &ldu, &vt.data, &ldvt, &work, &lwork, &iwork, &info) }
        if info != 0 { throw .lapack(routine: "dgesdd", info: info) }
        return (u, s, vt)
    }
}
