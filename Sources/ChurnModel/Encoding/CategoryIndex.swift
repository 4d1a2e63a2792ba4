/// Maps the bytes of a categorical field to its category index without allocating a String per lookup.
public struct CategoryIndex: Sendable {
    private let keys: [[UInt8]]
    private let slots: [Int32]
    private let mask: Int

    public init(categories: [String]) {
        keys = categories.map { Array($0.utf8) }
        var size = 8
        while size < keys.count * 4 { size <<= 1 }
        var slots = [Int32](repeating: -1, count: size)
        for (i, key) in keys.enumerated() {
            var h = key.withUnsafeBufferPointer { CategoryIndex.hash($0) } & (size - 1)
            while slots[h] >= 0 { h = (h + 1) & (size - 1) }
            slots[h] = Int32(i)
        }
        self.slots = slots
        mask = size - 1
    }

    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    /// The category index of `bytes` (already trimmed), or nil when the category is unknown.
    @inline(__always)
    public func index(of bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var h = CategoryIndex.hash(bytes) & mask
        while true {
            let slot = slots[h]
            if slot < 0 { return nil }
            let matches = keys[Int(slot)].withUnsafeBufferPointer { key in
                key.count == bytes.count && (key.count == 0 || memcmp(key.baseAddress!, bytes.baseAddress!, key.count) == 0)
            }
            if matches { return Int(slot) }
            h = (h + 1) & mask
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
