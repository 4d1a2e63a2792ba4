/// Maps the bytes of a categorical field to its category index without allocating a String per lookup.
///
/// Open addressing over a power-of-two table. Each slot holds its category's length and the category as two
/// 64-bit words (`words(_:_:)`), which together are the whole text for categories of up to 16 bytes: a lookup
/// is a hash of two words and one three-way comparison, with no byte loop. Longer categories (rare: "Bank
/// transfer (automatic)") hash and compare their middle bytes as well: hashed on their ends only, thousands of
/// categories that differ only in the middle ("Segment 1234 (legacy)", URLs) all fell into one chain, and a
/// lookup walked thousands of slots.
public struct CategoryIndex: Sendable {
    struct Slot: Sendable {
        var first: UInt64 = 0
        var last: UInt64 = 0
        /// Bytes 8–15 of a category longer than 16 bytes (0 for a shorter one): with the other two words, the
        /// whole text up to 24 bytes, so `CategoryTables.paddedIndex` compares without reading the key bytes.
        var middle: UInt64 = 0
        /// Byte length of the category, or -1 for an empty slot.
        var length: Int32 = -1
        var index: Int32 = -1
        /// Where the category's bytes start in the key bytes.
        var keyStart: Int32 = 0
    }

    let slots: [Slot]
    let keyBytes: [UInt8]
    let shift: UInt64
    var mask: Int { slots.count - 1 }
    /// The most slots a lookup of a known category visits (1 when no two collide).
    let longestProbe: Int

    public init(categories: [String]) {
        var bits = 3
        while (1 << bits) < categories.count * 4 { bits += 1 }
        let size = 1 << bits
        var slots = [Slot](repeating: Slot(), count: size)
        var bytes: [UInt8] = []
        var longest = 0
        for (i, c) in categories.enumerated() {
            let utf8 = Array(c.utf8)
            let (first, last, hashed, middle) = utf8.withUnsafeBufferPointer { b in
                let (first, last) = CategoryIndex.words(b.baseAddress, b.count)
                let middle = b.count > 16 ? UnsafeRawPointer(b.baseAddress!).loadUnaligned(fromByteOffset: 8, as: UInt64.self) : 0
                return (first, last, CategoryIndex.hashedLast(last, b.baseAddress, b.count), middle)
            }
            var h = CategoryIndex.hash(first, hashed, utf8.count, shift: UInt64(64 - bits))
            var probes = 1
            while slots[h].length >= 0 { h = (h + 1) & (size - 1); probes += 1 }
            longest = max(longest, probes)
            slots[h] = Slot(first: first, last: last, middle: middle, length: Int32(utf8.count), index: Int32(i),
                            keyStart: Int32(bytes.count))
            bytes += utf8
        }
        self.slots = slots
        keyBytes = bytes
        shift = UInt64(64 - bits)
        longestProbe = longest
    }

    /// The text as two words that, with its length, determine it when it is at most 16 bytes long: the first and
    /// last eight bytes (overlapping when shorter than 16), the first and last four of a 4–7 byte text, or its
    /// first, middle and last bytes below that. Every load stays inside the text.
    @inline(__always)
    static func words(_ p: UnsafePointer<UInt8>?, _ n: Int) -> (UInt64, UInt64) {
        guard let p, n > 0 else { return (0, 0) }
        let raw = UnsafeRawPointer(p)
        if n >= 8 {
            return (raw.loadUnaligned(as: UInt64.self), raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self))
        }
        if n >= 4 {
            return (UInt64(raw.loadUnaligned(as: UInt32.self)), UInt64(raw.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)))
        }
        return (UInt64(p[0]) | UInt64(p[n >> 1]) << 8 | UInt64(p[n - 1]) << 16, 0)
    }

    /// The last word as hashed: for a text longer than 16 bytes, mixed with every middle word (the words compared
    /// by `middleMatches`, so two texts equal there and at the ends hash alike).
    @inline(__always)
    static func hashedLast(_ last: UInt64, _ p: UnsafePointer<UInt8>?, _ n: Int) -> UInt64 {
        guard n > 16, let p else { return last }
        let raw = UnsafeRawPointer(p)
        var mixed = last
        var k = 8
        while k < n - 8 {
            mixed = mix(mixed, raw.loadUnaligned(fromByteOffset: k, as: UInt64.self))
            k += 8
        }
        return mixed
    }

    /// One middle word mixed into the hashed last word (`hashedLast`; `CategoryTables.paddedIndex` for one word).
    @inline(__always)
    static func mix(_ last: UInt64, _ middle: UInt64) -> UInt64 {
        (last ^ middle) &* 0xD6E8_FEB8_6659_FD93
    }

    /// Multiplicative hash of the two words and the length, its top bits as the slot: the words are added (the
    /// last turned by half a word, so the two four-byte halves of a 4–7 byte text land in different halves), then
    /// one multiplication. A lookup waits on this hash before it can load its slot; three multiplications in a
    /// row, as before, cost 14% of a logistic `churn score`'s CPU, and made chains no shorter on average on the
    /// sets tried (numbers, zip codes, ids, three-letter codes, hex strings, Telco's categories).
    @inline(__always)
    static func hash(_ first: UInt64, _ last: UInt64, _ n: Int, shift: UInt64) -> Int {
        let key = (first &+ ((last << 32) | (last >> 32))) ^ UInt64(truncatingIfNeeded: n)
        return Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The category index of `bytes` (already trimmed), or nil when the category is unknown.
    public func index(of bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        slots.withUnsafeBufferPointer { slots in
            keyBytes.withUnsafeBufferPointer { keys in
                CategoryIndex.find(bytes, slots: slots.baseAddress!, mask: slots.count - 1, shift: shift, keys: keys.baseAddress)
            }
        }
    }

    /// The lookup over a table laid out anywhere (`CategoryTables` keeps every column's in one block).
    @inline(__always)
    static func find(_ bytes: UnsafeBufferPointer<UInt8>, slots: UnsafePointer<Slot>, mask: Int, shift: UInt64,
                     keys: UnsafePointer<UInt8>?) -> Int? {
        let n = bytes.count
        let (first, last) = words(bytes.baseAddress, n)
        var h = hash(first, hashedLast(last, bytes.baseAddress, n), n, shift: shift)
        while true {
            let slot = slots[h]
            if slot.length < 0 { return nil }
            if Int(slot.length) == n && slot.first == first && slot.last == last
                && (n <= 16 || middleMatches(keys! + Int(slot.keyStart), bytes)) {
                return Int(slot.index)
            }
            h = (h + 1) & mask
        }
    }

    /// Bytes 8..<n-8 of a text longer than 16 bytes (the words cover the rest), eight at a time: every word read
    /// ends before byte n, inside both texts.
    @inline(__always)
    static func middleMatches(_ key: UnsafePointer<UInt8>, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let a = UnsafeRawPointer(key), b = UnsafeRawPointer(bytes.baseAddress!)
        var k = 8
        while k < bytes.count - 8 {
            if a.loadUnaligned(fromByteOffset: k, as: UInt64.self) != b.loadUnaligned(fromByteOffset: k, as: UInt64.self) { return false }
            k += 8
        }
        return true
    }
}
