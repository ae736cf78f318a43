import Foundation
import Ingest
import PlanningCore
import Store

/// Ingest with parsing and writing overlapped: a thread parses and validates each file and hands over rows
/// in chunks, while this thread upserts them inside the one transaction of the whole ingest. Whole-file
/// checks (duplicates, intervals, grid) finish the parse; if any check fails the transaction is rolled back,
/// so the store is exactly as before. Time is about max(parse, write) instead of their sum.
public enum IngestPipeline {
    /// A bounded hand-over queue between the parsing thread and the writer.
    final class ChunkQueue: @unchecked Sendable {
        private let cond = NSCondition()
        private var items: [HistoryChunk] = []
        private var done = false
        private var result: Result<HistoryBatch, InputError>?
        private let capacity = 8

        func put(_ c: HistoryChunk) {
            cond.lock()
            while items.count >= capacity && !done { cond.wait() }
            items.append(c)
            cond.broadcast()
            cond.unlock()
        }

        func finish(_ r: Result<HistoryBatch, InputError>) {
            cond.lock(); result = r; done = true; cond.broadcast(); cond.unlock()
        }

        /// Next chunk, or nil when the parser finished (then `result` is set).
        func take() -> HistoryChunk? {
            cond.lock()
            defer { cond.unlock() }
            while items.isEmpty && result == nil { cond.wait() }
            if items.isEmpty { return nil }
            let c = items.removeFirst()
            cond.broadcast()
            return c
        }

        func finalResult() -> Result<HistoryBatch, InputError> {
            cond.lock(); defer { cond.unlock() }
            return result!
        }

        /// Unblocks the parser when the writer gives up.
        func abandon() { cond.lock(); done = true; items.removeAll(); cond.broadcast(); cond.unlock() }
    }

    final class ParserBox: @unchecked Sendable {
        var parser: HistoryParser
        let path: String
        init(_ p: HistoryParser, _ path: String) { parser = p; self.path = path }
    }

    /// Parses and writes `files` in one transaction. `makeParser` gets the intervals known so far.
    public static func run(
        store: Store, files: [String], defaultInterval: Int, known initial: [String: Int],
        makeParser: ([String: Int]) -> HistoryParser, onBatch: (HistoryBatch) -> Void = { _ in }
    ) throws -> Store.IngestReport {
        var known = initial
        let writer = try IngestWriter(store: store)
        do {
            for path in files {
                let queue = ChunkQueue()
                var parser = makeParser(known)
                parser.chunkSink = { queue.put($0) }
                let box = ParserBox(parser, path)
                let thread = Thread {
                    queue.finish(Result { () throws(InputError) -> HistoryBatch in try box.parser.parse(path: box.path) })
                }
                thread.stackSize = 8 << 20
                thread.start()
                try writer.beginFile(source: path == "-" ? "<stdin>" : path)
                let snapshot = known
                do {
                    while let chunk = queue.take() {
                        try writer.write(chunk) { snapshot[$0] ?? defaultInterval }
                    }
                } catch {
                    queue.abandon()
                    _ = queue.take()
                    throw error
                }
                let batch = try queue.finalResult().get()
                onBatch(batch)
                try writer.endFile(batch)
                for (k, name) in batch.channels.enumerated() where known[name] == nil { known[name] = batch.intervalMinutes[k] }
            }
            return try writer.commit()
        } catch {
            writer.rollback()
            throw error
        }
    }
}
