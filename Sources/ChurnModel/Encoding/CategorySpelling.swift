/// Matches a category written another way: the same text ignoring case, spaces, `-`, `_`, `.` and `/`
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

    /// Lowercased ASCII letters; spaces, tabs, `-`, `_`, `.` and `/` dropped; every other byte as is (so a
    /// control character or a NUL never makes a value match).
    static func key<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for b in bytes {
            switch b {
            case 0x41...0x5A: out.append(b | 0x20)
            case 0x20, 0x09, 0x2D, 0x5F, 0x2E, 0x2F: continue
            default: out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The category `bytes` spells, or nil.
    public func index(of bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        keys.isEmpty ? nil : keys[CategorySpelling.key(bytes)]
    }
}
