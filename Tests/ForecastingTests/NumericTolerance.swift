import Foundation

/// Comparing fitted states and forecasts by meaning, not bytes.
///
/// Two machines fit the same data to slightly different numbers: OpenBLAS picks its kernels per CPU (different
/// summation orders in dot products and factorisations), and glibc versions differ in the last bit of `exp` and
/// `log`. A saved model written on one machine must therefore be compared with a fit on another within stated
/// tolerances, field by field. Structure, keys, strings, booleans, integers and values chosen from a finite grid
/// compare exactly: a different choice there is a real difference, not rounding.
enum NumericTolerance {
    /// How one numeric field compares.
    struct Rule: CustomStringConvertible {
        var relative: Double
        var absolute: Double
        var reason: String

        /// Exact: integers, counts, grid choices.
        static func exact(_ reason: String) -> Rule { Rule(relative: 0, absolute: 0, reason: reason) }

        func accepts(_ a: Double, _ b: Double) -> Bool {
            if a == b { return true }
            if a.isNaN || b.isNaN || a.isInfinite || b.isInfinite { return false }
            return abs(a - b) <= max(absolute, relative * max(abs(a), abs(b)))
        }

        var description: String {
            relative == 0 && absolute == 0 ? "exact (\(reason))" : "relative \(relative), absolute \(absolute) (\(reason))"
        }
    }

    /// One difference found, with its path in the document (e.g. `state.combination.state.plan.day1[0]`).
    struct Difference: CustomStringConvertible {
        var path: String
        var message: String
        var description: String { "\(path): \(message)" }
    }

    /// A JSON document as values (decoded with `JSONDecoder`, so booleans and numbers stay apart on every platform).
    indirect enum Value: Decodable, Equatable {
        case null, bool(Bool), number(Double), string(String), array([Value]), object([String: Value])

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { self = .null }
            else if let b = try? c.decode(Bool.self) { self = .bool(b) }
            else if let d = try? c.decode(Double.self) { self = .number(d) }
            else if let s = try? c.decode(String.self) { self = .string(s) }
            else if let a = try? c.decode([Value].self) { self = .array(a) }
            else { self = .object(try c.decode([String: Value].self)) }
        }

        static func parse(_ data: Data) throws -> Value { try JSONDecoder().decode(Value.self, from: data) }
    }

    /// Walks two JSON documents side by side; `rule(path, key)` gives the tolerance of each number by the
    /// name of its nearest object key. Returns every difference (empty when they agree).
    static func compare(_ expected: Value, _ actual: Value, path: String = "", key: String = "",
                        rule: (String, String) -> Rule) -> [Difference] {
        switch (expected, actual) {
        case let (.object(e), .object(a)):
            var out: [Difference] = []
            let ek = Set(e.keys), ak = Set(a.keys)
            if ek != ak {
                out.append(Difference(path: path.isEmpty ? "(root)" : path,
                                      message: "keys differ: missing \(ek.subtracting(ak).sorted()), unexpected \(ak.subtracting(ek).sorted())"))
            }
            for k in ek.intersection(ak).sorted() {
                out += compare(e[k]!, a[k]!, path: path.isEmpty ? k : path + "." + k, key: k, rule: rule)
            }
            return out
        case let (.array(e), .array(a)):
            if e.count != a.count { return [Difference(path: path, message: "length \(a.count), expected \(e.count)")] }
            var out: [Difference] = []
            for i in e.indices { out += compare(e[i], a[i], path: "\(path)[\(i)]", key: key, rule: rule) }
            return out
        case let (.number(x), .number(y)):
            let r = rule(path, key)
            if r.accepts(x, y) { return [] }
            let rel = abs(x - y) / max(abs(x), abs(y))
            return [Difference(path: path, message: "\(y), expected \(x): differs by \(abs(x - y)) (relative \(rel)); allowed: \(r)")]
        default:
            return expected == actual ? [] : [Difference(path: path, message: "\(actual), expected \(expected)")]
        }
    }

    /// Largest relative difference per key name (for measuring how far two machines drift; not an assertion).
    static func drift(_ expected: Value, _ actual: Value, key: String = "", into out: inout [String: Double]) {
        switch (expected, actual) {
        case let (.object(e), .object(a)):
            for k in Set(e.keys).intersection(a.keys) { drift(e[k]!, a[k]!, key: k, into: &out) }
        case let (.array(e), .array(a)) where e.count == a.count:
            for i in e.indices { drift(e[i], a[i], key: key, into: &out) }
        case let (.number(x), .number(y)):
            out[key] = max(out[key] ?? 0, x == y ? 0 : abs(x - y) / max(abs(x), abs(y)))
        default: break
        }
    }
}
