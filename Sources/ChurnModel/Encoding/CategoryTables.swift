/// Every categorical column's `CategoryIndex` in one block of raw memory, for the per-field loop of encoding.
///
/// Reading a column's index out of an array of structs retained and released its arrays on every field; here a
/// lookup is pointer arithmetic only. Immutable after init, so any thread may read it.
final class CategoryTables: @unchecked Sendable {
    struct Column {
        var slotBase: Int
        var mask: Int
        var shift: UInt64
    }

    let slots: UnsafeMutablePointer<CategoryIndex.Slot>
    let keys: UnsafeMutablePointer<UInt8>
    let columns: [Column]

    init(_ indexes: [CategoryIndex]) {
        let slotCount = indexes.reduce(0) { $0 + $1.slots.count }
        let keyCount = indexes.reduce(0) { $0 + $1.keyBytes.count }
        let slots = UnsafeMutablePointer<CategoryIndex.Slot>.allocate(capacity: max(slotCount, 1))
        let keys = UnsafeMutablePointer<UInt8>.allocate(capacity: max(keyCount, 1))
        var columns: [Column] = []
        var slotBase = 0
        var keyBase = 0
        for index in indexes {
            columns.append(Column(slotBase: slotBase, mask: index.mask, shift: index.shift))
            for (k, var slot) in index.slots.enumerated() {
                slot.keyStart += keyBase
                (slots + slotBase + k).initialize(to: slot)
            }
            index.keyBytes.withUnsafeBufferPointer { b in
                if let base = b.baseAddress { (keys + keyBase).initialize(from: base, count: b.count) }
            }
            slotBase += index.slots.count
            keyBase += index.keyBytes.count
        }
        self.slots = slots
        self.keys = keys
        self.columns = columns
    }

    deinit {
        slots.deallocate()
        keys.deallocate()
    }

    /// The category index of trimmed `bytes` in column `column` (its `Column`), or nil.
    @inline(__always)
    func index(of bytes: UnsafeBufferPointer<UInt8>, in column: Column) -> Int? {
        CategoryIndex.find(bytes, slots: slots + column.slotBase, mask: column.mask, shift: column.shift, keys: keys)
    }
}
