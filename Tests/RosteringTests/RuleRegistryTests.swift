import Foundation
import Testing
@testable import Rostering

@Suite struct RuleRegistryTests {
    static let rulesDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/Rostering/Rules").path

    /// Fails when a rule file in Sources/Rostering/Rules is not in RuleRegistry.all.
    @Test func everyRuleFileIsRegistered() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.rulesDir)
            .filter { $0.hasSuffix("Rule.swift") && $0 != "RosterRule.swift" }
            .map { String($0.dropLast(".swift".count)) }.sorted()
        let registered = RuleRegistry.all.map { String(describing: type(of: $0)) }.sorted()
        #expect(files == registered)
        #expect(files.count >= 12)
    }

    @Test func idsAreUniqueAndHardSoftSplit() {
        let ids = RuleRegistry.all.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(RuleRegistry.hard.count == 9)
        #expect(RuleRegistry.soft.count == 4)
        #expect(RuleRegistry.soft.allSatisfy { $0.weight > 0 })
    }
}
