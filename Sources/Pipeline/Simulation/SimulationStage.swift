import Foundation
import Simulation

/// The simulation stage's inputs.
public enum SimulationStage {
    /// Reads a ccsim/1 file: missing or unreadable -> exit 66; bad content -> exit 65 naming file and field.
    public static func loadInstance(_ path: String) throws -> SimInstance {
        guard FileManager.default.fileExists(atPath: path) else {
            throw PlanError("\(path): no such file. Fix: give the path of a ccsim/1 instance (e.g. Datasets/simulation/erlang_c_check.json)", .noInput)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PlanError("\(path): cannot read the file", .noInput)
        }
        do { return try SimInstance.decode(data) } catch {
            throw PlanError("\(path): \(error.description)", .dataError)
        }
    }
}
