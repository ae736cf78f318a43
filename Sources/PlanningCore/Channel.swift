/// Interval lengths PeakPlan plans in (minutes). Each divides a day evenly.
public enum IntervalLength {
    public static let allowedMinutes: [Int] = [5, 6, 10, 15, 30, 60]
    public static func isAllowed(_ m: Int) -> Bool { allowedMinutes.contains(m) }
    public static var allowedText: String { allowedMinutes.map(String.init).joined(separator: ", ") }
}

/// The kind of contact a channel carries; it decides the staffing model used later.
public enum ChannelKind: String, CaseIterable, Sendable, Codable {
    case voice, chat, email, social, app, backoffice
}

/// One queue/channel declared in the workspace configuration.
public struct ChannelConfig: Equatable, Sendable {
    public var name: String
    public var kind: ChannelKind
    /// Interval length in minutes; nil means "detected from the first ingest".
    public var intervalMinutes: Int?
    /// Service target overrides; nil falls back to `[service]`.
    public var serviceLevel: Double?
    public var answerSeconds: Double?

    public init(name: String, kind: ChannelKind = .voice, intervalMinutes: Int? = nil,
                serviceLevel: Double? = nil, answerSeconds: Double? = nil) {
        self.name = name
        self.kind = kind
        self.intervalMinutes = intervalMinutes
        self.serviceLevel = serviceLevel
        self.answerSeconds = answerSeconds
    }
}

/// Service targets applied to every channel unless the channel overrides them.
public struct ServiceTargets: Equatable, Sendable {
    /// Fraction of contacts answered within `answerSeconds` (0, 1].
    public var serviceLevel: Double = 0.80
    public var answerSeconds: Double = 20
    /// Upper bound on agent occupancy (0, 1].
    public var maxOccupancy: Double = 0.85
    /// Share of paid time not available for contacts (breaks, training, absence) [0, 1).
    public var shrinkage: Double = 0.30
    public init() {}
}
