import ChurnBase
import ChurnModel

/// Why a body is not valid JSON, and where (byte offset from 0).
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var offset: Int
    public var reason: String
    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

/// A strict RFC 8259 JSON parser over bytes, with a nesting limit, for request bodies.
///
/// Rejects what lenient parsers accept and hostile bodies exploit: trailing commas, comments, NaN/Infinity,
/// numbers that overflow a Double, invalid UTF-8, unescaped control characters, lone surrogates, nesting deeper
/// than `maxDepth`, and anything after the top-level value.
public struct JSONParser {
    public static let defaultMaxDepth = 32

    let bytes: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var pos = 0

    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        var p = JSONParser(bytes: bytes, maxDepth: maxDepth)
        p.skipSpace()
        let value = try p.value(depth: 0)
        p.skipSpace()
        if p.pos != bytes.count { throw p.fail("unexpected \(p.describeHere()) after the JSON value") }
        return value
    }

    public static func parse(_ bytes: [UInt8], maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { (b) throws(JSONParseError) in try parse(b, maxDepth: maxDepth) }
    }

    func fail(_ reason: String) -> JSONParseError { JSONParseError(offset: pos, reason: reason) }

    func describeHere() -> String {
        guard pos < bytes.count else { return "end of input" }
        let b = bytes[pos]
        return b >= 0x20 && b < 0x7F ? "'\(Character(Unicode.Scalar(b)))'" : "byte 0x" + String(b, radix: 16)
    }

    mutating func skipSpace() {
        while pos < bytes.count {
            let b = bytes[pos]
            if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { pos += 1 } else { break }
        }
    }

    mutating func value(depth: Int) throws(JSONParseError) -> JSONValue {
        guard pos < bytes.count else { throw fail("unexpected end of input, expected a value") }
        switch bytes[pos] {
        case 0x7B: return try object(depth: depth + 1)
        case 0x5B: return try array(depth: depth + 1)
        case 0x22: return .string(try string())
        case 0x74: try literal("true"); return .bool(true)
        case 0x66: try literal("false"); return .bool(false)
        case 0x6E: try literal("null"); return .null
        case 0x2D, 0x30...0x39:
            let start = pos
            let v = try number()
            return .number(v, literal: String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self))
        default: throw fail("unexpected \(describeHere()), expected a value")
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONParseError) {
        let n = word.utf8CodeUnitCount
        guard pos + n <= bytes.count else { throw fail("unexpected end of input in a literal") }
        for k in 0..<n where bytes[pos + k] != word.utf8Start[k] {
            throw fail("invalid literal (expected \(word))")
        }
        pos += n
    }

    mutating func object(depth: Int) throws(JSONParseError) -> JSONValue {
        if depth > maxDepth { throw fail("nesting deeper than \(maxDepth) levels") }
        pos += 1
        var members: [(String, JSONValue)] = []
        skipSpace()
        if pos < bytes.count && bytes[pos] == 0x7D { pos += 1; return .object(members) }
        while true {
            skipSpace()
            guard pos < bytes.count, bytes[pos] == 0x22 else { throw fail("expected a string key, found \(describeHere())") }
            let key = try string()
            skipSpace()
            guard pos < bytes.count, bytes[pos] == 0x3A else { throw fail("expected ':' after object key, found \(describeHere())") }
            pos += 1
            skipSpace()
            members.append((key, try value(depth: depth)))
            skipSpace()
            guard pos < bytes.count else { throw fail("unexpected end of input in an object") }
            if bytes[pos] == 0x2C { pos += 1; continue }
            if bytes[pos] == 0x7D { pos += 1; return .object(members) }
            throw fail("expected ',' or '}' in an object, found \(describeHere())")
        }
    }

    mutating func array(depth: Int) throws(JSONParseError) -> JSONValue {
        if depth > maxDepth { throw fail("nesting deeper than \(maxDepth) levels") }
        pos += 1
        var items: [JSONValue] = []
        skipSpace()
        if pos < bytes.count && bytes[pos] == 0x5D { pos += 1; return .array(items) }
        while true {
            skipSpace()
            items.append(try value(depth: depth))
            skipSpace()
            guard pos < bytes.count else { throw fail("unexpected end of input in an array") }
            if bytes[pos] == 0x2C { pos += 1; continue }
            if bytes[pos] == 0x5D { pos += 1; return .array(items) }
            throw fail("expected ',' or ']' in an array, found \(describeHere())")
        }
    }

    mutating func number() throws(JSONParseError) -> Double {
        let start = pos
        if bytes[pos] == 0x2D { pos += 1 }
        guard pos < bytes.count, bytes[pos] >= 0x30 && bytes[pos] <= 0x39 else { throw fail("expected a digit") }
        if bytes[pos] == 0x30 {
            pos += 1
            if pos < bytes.count && bytes[pos] >= 0x30 && bytes[pos] <= 0x39 { throw fail("leading zeros are not allowed") }
        } else {
            while pos < bytes.count && bytes[pos] >= 0x30 && bytes[pos] <= 0x39 { pos += 1 }
        }
        if pos < bytes.count && bytes[pos] == 0x2E {
            pos += 1
            guard pos < bytes.count, bytes[pos] >= 0x30 && bytes[pos] <= 0x39 else { throw fail("expected a digit after '.'") }
            while pos < bytes.count && bytes[pos] >= 0x30 && bytes[pos] <= 0x39 { pos += 1 }
        }
        if pos < bytes.count && (bytes[pos] == 0x65 || bytes[pos] == 0x45) {
            pos += 1
            if pos < bytes.count && (bytes[pos] == 0x2B || bytes[pos] == 0x2D) { pos += 1 }
            guard pos < bytes.count, bytes[pos] >= 0x30 && bytes[pos] <= 0x39 else { throw fail("expected a digit in the exponent") }
            while pos < bytes.count && bytes[pos] >= 0x30 && bytes[pos] <= 0x39 { pos += 1 }
        }
        guard let v = FieldParsing.parseDouble(UnsafeBufferPointer(rebasing: bytes[start..<pos])) else {
            pos = start
            throw fail("number is out of range for a 64-bit float")
        }
        return v
    }

    mutating func string() throws(JSONParseError) -> String {
        pos += 1
        let start = pos
        // Fast path: no escapes, all ASCII.
        while pos < bytes.count {
            let b = bytes[pos]
            if b == 0x22 {
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
                pos += 1
                return s
            }
            if b == 0x5C || b < 0x20 || b >= 0x80 { break }
            pos += 1
        }
        var out: [UInt8] = Array(bytes[start..<pos])
        while pos < bytes.count {
            let b = bytes[pos]
            if b == 0x22 {
                pos += 1
                guard let s = String(validating: out, as: UTF8.self) else { throw JSONParseError(offset: start, reason: "string is not valid UTF-8") }
                return s
            }
            if b < 0x20 { throw fail("unescaped control character in a string") }
            if b == 0x5C {
                pos += 1
                guard pos < bytes.count else { break }
                switch bytes[pos] {
                case 0x22: out.append(0x22)
                case 0x5C: out.append(0x5C)
                case 0x2F: out.append(0x2F)
                case 0x62: out.append(0x08)
                case 0x66: out.append(0x0C)
                case 0x6E: out.append(0x0A)
                case 0x72: out.append(0x0D)
                case 0x74: out.append(0x09)
                case 0x75:
                    var scalar = try hex4()
                    if scalar >= 0xD800 && scalar < 0xDC00 {
                        guard pos + 2 < bytes.count, bytes[pos + 1] == 0x5C, bytes[pos + 2] == 0x75 else { throw fail("lone high surrogate in \\u escape") }
                        pos += 2
                        let low = try hex4()
                        guard low >= 0xDC00 && low < 0xE000 else { throw fail("invalid low surrogate in \\u escape") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if scalar >= 0xDC00 && scalar < 0xE000 {
                        throw fail("lone low surrogate in \\u escape")
                    }
                    out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
                default: throw fail("invalid escape \\\(describeHere())")
                }
                pos += 1
                continue
            }
            out.append(b)
            pos += 1
        }
        throw fail("unterminated string")
    }

    mutating func hex4() throws(JSONParseError) -> UInt32 {
        guard pos + 4 < bytes.count else { throw fail("incomplete \\u escape") }
        var v: UInt32 = 0
        for k in 1...4 {
            guard let d = hexDigitValue(bytes[pos + k]) else { throw fail("invalid hex digit in \\u escape") }
            v = v << 4 | d
        }
        pos += 4
        return v
    }
}
