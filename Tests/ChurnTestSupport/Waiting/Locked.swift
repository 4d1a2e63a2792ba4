import Foundation

/// A value shared between a test and the threads of a helper (a server's request log, its canned answers), with
/// the same `withLock` as `Mutex` but copyable, so helpers can hand it out and capture it in closures.
public final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) {
        self.value = value
    }

    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
