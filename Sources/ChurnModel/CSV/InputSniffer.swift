/// Recognises files that are not comma-separated UTF-8 text before they turn into a thousand confusing rejects:
/// compressed files by their magic numbers, UTF-16 by its byte-order mark or NUL bytes, other encodings by an
/// invalid UTF-8 header, and another separator by a one-column header that holds it. Runs once per file, on the
/// header only, so the scanner's loop is untouched; data rows keep their own per-row handling.
enum InputSniffer {
    /// Magic numbers of compressed formats people hand to a CSV tool; none holds a newline byte.
    static let magics: [(bytes: [UInt8], name: String)] = [
        ([0x1F, 0x8B], "gzip"),
        ([0x50, 0x4B, 0x03, 0x04], "zip"),
        ([0x42, 0x5A, 0x68], "bzip2"),
        ([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], "xz"),
        ([0x28, 0xB5, 0x2F, 0xFD], "zstd"),
    ]

    /// A problem visible in the file's first bytes (after a UTF-8 BOM was stripped), or nil.
    static func problem(prefix: [UInt8]) -> CSVError.Reason? {
        for m in magics where prefix.count >= m.bytes.count && prefix.starts(with: m.bytes) {
            return .compressed(m.name)
        }
        if prefix.starts(with: [0xFF, 0xFE]) { return .utf16("little-endian byte-order mark") }
        if prefix.starts(with: [0xFE, 0xFF]) { return .utf16("big-endian byte-order mark") }
        return nil
    }

    /// A problem with the header record's raw bytes (`columns` fields, split on `delimiter`), or nil.
    static func problem(header raw: [UInt8], columns: Int, delimiter: UInt8) -> CSVError.Reason? {
        if raw.contains(0) {
            // UTF-16 without a BOM: ASCII names leave every other byte NUL.
            let evens = stride(from: 0, to: raw.count, by: 2).filter { raw[$0] == 0 }.count
            let odds = stride(from: 1, to: raw.count, by: 2).filter { raw[$0] == 0 }.count
            let half = raw.count / 2
            if half > 0 && max(evens, odds) * 10 >= half * 8 {
                return .utf16(evens > odds ? "NUL bytes before each character: big-endian" : "NUL bytes after each character: little-endian")
            }
            return .binary
        }
        if let (byte, column) = firstInvalidUTF8(raw) { return .notUTF8(byte: byte, column: column) }
        if columns == 1 {
            var best: (byte: UInt8, count: Int)?
            for candidate: UInt8 in [0x3B, 0x09, 0x7C, 0x2C] where candidate != delimiter {
                let n = raw.reduce(0) { $0 + ($1 == candidate ? 1 : 0) }
                if n > 0 && n > (best?.count ?? 0) { best = (candidate, n) }
            }
            if let best { return .looksDelimited(best.byte) }
        }
        return nil
    }

    /// The first byte that breaks UTF-8, with its 1-based column; nil when the bytes are valid UTF-8.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> (UInt8, Int)? {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            let length: Int
            switch b {
            case 0x00...0x7F: i += 1; continue
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return (b, i + 1)
            }
            guard i + length <= n else { return (b, i + 1) }
            for k in 1..<length where bytes[i + k] & 0xC0 != 0x80 { return (b, i + 1) }
            i += length
        }
        return nil
    }
}
