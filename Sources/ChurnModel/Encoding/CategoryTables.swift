/// Every categorical column's `CategoryIndex` in one block of raw memory, for the per-field loop of encoding.
///
/// Reading a column's index out of an array of structs retained and released its arrays on every field; here a
/// lookup is pointer arithmetic only. Immutable after init, so any thread may read it.
final class CategoryTables: @unchecked Sendable {
    struct Column {
        var slotBase: Int
        var mask: Int
        var shift: UInt64
        /// The column's first entry in the tables by length (`lengthTable`).
        var lengthBase: Int
        /// Some length of the column has two categories in its entry (`LengthTable.pairs`).
        var lengthPairs = true
        /// Some category in the column's entries is longer than 16 bytes (`LengthTable.wide`).
        var lengthWide = true
    }

    let slots: UnsafeMutablePointer<CategoryIndex.Slot>
    let keys: UnsafeMutablePointer<UInt8>
    let columns: [Column]

    /// Texts shorter than this are found by their length first (`LengthTable`).
    static let byLength = 32
    /// For each column and each length `n` below `byLength`, an entry of `entryBytes`: the (at most two)
    /// categories of that length, each as `byLength` bytes zero-padded, then the length's mask (`n` 0xFF bytes,
    /// then zeros); and their indexes, four per length: the two categories' (-1 where there is none), then -1
    /// twice, what a field that is neither finds.
    let lengthKeys: UnsafeMutableRawPointer
    let lengthCodes: UnsafeMutablePointer<Int32>
    /// Two keys and a mask: one pointer and one offset reach all three in the lookup's loop.
    static let entryBytes = 3 * byLength

    init(_ indexes: [CategoryIndex]) {
        let slotCount = indexes.reduce(0) { $0 + $1.slots.count }
        let keyCount = indexes.reduce(0) { $0 + $1.keyBytes.count }
        let slots = UnsafeMutablePointer<CategoryIndex.Slot>.allocate(capacity: max(slotCount, 1))
        let keys = UnsafeMutablePointer<UInt8>.allocate(capacity: max(keyCount, 1))
        var columns: [Column] = []
        var slotBase = 0
        var keyBase = 0
        let byLength = Self.byLength
        let entries = max(indexes.count, 1) * byLength
        let lengthKeys = UnsafeMutableRawPointer.allocate(byteCount: entries * Self.entryBytes, alignment: 32)
        lengthKeys.initializeMemory(as: UInt8.self, repeating: 0, count: entries * Self.entryBytes)
        let lengthCodes = UnsafeMutablePointer<Int32>.allocate(capacity: entries * 4)
        lengthCodes.initialize(repeating: -1, count: entries * 4)
        for entry in 0..<entries {
            let n = entry % byLength
            for b in 0..<n { lengthKeys.storeBytes(of: 0xFF, toByteOffset: entry * Self.entryBytes + 2 * byLength + b, as: UInt8.self) }
        }
        for (c, index) in indexes.enumerated() {
            var column = Column(slotBase: slotBase, mask: index.mask, shift: index.shift, lengthBase: c * byLength)
            (column.lengthPairs, column.lengthWide) = Self.fillLengthEntries(of: index, at: c * byLength, keys: lengthKeys,
                                                                             codes: lengthCodes)
            columns.append(column)
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
        self.lengthKeys = lengthKeys
        self.lengthCodes = lengthCodes
    }

    deinit {
        slots.deallocate()
        keys.deallocate()
        lengthKeys.deallocate()
        lengthCodes.deallocate()
    }

    /// Puts each of `index`'s categories shorter than `byLength` bytes into its length's entry, the first two of
    /// each length only (the entry's codes stay -1 for a length with more, so its texts take the hash). A category
    /// that begins or ends with a space or tab is left out: a field is trimmed before the hash, so such a
    /// category is never found there, and must not be found here. Of two equal categories, the first is found,
    /// as by the hash. Returns whether some length got two categories, and whether some category longer than 16
    /// bytes got in.
    private static func fillLengthEntries(of index: CategoryIndex, at base: Int, keys: UnsafeMutableRawPointer,
                                          codes: UnsafeMutablePointer<Int32>) -> (pairs: Bool, wide: Bool) {
        var ofLength = [[(bytes: [UInt8], code: Int32)]](repeating: [], count: Self.byLength)
        for slot in index.slots where slot.length >= 0 && Int(slot.length) < Self.byLength {
            let start = Int(slot.keyStart)
            let text = Array(index.keyBytes[start..<start + Int(slot.length)])
            let trimmed = text.withUnsafeBufferPointer { FieldParsing.trim($0).count }
            guard trimmed == text.count else { continue }
            ofLength[text.count].append((text, slot.index))
        }
        var pairs = false, wide = false
        for n in 0..<Self.byLength {
            // In category order, and one of each text (the first, as the hash finds it).
            var distinct: [(bytes: [UInt8], code: Int32)] = []
            for entry in ofLength[n].sorted(by: { $0.code < $1.code }) where !distinct.contains(where: { $0.bytes == entry.bytes }) {
                distinct.append(entry)
            }
            guard distinct.count <= 2 else { continue }
            for (k, entry) in distinct.enumerated() {
                let line = keys + (base + n) * Self.entryBytes + k * Self.byLength
                for (b, byte) in entry.bytes.enumerated() { line.storeBytes(of: byte, toByteOffset: b, as: UInt8.self) }
                codes[(base + n) * 4 + k] = entry.code
            }
            pairs = pairs || distinct.count == 2
            wide = wide || (n > 16 && !distinct.isEmpty)
        }
        return (pairs, wide)
    }

    /// Column `column`'s categories by length, for `LengthTable.index(of:count:)`.
    func lengthTable(_ column: Column) -> LengthTable {
        LengthTable(keys: UnsafeRawPointer(lengthKeys + column.lengthBase * Self.entryBytes),
                    codes: UnsafePointer(lengthCodes + column.lengthBase * 4), pairs: column.lengthPairs, wide: column.lengthWide)
    }

    /// One column's part of the tables by length (plain pointers, for a loop over the column's fields).
    struct LengthTable {
        let keys: UnsafeRawPointer
        let codes: UnsafePointer<Int32>
        /// Some length has two categories. Without, a field is compared with its length's first category only (the
        /// second's code is -1 at every length).
        let pairs: Bool
        /// Some category is longer than 16 bytes. Without, only a field's first 16 bytes are compared (every
        /// longer length's codes are -1, whatever the bytes).
        let wide: Bool

        /// The category index of the field of `n` bytes at `p`, as written (not trimmed), or -1 when the lookup by
        /// length cannot tell: no category of that length is written so, or the length has more than two. Needs
        /// `n < byLength` and `byLength` bytes readable from `p` (whatever follows the field).
        ///
        /// The field's bytes are compared with both of its length's categories at once, 32 bytes each under the
        /// length's mask: no hash, and no branch on the length, which changes from row to row ("Yes", "No", "No
        /// internet service"). Columns whose categories differ in length (most) or come in pairs of a length ("One
        /// year", "Two year") are found here; a miss goes to `paddedIndex` or `index`, which decide.
        @inline(__always)
        func index(of p: UnsafeRawPointer, count n: Int) -> Int32 {
            switch (pairs, wide) {
            case (false, false): return codes[entry(of: p, count: n, pairs: false, wide: false)]
            case (false, true): return codes[entry(of: p, count: n, pairs: false, wide: true)]
            case (true, false): return codes[entry(of: p, count: n, pairs: true, wide: false)]
            case (true, true): return codes[entry(of: p, count: n, pairs: true, wide: true)]
            }
        }

        /// Where `index(of:count:)` finds its answer: the index in `codes` (four per length) that the field picks,
        /// with the column's `pairs` and `wide` given as literals (a column loop is compiled for each), or as true
        /// for any column. What a column does not need is not compared: Telco's columns but one have no pair, and
        /// half have no category longer than 16 bytes.
        @inline(__always)
        func entry(of p: UnsafeRawPointer, count n: Int, pairs: Bool, wide: Bool) -> Int {
            let line = keys + n &* CategoryTables.entryBytes
            let mask = line + 2 &* CategoryTables.byLength
            let low = p.loadUnaligned(as: SIMD16<UInt8>.self)
            let maskLow = mask.load(as: SIMD16<UInt8>.self)
            var first = (low ^ line.load(as: SIMD16<UInt8>.self)) & maskLow
            var second = SIMD16<UInt8>()
            if pairs { second = (low ^ line.load(fromByteOffset: 32, as: SIMD16<UInt8>.self)) & maskLow }
            if wide {
                let high = p.loadUnaligned(fromByteOffset: 16, as: SIMD16<UInt8>.self)
                let maskHigh = mask.load(fromByteOffset: 16, as: SIMD16<UInt8>.self)
                first |= (high ^ line.load(fromByteOffset: 16, as: SIMD16<UInt8>.self)) & maskHigh
                if pairs { second |= (high ^ line.load(fromByteOffset: 48, as: SIMD16<UInt8>.self)) & maskHigh }
            }
            // Tested as words: a SIMD `==` on the vectors compiled to a lane-by-lane loop.
            let (a0, a1) = unsafeBitCast(first, to: (UInt64, UInt64).self)
            let notFirst = Int(unsafeBitCast(a0 | a1 != 0, to: UInt8.self))
            guard pairs else { return n &* 4 &+ notFirst }
            let (b0, b1) = unsafeBitCast(second, to: (UInt64, UInt64).self)
            // Which of a pair a row holds ("One year", "Two year") is a coin toss for a branch: it indexes the codes,
            // 0 for the first, 1 for the second, 2 for neither (whose code is -1). The first wins where both match:
            // at length 0, and where the second is absent (zeros) and the field is zeros too.
            let notSecond = Int(unsafeBitCast(b0 | b1 != 0, to: UInt8.self))
            return n &* 4 &+ notFirst &+ (notFirst & notSecond)
        }
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
