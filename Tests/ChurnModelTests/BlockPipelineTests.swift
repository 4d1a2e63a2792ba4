import Glibc
import Synchronization
import Testing
@testable import ChurnModel

@Suite("The block pipeline: work on several threads, results in order")
struct BlockPipelineTests {
    struct Failure: Error, Equatable { let at: Int }

    /// Items 0..<count; work takes a few random microseconds, so results come back out of order.
    final class Source: @unchecked Sendable {
        let count: Int
        let failAt: Int?
        let next = Atomic<Int>(0)
        let outstanding = Atomic<Int>(0)
        let most = Atomic<Int>(0)

        init(count: Int, failAt: Int? = nil) {
            self.count = count
            self.failAt = failAt
        }

        func take() throws -> Int? {
            let k = next.load(ordering: .relaxed)
            if k == failAt { throw Failure(at: k) }
            guard k < count else { return nil }
            next.store(k + 1, ordering: .relaxed)
            let now = outstanding.add(1, ordering: .relaxed).newValue
            while true {
                let seen = most.load(ordering: .relaxed)
                if now <= seen || most.compareExchange(expected: seen, desired: now, ordering: .relaxed).exchanged { break }
            }
            return k
        }
    }

    static func work(_ k: Int) -> Int {
        usleep(UInt32.random(in: 0...300))
        return k * 2
    }

    @Test("every result reaches the consumer once, in input order, with at most a window of items out", .timeLimit(.minutes(1)))
    func inOrder() throws {
        for (workers, window) in [(1, 1), (2, 4), (3, 3), (4, 9)] {
            let source = Source(count: 400)
            var seen: [Int] = []
            try BlockPipeline<Int, Int>(workers: workers, window: window).run(
                next: { try source.take() }, work: { BlockPipelineTests.work($0) },
                consume: { seen.append($0); source.outstanding.subtract(1, ordering: .relaxed) })
            #expect(seen == (0..<400).map { $0 * 2 }, "\(workers) workers, window \(window)")
            #expect(source.most.load(ordering: .relaxed) <= max(window, workers), "\(workers) workers, window \(window)")
        }
    }

    @Test("an error of the producer comes out after the items it produced before it", .timeLimit(.minutes(1)))
    func producerError() {
        let source = Source(count: 400, failAt: 150)
        var seen: [Int] = []
        #expect(throws: Failure(at: 150)) {
            try BlockPipeline<Int, Int>(workers: 3, window: 6).run(
                next: { try source.take() }, work: { BlockPipelineTests.work($0) }, consume: { seen.append($0) })
        }
        #expect(seen == (0..<150).map { $0 * 2 })
    }

    @Test("an error of the consumer stops the pipeline: the run returns with it and no thread is left waiting", .timeLimit(.minutes(1)))
    func consumerError() {
        for _ in 0..<20 {
            let source = Source(count: 10_000)
            #expect(throws: Failure(at: 60)) {
                try BlockPipeline<Int, Int>(workers: 3, window: 5).run(
                    next: { try source.take() }, work: { BlockPipelineTests.work($0) },
                    consume: { if $0 == 120 { throw Failure(at: 60) } })
            }
            // The producer stopped within a window of where the consumer did.
            #expect(source.next.load(ordering: .relaxed) < 60 + 5 + 3 + 2)
        }
    }
}
