import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Runs independent pieces of work on a bounded number of threads, so a fit uses at most `threads` cores.
///
/// Work is always cut the same way whatever the thread count (pieces are indexes, rows come in fixed-size
/// chunks), and each piece is done by one worker in a fixed order; only which worker does it varies. Callers that
/// add up per-piece results do so in piece order, which keeps a fit bit-for-bit the same on 1 or 8 threads.
struct ParallelWork: Sendable {
    let threads: Int

    /// Rows per chunk for row-parallel loops: big enough that dispatch costs nothing, small enough to balance.
    static let chunkRows = 16_384

    init(threads: Int) {
        self.threads = max(1, threads)
    }

    /// Calls `body(i)` once for every i in 0..<count; workers take indexes in strides.
    func forEach(_ count: Int, _ body: (Int) -> Void) {
        let workers = min(threads, count)
        if workers <= 1 {
            for i in 0..<count { body(i) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let task = UncheckedBox(body)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                var i = w
                while i < count {
                    task.value(i)
                    i += workers
                }
            }
        }
    }

    /// The fixed chunks of `0..<rows`.
    static func chunks(_ rows: Int) -> [Range<Int>] {
        stride(from: 0, to: rows, by: chunkRows).map { $0..<min($0 + chunkRows, rows) }
    }

    /// Calls `body(range)` for every fixed chunk of `0..<rows`; the chunks are disjoint, so writes per row are safe.
    func forEachChunk(_ rows: Int, _ body: (Range<Int>) -> Void) {
        let chunks = ParallelWork.chunks(rows)
        forEach(chunks.count) { body(chunks[$0]) }
    }

    /// Sums `body(range)` over the fixed chunks of `0..<rows`, adding chunk results in chunk order.
    func sum(_ rows: Int, _ body: (Range<Int>) -> Double) -> Double {
        let chunks = ParallelWork.chunks(rows)
        var partial = [Double](repeating: 0, count: chunks.count)
        partial.withUnsafeMutableBufferPointer { out in
            let slots = UncheckedBox(out)
            forEach(chunks.count) { slots.value[$0] = body(chunks[$0]) }
        }
        return partial.reduce(0, +)
    }
}
