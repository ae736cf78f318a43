import Foundation
import Testing
@testable import Scheduling

/// One rule per file in Sources/Scheduling/Constraints, each registered once (swift-format's registry pattern).
@Suite struct RegistryTests {
    static let constraintsDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/Scheduling/Constraints")

    @Test func everyRuleFileIsRegistered() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.constraintsDir.path).filter { $0.hasSuffix(".swift") && $0 != "RuleRegistry.swift" }
        #expect(!files.isEmpty)
        var fileIDs: [String] = []
        for f in files {
            let text = try String(contentsOf: Self.constraintsDir.appendingPathComponent(f), encoding: .utf8)
            let ids = text.components(separatedBy: "static let id = \"").dropFirst().compactMap { $0.split(separator: "\"").first.map(String.init) }
            #expect(ids.count == 1, "\(f) must declare exactly one rule (static let id = \"...\")")
            fileIDs += ids
            for id in ids { #expect(RuleRegistry.ids.contains(id), "rule \(id) in \(f) is not in RuleRegistry.all") }
        }
        #expect(Set(fileIDs) == Set(RuleRegistry.ids))
        #expect(Set(RuleRegistry.ids).count == RuleRegistry.ids.count, "rule ids must be unique")
    }

    @Test func everyRuleHasASummaryAndAWeight() {
        var s = RuleSettings()
        s.weights["paid-hours"] = 2
        for r in RuleRegistry.rules(s) {
            #expect(!type(of: r).summary.isEmpty)
            #expect(r.weight == (r.id == "paid-hours" ? 2 : 1))
        }
    }
}
