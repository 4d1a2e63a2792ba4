/// An immutable array copied once into memory that never moves, so hot loops can keep raw pointers to it
/// without a closure per array. Freed with the last reference.
final class PinnedArray<Element: BitwiseCopyable & Sendable>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>
    let count: Int

    init(_ values: [Element]) {
        count = values.count
        base = .allocate(capacity: max(values.count, 1))
        values.withUnsafeBufferPointer { if let source = $0.baseAddress { base.initialize(from: source, count: $0.count) } }
    }

    deinit { base.deallocate() }
}
