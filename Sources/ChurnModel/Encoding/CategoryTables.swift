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
                slot.keyStart += Int32(keyBase)
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

    /// `index(of:in:)` for a field whose surroundings may be read: the eight bytes before it and the sixteen from
    /// its start lie in the caller's buffer (whatever they hold). The words, the hash and the comparison then take
    /// every length's value and select one with masks, not branches: a column of "Yes", "No" and "No internet
    /// service" changes length from row to row at random, and each change of branch was mispredicted. Only for
    /// texts of at most 24 bytes (`index(of:in:)` takes longer ones).
    @inline(__always)
    func paddedIndex(of bytes: UnsafeBufferPointer<UInt8>, in column: Column) -> Int? {
        let n = bytes.count
        let p = UnsafeRawPointer(bytes.baseAddress!)
        // The words of `CategoryIndex.words`, each length's computed from reads that stay in the padding.
        let long = mask(n >= 8), mid = mask(n >= 4) & ~long, short = ~(long | mid)
        let head8 = p.loadUnaligned(as: UInt64.self)
        let tail8 = p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        let head4 = UInt64(p.loadUnaligned(as: UInt32.self))
        let tail4 = UInt64(p.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))
        let b = p.assumingMemoryBound(to: UInt8.self)
        let tiny = (UInt64(b[0]) | UInt64(b[n >> 1]) << 8 | UInt64(b[n - 1]) << 16) & mask(n > 0)
        let first = (head8 & long) | (head4 & mid) | (tiny & short)
        let last = (tail8 & long) | (tail4 & mid)
        // `hashedLast` for 17–24 bytes: one middle word (compared with the slot's, which is 0 up to 16 bytes).
        let over16 = mask(n > 16)
        let middle = p.loadUnaligned(fromByteOffset: 8, as: UInt64.self) & over16
        let hashed = (CategoryIndex.mix(last, middle) & over16) | (last & ~over16)
        var h = CategoryIndex.hash(first, hashed, n, shift: column.shift)
        let slots = self.slots + column.slotBase
        while true {
            let slot = slots[h]
            // Every word of the text and its length in one test; an empty slot (length -1) never passes it.
            let differs = (slot.first ^ first) | (slot.last ^ last) | (slot.middle ^ middle)
                | UInt64(truncatingIfNeeded: Int(slot.length) ^ n)
            if differs == 0 { return Int(slot.index) }
            if slot.length < 0 { return nil }
            h = (h + 1) & column.mask
        }
    }

    /// All ones when `condition` holds, else zero.
    @inline(__always)
    private func mask(_ condition: Bool) -> UInt64 {
        0 &- UInt64(bit(condition))
    }

    /// 1 when `condition` holds, else 0.
    @inline(__always)
    private func bit(_ condition: Bool) -> UInt8 {
        unsafeBitCast(condition, to: UInt8.self)
    }

    /// The category index of trimmed `bytes` in column `column` (its `Column`), or nil.
    @inline(__always)
    func index(of bytes: UnsafeBufferPointer<UInt8>, in column: Column) -> Int? {
        CategoryIndex.find(bytes, slots: slots + column.slotBase, mask: column.mask, shift: column.shift, keys: keys)
    }
}
