import ChurnBase

/// A JSON parser over bytes for foreign model files (XGBoost's JSON, LightGBM's `pandas_categorical`, feature
/// maps), building a `JSONValue`. Written for size: a 300-tree XGBoost file holds hundreds of thousands of numbers,
/// read here without a thrown error or a temporary string per value, and exactly (`FieldParsing.parseDouble` rounds
/// correctly, as strtod does). Errors say the line and column.
struct ModelJSONParser {
    /// Why the text is not JSON, and where (1-based line and column, in bytes).
    struct Failure: Error, CustomStringConvertible {
        var line: Int
        var column: Int
        var reason: String
        var description: String { "line \(line), column \(column): \(reason)" }
    }

    /// Deeper than any model file nests; a bound so hostile input cannot exhaust the stack.
    static let maxDepth = 512

    private let bytes: UnsafeBufferPointer<UInt8>
    private var pos = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    static func parse(_ bytes: UnsafeRawBufferPointer) throws(Failure) -> JSONValue {
        var p = ModelJSONParser(bytes.bindMemory(to: UInt8.self))
        // A UTF-8 byte order mark is allowed before the document, as JSONSerialization allowed it.
        if p.bytes.count >= 3 && p.bytes[0] == 0xEF && p.bytes[1] == 0xBB && p.bytes[2] == 0xBF { p.pos = 3 }
        p.skipSpace()
        let value = try p.value(depth: 0)
        p.skipSpace()
        if p.pos < p.bytes.count { throw p.fail("unexpected \(p.here) after the end of the document") }
        return value
    }

    private func fail(_ reason: String, at offset: Int? = nil) -> Failure {
        let end = min(offset ?? pos, bytes.count)
        var line = 1, lineStart = 0
        for i in 0..<end where bytes[i] == 0x0A { line += 1; lineStart = i + 1 }
        return Failure(line: line, column: end - lineStart + 1, reason: reason)
    }

    private var here: String {
        guard pos < bytes.count else { return "end of file" }
        let b = bytes[pos]
        return b >= 0x20 && b < 0x7F ? "'\(Character(Unicode.Scalar(b)))'" : "byte 0x" + String(b, radix: 16, uppercase: true)
    }

    private mutating func skipSpace() {
        while pos < bytes.count, bytes[pos] == 0x20 || bytes[pos] == 0x0A || bytes[pos] == 0x0D || bytes[pos] == 0x09 { pos += 1 }
    }

    private mutating func value(depth: Int) throws(Failure) -> JSONValue {
        guard pos < bytes.count else { throw fail("the file ends where a value should be (truncated?)") }
        switch bytes[pos] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try word("true"); return .bool(true)
        case UInt8(ascii: "f"): try word("false"); return .bool(false)
        case UInt8(ascii: "n"): try word("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw fail("unexpected \(here) where a value should be")
        }
    }

    private mutating func word(_ text: StaticString) throws(Failure) {
        let n = text.utf8CodeUnitCount
        guard pos + n <= bytes.count, (0..<n).allSatisfy({ bytes[pos + $0] == text.utf8Start[$0] }) else {
            throw fail("unexpected \(here) where a value should be (expected \(text)?)")
        }
        pos += n
    }

    private mutating func object(depth: Int) throws(Failure) -> JSONValue {
        if depth > Self.maxDepth { throw fail("nested deeper than \(Self.maxDepth) levels") }
        pos += 1
        var members: [String: JSONValue] = [:]
        skipSpace()
        if pos < bytes.count && bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(members) }
        while true {
            skipSpace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else { throw fail("expected a quoted member name, found \(here)") }
            let key = try string()
            skipSpace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else { throw fail("expected ':' after a member name, found \(here)") }
            pos += 1
            skipSpace()
            members[key] = try value(depth: depth)
            skipSpace()
            guard pos < bytes.count else { throw fail("the file ends inside an object (truncated?)") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(members) }
            throw fail("expected ',' or '}' in an object, found \(here)")
        }
    }

    private mutating func array(depth: Int) throws(Failure) -> JSONValue {
        if depth > Self.maxDepth { throw fail("nested deeper than \(Self.maxDepth) levels") }
        pos += 1
        var items: [JSONValue] = []
        skipSpace()
        if pos < bytes.count && bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(items) }
        while true {
            skipSpace()
            items.append(try value(depth: depth))
            skipSpace()
            guard pos < bytes.count else { throw fail("the file ends inside an array (truncated?)") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(items) }
            throw fail("expected ',' or ']' in an array, found \(here)")
        }
    }

    private func isDigit(_ i: Int) -> Bool { i < bytes.count && bytes[i] >= 0x30 && bytes[i] <= 0x39 }

    private mutating func number() throws(Failure) -> Double {
        let start = pos
        if bytes[pos] == UInt8(ascii: "-") { pos += 1 }
        guard isDigit(pos) else { throw fail("expected a digit, found \(here)") }
        if bytes[pos] == UInt8(ascii: "0") && isDigit(pos + 1) { throw fail("a number may not start with 0") }
        while isDigit(pos) { pos += 1 }
        if pos < bytes.count && bytes[pos] == UInt8(ascii: ".") {
            pos += 1
            guard isDigit(pos) else { throw fail("expected a digit after '.', found \(here)") }
            while isDigit(pos) { pos += 1 }
        }
        if pos < bytes.count && (bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E")) {
            pos += 1
            if pos < bytes.count && (bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-")) { pos += 1 }
            guard isDigit(pos) else { throw fail("expected a digit in the exponent, found \(here)") }
            while isDigit(pos) { pos += 1 }
        }
        guard let v = FieldParsing.parseDouble(UnsafeBufferPointer(rebasing: bytes[start..<pos])) else {
            throw fail("the number is too large for a 64-bit float", at: start)
        }
        return v
    }

    private mutating func string() throws(Failure) -> String {
        let open = pos
        pos += 1
        let start = pos
        // Most strings (names, parameters) are plain ASCII without escapes: one copy, no buffer.
        while pos < bytes.count {
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") {
                pos += 1
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<(pos - 1)]), as: UTF8.self)
            }
            if b == UInt8(ascii: "\\") || b < 0x20 || b >= 0x80 { break }
            pos += 1
        }
        var out = Array(bytes[start..<pos])
        while pos < bytes.count {
            let b = bytes[pos]
            pos += 1
            if b == UInt8(ascii: "\"") {
                guard let s = String(validating: out, as: UTF8.self) else { throw fail("the string is not valid UTF-8", at: open) }
                return s
            }
            if b < 0x20 { pos -= 1; throw fail("a control character (byte 0x\(String(b, radix: 16, uppercase: true))) inside a string must be escaped") }
            guard b == UInt8(ascii: "\\") else { out.append(b); continue }
            guard pos < bytes.count else { break }
            let e = bytes[pos]
            pos += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar), pos + 1 < bytes.count,
                   bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") {
                    pos += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw fail("a \\u escape pairs a high surrogate with \(String(low, radix: 16))") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let u = Unicode.Scalar(scalar) else { throw fail("a \\u escape names a lone surrogate (\(String(scalar, radix: 16)))") }
                out.append(contentsOf: String(Character(u)).utf8)
            default:
                pos -= 1
                throw fail("unknown escape \\\(here) in a string")
            }
        }
        throw fail("the file ends inside a string (truncated?)", at: open)
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard pos + 4 <= bytes.count else { throw fail("the file ends inside a \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let d = hexDigitValue(bytes[pos]) else { throw fail("expected four hex digits after \\u, found \(here)") }
            v = v << 4 | d
            pos += 1
        }
        return v
    }
}
