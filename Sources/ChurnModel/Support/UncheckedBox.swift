/// Carries a value into concurrent workers that each touch a disjoint part of it (a buffer, a closure over buffers).
///
/// The compiler cannot see that the parts are disjoint (or that only one thread uses the value, as with the batch
/// pipeline's reader); the callers guarantee it.
struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
