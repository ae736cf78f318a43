import Foundation

/// Quality-and-efficiency-driven (QED) limits of P(wait > 0). They are the asymptotic formulas' own values,
/// not the exact models: use them for intuition and square-root staffing, and `ErlangC` / `ErlangA` for numbers.
/// The `*_approx` rows of `Datasets/benchmarks/erlang/erlang_reference.csv` test these functions.
public enum QEDApproximation {
    /// Halfin & Whitt, "Heavy-traffic limits for queues with many exponential servers", Operations Research
    /// 29(3) (1981) 567-588: with beta = (n - R) / sqrt(R), R = offered load,
    /// P(wait > 0) ~ [1 + beta Phi(beta) / phi(beta)]^-1. Meaningful for beta > 0 (n > R).
    public static func halfinWhittProbWait(agents n: Double, load r: Double) -> Double {
        let beta = (n - r) / r.squareRoot()
        return 1 / (1 + beta * normalCDF(beta) / normalPDF(beta))
    }

    /// Garnett, Mandelbaum & Reiman, "Designing a call center with impatient customers", MSOM 4(3) (2002)
    /// 208-227, Erlang A: with beta = (n - R) / sqrt(R) (any sign) and r = sqrt(mu / theta) = sqrt(patience / AHT),
    /// P(wait > 0) ~ [1 + h(beta r) / (r h(-beta))]^-1, h(x) = phi(x) / (1 - Phi(x)) the standard normal hazard rate.
    public static func garnettMandelbaumReimanProbWait(agents n: Double, load r: Double, ahtSeconds: Double,
                                                       patienceSeconds: Double) -> Double {
        let beta = (n - r) / r.squareRoot()
        let s = (patienceSeconds / ahtSeconds).squareRoot()
        return 1 / (1 + normalHazard(beta * s) / (s * normalHazard(-beta)))
    }

    static func normalPDF(_ x: Double) -> Double { exp(-0.5 * x * x) / (2 * Double.pi).squareRoot() }
    static func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// phi(x) / (1 - Phi(x)); for x > 8 through Laplace's continued fraction for the Mills ratio
    /// (1 - Phi)/phi = 1/(x + 1/(x + 2/(x + 3/(x + ...)))), which avoids erfc underflow.
    static func normalHazard(_ x: Double) -> Double {
        if x <= 8 { return normalPDF(x) / (0.5 * erfc(x / 2.0.squareRoot())) }
        var v = x
        for k in stride(from: 80, through: 1, by: -1) { v = x + Double(k) / v }
        return v
    }
}
