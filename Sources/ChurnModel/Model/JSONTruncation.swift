#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Tells a JSON text that was cut short (a partial copy, a full disk) from one that is malformed: it opens an
/// object or array and ends, outside any error, with brackets or a string still open.
enum JSONTruncation {
    static func isTruncated(_ data: Data) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        var sawOpen = false
        for b in data {
            if inString {
                if escaped { escaped = false } else if b == 0x5C { escaped = true } else if b == 0x22 { inString = false }
                continue
            }
            switch b {
            case 0x22: inString = true
            case 0x7B, 0x5B: depth += 1; sawOpen = true
            case 0x7D, 0x5D:
                depth -= 1
                if depth < 0 { return false }
            default: break
            }
        }
        return sawOpen && (depth > 0 || inString)
    }
}
