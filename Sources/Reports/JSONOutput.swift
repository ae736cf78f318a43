import Foundation

/// The JSON renderer for results: any `Encodable` value, keys in the order the value encodes them (declaration
/// order for synthesized conformances), numbers in their shortest form (integral values without a fraction,
/// non-finite values as null). Layout `.rows` (the default): a top-level array prints one element per line,
/// everything else on one line. Layout `.sections`: a top-level object prints one member per line, and a member
/// that is a non-empty array one element per line. Every `--format json` output goes through here or through
/// `Table.renderJSON`, so each is one document.
public enum JSONOutput {
    public enum Layout: Sendable { case rows, sections }

    public static func render<T: Encodable>(_ value: T, layout: Layout = .rows) -> String {
        let encoder = NodeEncoder(box: NodeBox())
        do { try value.encode(to: encoder) } catch {
            // Our encoder never throws; a value that throws from its own encode(to:) is a programming error.
            preconditionFailure("JSONOutput: \(error)")
        }
        let node = encoder.box.resolved
        switch (node, layout) {
        case (.array(let items), _) where !items.isEmpty:
            return "[\n" + items.map { "  " + $0.compact }.joined(separator: ",\n") + "\n]\n"
        case (.object(let members), .sections) where !members.isEmpty:
            let lines = members.map { key, value in
                let head = "  " + JSON.quote(key) + ": "
                guard case .array(let items) = value, !items.isEmpty else { return head + value.compact }
                return head + "[\n" + items.map { "    " + $0.compact }.joined(separator: ",\n") + "\n  ]"
            }
            return "{\n" + lines.joined(separator: ",\n") + "\n}\n"
        default:
            return node.compact + "\n"
        }
    }

    /// A number rounded to `decimals` places, encoded as a JSON number (null when not finite). With `pythonFloat`, an
    /// integral result keeps a fraction (`2.0`), as Python's `json` writes a float (the SimPy reference's outputs).
    public struct Rounded: Encodable, Sendable, Equatable, SpelledNumber {
        public var value: Double
        public var decimals: Int
        public var pythonFloat: Bool
        public init(_ value: Double, _ decimals: Int, pythonFloat: Bool = false) {
            self.value = value
            self.decimals = decimals
            self.pythonFloat = pythonFloat
        }
        var rounded: Double {
            let p = pow(10.0, Double(decimals))
            return (value * p).rounded() / p
        }
        var node: JSONNode { pythonFloat ? PythonFloat(rounded).node : .number(rounded) }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            if value.isFinite { try c.encode(rounded) } else { try c.encodeNil() }
        }
    }

    /// A number in its shortest round-trip form, always with a fraction or an exponent (`3.0`, `0.25`,
    /// `1e-05`), as Python writes a float; null when not finite.
    public struct PythonFloat: Encodable, Sendable, Equatable, SpelledNumber {
        public var value: Double
        public init(_ value: Double) { self.value = value }
        var node: JSONNode {
            guard value.isFinite else { return .null }
            if value == value.rounded() && abs(value) < 1e15 { return .number(String(format: "%.1f", value)) }
            return .number("\(value)")
        }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            if value.isFinite { try c.encode(value) } else { try c.encodeNil() }
        }
    }

    /// A number with exactly `decimals` fraction digits (`%.Nf`, as `Table` writes a number cell); null when
    /// not finite.
    public struct Fixed: Encodable, Sendable, Equatable, SpelledNumber {
        public var value: Double
        public var decimals: Int
        public init(_ value: Double, _ decimals: Int) {
            self.value = value
            self.decimals = decimals
        }
        var node: JSONNode { value.isFinite ? .number(String(format: "%.\(decimals)f", value)) : .null }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            if value.isFinite { try c.encode(Double(String(format: "%.\(decimals)f", value)) ?? value) } else { try c.encodeNil() }
        }
    }

    /// An object with keys in a given order (for results whose keys are data, such as shares per queue).
    public struct OrderedObject<Value: Encodable>: Encodable {
        public var pairs: [(String, Value)]
        public init(_ pairs: [(String, Value)]) { self.pairs = pairs }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: AnyKey.self)
            for (k, v) in pairs { try c.encode(v, forKey: AnyKey(k)) }
        }
    }

    public struct AnyKey: CodingKey {
        public var stringValue: String
        public var intValue: Int? { nil }
        public init(_ s: String) { stringValue = s }
        public init?(stringValue: String) { self.stringValue = stringValue }
        public init?(intValue: Int) { nil }
    }
}

/// A number type that decides its own JSON spelling (our encoder writes `node` as it is).
protocol SpelledNumber { var node: JSONNode { get } }

indirect enum JSONNode {
    case null, bool(Bool), number(String), string(String), array([JSONNode]), object([(String, JSONNode)])

    var compact: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n
        case .string(let s): return JSON.quote(s)
        case .array(let a): return "[" + a.map(\.compact).joined(separator: ", ") + "]"
        case .object(let o): return "{" + o.map { JSON.quote($0.0) + ": " + $0.1.compact }.joined(separator: ", ") + "}"
        }
    }

    static func number(_ x: Double) -> JSONNode {
        guard x.isFinite else { return .null }
        if x == x.rounded() && abs(x) < 1e15 { return .number(String(Int64(x))) }
        return .number("\(x)")
    }
}

/// A node under construction: a value, an ordered object of boxes, or an array of boxes.
final class NodeBox {
    enum Content { case value(JSONNode), object([(String, NodeBox)]), array([NodeBox]) }
    var content: Content = .value(.null)

    var resolved: JSONNode {
        switch content {
        case .value(let n): return n
        case .object(let pairs): return .object(pairs.map { ($0.0, $0.1.resolved) })
        case .array(let items): return .array(items.map(\.resolved))
        }
    }

    func child(forKey key: String) -> NodeBox {
        let b = NodeBox()
        if case .object(var pairs) = content {
            if let i = pairs.firstIndex(where: { $0.0 == key }) { pairs[i].1 = b } else { pairs.append((key, b)) }
            content = .object(pairs)
        } else {
            content = .object([(key, b)])
        }
        return b
    }

    func appendChild() -> NodeBox {
        let b = NodeBox()
        if case .array(var items) = content { items.append(b); content = .array(items) } else { content = .array([b]) }
        return b
    }
}

struct NodeEncoder: Encoder {
    let box: NodeBox
    var codingPath: [CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object = box.content {} else { box.content = .object([]) }
        return KeyedEncodingContainer(Keyed<Key>(box: box, codingPath: codingPath))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer {
        if case .array = box.content {} else { box.content = .array([]) }
        return Unkeyed(box: box, codingPath: codingPath)
    }

    func singleValueContainer() -> SingleValueEncodingContainer { Single(box: box, codingPath: codingPath) }

    /// Encodes a leaf or a nested value into `box`.
    static func put<T: Encodable>(_ value: T, into box: NodeBox, path: [CodingKey]) throws {
        switch value {
        case let x as Double: box.content = .value(.number(x))
        case let x as Float: box.content = .value(.number(Double(x)))
        case let x as Int: box.content = .value(.number(String(x)))
        case let x as Int64: box.content = .value(.number(String(x)))
        case let x as Int32: box.content = .value(.number(String(x)))
        case let x as UInt64: box.content = .value(.number(String(x)))
        case let x as UInt: box.content = .value(.number(String(x)))
        case let x as Bool: box.content = .value(.bool(x))
        case let x as String: box.content = .value(.string(x))
        case let x as any SpelledNumber: box.content = .value(x.node)
        default: try value.encode(to: NodeEncoder(box: box, codingPath: path))
        }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let box: NodeBox
        var codingPath: [CodingKey]
        mutating func encodeNil(forKey key: Key) throws { box.child(forKey: key.stringValue).content = .value(.null) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try NodeEncoder.put(value, into: box.child(forKey: key.stringValue), path: codingPath + [key])
        }
        // Absent optionals are written as null (every key of a result is always there).
        mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }
        mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }
        mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }
        mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }
        mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }
        mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }
        mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }
        mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }
        mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }
        mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }
        mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }
        mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }
        mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }
        mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }
        mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) } }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            let b = box.child(forKey: key.stringValue)
            b.content = .object([])
            return KeyedEncodingContainer(Keyed<NestedKey>(box: b, codingPath: codingPath + [key]))
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
            let b = box.child(forKey: key.stringValue)
            b.content = .array([])
            return Unkeyed(box: b, codingPath: codingPath + [key])
        }
        mutating func superEncoder() -> Encoder { NodeEncoder(box: box.child(forKey: "super"), codingPath: codingPath) }
        mutating func superEncoder(forKey key: Key) -> Encoder { NodeEncoder(box: box.child(forKey: key.stringValue), codingPath: codingPath + [key]) }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let box: NodeBox
        var codingPath: [CodingKey]
        var count: Int {
            if case .array(let items) = box.content { return items.count }
            return 0
        }
        mutating func encodeNil() throws { box.appendChild().content = .value(.null) }
        mutating func encode<T: Encodable>(_ value: T) throws { try NodeEncoder.put(value, into: box.appendChild(), path: codingPath) }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let b = box.appendChild()
            b.content = .object([])
            return KeyedEncodingContainer(Keyed<NestedKey>(box: b, codingPath: codingPath))
        }
        mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
            let b = box.appendChild()
            b.content = .array([])
            return Unkeyed(box: b, codingPath: codingPath)
        }
        mutating func superEncoder() -> Encoder { NodeEncoder(box: box.appendChild(), codingPath: codingPath) }
    }

    struct Single: SingleValueEncodingContainer {
        let box: NodeBox
        var codingPath: [CodingKey]
        mutating func encodeNil() throws { box.content = .value(.null) }
        mutating func encode<T: Encodable>(_ value: T) throws { try NodeEncoder.put(value, into: box, path: codingPath) }
    }
}
