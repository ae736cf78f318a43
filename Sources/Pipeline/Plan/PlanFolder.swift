import Foundation

/// The plan's output folder: written as plan.partial-PID and switched in at the end, so a plan that fails (or
/// is killed) never leaves plan/ a mix of two runs.
public enum PlanFolder {
    /// Replaces `final` with the finished folder `staged`: the previous plan is moved aside first and removed
    /// only after the switch (put back if the switch fails).
    public static func switchIn(_ staged: String, as final: String) throws {
        let fm = FileManager.default
        let old = final + ".old-\(getpid())"
        let hadOld = fm.fileExists(atPath: final)
        if hadOld { try fm.moveItem(atPath: final, toPath: old) }
        do { try fm.moveItem(atPath: staged, toPath: final) } catch {
            if hadOld { try? fm.moveItem(atPath: old, toPath: final) }
            throw PlanError("cannot move the new plan into \(final): \(error.localizedDescription)", .cantCreate)
        }
        if hadOld { try? fm.removeItem(atPath: old) }
    }

    /// Folders a killed plan left beside plan/ (plan.partial-PID, plan.old-PID of processes no longer running);
    /// a plan.old-* whose plan/ is missing is put back first.
    public static func removeLeftovers(_ final: String) {
        let fm = FileManager.default
        let dir = (final as NSString).deletingLastPathComponent, base = (final as NSString).lastPathComponent
        for name in (try? fm.contentsOfDirectory(atPath: dir)) ?? [] {
            for kind in [".partial-", ".old-"] where name.hasPrefix(base + kind) {
                guard let pid = Int32(name.dropFirst(base.count + kind.count)), kill(pid, 0) != 0 || pid == getpid() else { continue }
                let path = (dir as NSString).appendingPathComponent(name)
                if kind == ".old-" && !fm.fileExists(atPath: final) { try? fm.moveItem(atPath: path, toPath: final) } else { try? fm.removeItem(atPath: path) }
            }
        }
    }
}
