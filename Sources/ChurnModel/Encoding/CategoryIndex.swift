#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Maps the bytes of a categorical field to its category index without allocating a String per lookup.
///
/// Open addressing over a power-of-two table; keys are stored back to back in one byte array.
public struct CategoryIndex: Sendable {
    private let keyBytes: [UInt8]
    private let keyStart: [Int]
    private let keyLength: [Int]
    private let slots: [Int32]
    private let mask: Int

    public init(categories: [String]) {
        var bytes: [UInt8] = []
        var starts: [Int] = []
        var lengths: [Int] = []
        for c in categories {
            starts.append(bytes.count)
            lengths.append(c.utf8.count)
            bytes += Array(c.utf8)
        }
        var size = 8
        while size < categories.count * 4 { size <<= 1 }
        var slots = [Int32](repeating: -1, count: size)
        for i in categories.indices {
            let h = bytes.withUnsafeBufferPointer { b in
                CategoryIndex.hash(UnsafeBufferPointer(rebasing: b[starts[i]..<(starts[i] + lengths[i])]))
            }
            var slot = h & (size - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = Int32(i)
        }
        keyBytes = bytes
        keyStart = starts
        keyLength = lengths
        self.slots = slots
        mask = size - 1
    }

    /// A cheap hash from the length and a few bytes: category sets are small and distinct, and a collision
    /// only costs one more comparison.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let n = bytes.count
        guard n > 0, let p = bytes.baseAddress else { return 0 }
        var h = UInt64(n) &* 0x9E37_79B9_7F4A_7C15
        h ^= UInt64(p[0]) &* 0xBF58_476D_1CE4_E5B9
        h ^= UInt64(p[n - 1]) &* 0x94D0_49BB_1331_11EB
        h ^= UInt64(p[n >> 1]) &* 0xD6E8_FEB8_6659_FD93
        if n > 3 { h ^= UInt64(p[1]) &* 0xA076_1D64_78BD_642F }
        return Int(truncatingIfNeeded: h ^ (h >> 31))
    }

    /// Byte equality, eight bytes at a time.
    @inline(__always)
    static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var i = 0
        while i + 8 <= n {
            if UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self) { return false }
            i += 8
        }
        while i < n {
            if a[i] != b[i] { return false }
            i += 1
        }
        return true
    }

    /// The category index of `bytes` (already trimmed), or nil when the category is unknown.
    @inline(__always)
    public func index(of bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var h = CategoryIndex.hash(bytes) & mask
        return slots.withUnsafeBufferPointer { slots in
            keyBytes.withUnsafeBufferPointer { keys in
                while true {
                    let slot = Int(slots[h])
                    if slot < 0 { return nil }
                    let n = keyLength[slot]
                    if n == bytes.count && CategoryIndex.equal(keys.baseAddress! + keyStart[slot], bytes.baseAddress!, n) {
                        return slot
                    }
                    h = (h + 1) & mask
                }
            }
        }
    }
}
