import Foundation

/// Waits for `condition` to hold, checking it every 20 ms until `deadline` seconds have passed; returns whether it
/// held. The one place tests wait: they wait for a condition with a generous deadline, never for a fixed time.
@discardableResult
public func poll(until condition: () async throws -> Bool, deadline: Double = 60) async rethrows -> Bool {
    let end = ContinuousClock.now + .milliseconds(Int(deadline * 1000))
    while true {
        if try await condition() { return true }
        if ContinuousClock.now >= end { return false }
        try? await Task.sleep(for: .milliseconds(20))
    }
}

/// `poll(until:deadline:)` for code on a Dispatch thread (blocking, never on the Swift concurrency pool).
@discardableResult
public func pollBlocking(until condition: () throws -> Bool, deadline: Double = 60) rethrows -> Bool {
    let end = ContinuousClock.now + .milliseconds(Int(deadline * 1000))
    while true {
        if try condition() { return true }
        if ContinuousClock.now >= end { return false }
        usleep(20_000)
    }
}

/// Suspends until the calling task is cancelled: a stand-in for a peer that never answers.
public func waitUntilCancelled() async {
    let (stream, continuation) = AsyncStream<Never>.makeStream()
    for await _ in stream {}
    continuation.finish()
}
