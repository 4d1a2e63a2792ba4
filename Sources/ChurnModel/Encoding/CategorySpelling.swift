/// Matches a category written another way: the same letters and digits, ignoring case, spaces and punctuation
/// ("Month to month", "month-to-month" and "MONTH_TO_MONTH" are "Month-to-month"). Only keys that stand for one
/// category are kept, so two categories that differ only in punctuation never match each other's variants; keys
/// without a letter are not kept, so numeric codes match only exactly.
public struct CategorySpelling: Sendable {
    let keys: [String: Int]

    public init(categories: [String]) {
        var keys: [String: Int] = [:]
        var ambiguous: Set<String> = []
        for (k, c) in categories.enumerated() {
            let key = CategorySpelling.key(Array(c.utf8))
            // Only words: codes such as "10" must not match "1.0".
            if !key.utf8.contains(where: { $0 >= 0x61 && $0 <= 0x7A || $0 >= 0x80 }) { continue }
            if keys[key] != nil { ambiguous.insert(key) } else { keys[key] = k }
        }
        for key in ambiguous { keys[key] = nil }
        self.keys = keys
    }

    /// Lowercased ASCII letters and digits, and every non-ASCII byte as is; everything else dropped.
    static func key<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for b in bytes {
            switch b {
            case 0x41...0x5A: out.append(b | 0x20)
            case 0x61...0x7A, 0x30...0x39, 0x80...: out.append(b)
            default: continue
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The category `bytes` spells, or nil.
    public func index(of bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        keys.isEmpty ? nil : keys[CategorySpelling.key(bytes)]
    }
}
