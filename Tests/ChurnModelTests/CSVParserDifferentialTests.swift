import Foundation
import Testing
@testable import ChurnModel

/// The word-at-a-time record parser against the byte-at-a-time reference (`ReferenceCSVParser`) on many
/// seeded random inputs: quotes, `""`, junk after a closing quote, unterminated quotes, CR / CRLF / LF and
/// blank lines, non-ASCII bytes, several delimiters, fields of 0...40 bytes so 8-byte words straddle field ends
/// and the end of the block. Every record's line, fields, raw range and error must be the same.
@Suite("CSV parser, word at a time, against the reference")
struct CSVParserDifferentialTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Delimiters the CLI accepts plus bytes it does not (high bytes test the SWAR borrow logic, '\r' the CRLF rules).
    static let delimiters: [UInt8] = [0x2C, 0x3B, 0x09, 0x7C, 0x80, 0xFF, 0x0D, 0x01]

    @Test("random inputs parse the same as the reference, whole and cut at random points")
    func randomInputs() {
        var rng = SplitMix64(seed: 0x5EED_16)
        var mismatches: [String] = []
        var records = 0
        var errors = 0
        for d in Self.delimiters {
            // One parser per delimiter, reused across inputs, as a block reuses its field table.
            let parser = CSVRecordParser(delimiter: d)
            let reference = ReferenceCSVParser(delimiter: d, file: "t.csv")
            for round in 0..<400 {
                let input = CSVNoise.input(delimiter: d, using: &rng)
                let firstLine = 1 + Int(rng.next() % 1000)
                var cuts = [input.count]
                for _ in 0..<3 where !input.isEmpty { cuts.append(Int(rng.next() % UInt64(input.count + 1))) }
                for cut in cuts {
                    let bytes = Array(input[..<cut])
                    let want = reference.parse(bytes, firstLine: firstLine)
                    let got = Self.parse(bytes, firstLine: firstLine, with: parser)
                    records += want.count
                    errors += want.filter { $0.error != nil }.count
                    if got != want, mismatches.count < 3 {
                        let k = (0..<min(got.count, want.count)).first { got[$0] != want[$0] } ?? min(got.count, want.count)
                        mismatches.append("""
                            delimiter \(d), round \(round), cut \(cut): \(String(decoding: bytes, as: UTF8.self).debugDescription)
                              record \(k): got \(k < got.count ? got[k].description : "none (\(got.count) records)")
                                     want \(k < want.count ? want[k].description : "none (\(want.count) records)")
                            """)
                    }
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
        // The generator must actually reach the error paths, or the comparison proves little.
        #expect(records > 20_000)
        #expect(errors > 500)
    }

    @Test("the real Telco file parses the same as the reference")
    func telcoFile() throws {
        let path = Self.packageRoot.appendingPathComponent("../shared/data/telco.csv").standardizedFileURL.path
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let want = ReferenceCSVParser(delimiter: 0x2C, file: "t.csv").parse(bytes, firstLine: 1)
        let got = Self.parse(bytes, firstLine: 1, with: CSVRecordParser(delimiter: 0x2C))
        #expect(want.count > 7000)
        #expect(got == want)
    }

    @Test("the byte scanner finds the first of its two bytes, never looking past the end")
    func byteScanner() {
        var rng = SplitMix64(seed: 42)
        let alphabet: [UInt8] = [0x00, 0x01, 0x0A, 0x22, 0x2C, 0x7F, 0x80, 0x81, 0xFE, 0xFF]
        for _ in 0..<3000 {
            let a = alphabet[Int(rng.next() % 10)], b = alphabet[Int(rng.next() % 10)]
            let n = Int(rng.next() % 40)
            // Targets are rare, so runs of 8+ other bytes (near misses like 0x80 vs 0x00) occur; the bytes end at
            // an unreadable page.
            let others = alphabet.filter { $0 != a && $0 != b }
            let storage = (0..<n).map { _ in rng.next() % 8 == 0 ? (rng.next() % 2 == 0 ? a : b) : others[Int(rng.next() % UInt64(others.count))] }
            let from = n == 0 ? 0 : Int(rng.next() % UInt64(n + 1))
            let scanner = ByteScanner(a, b)
            let guarded = GuardedBytes(storage)
            let got = scanner.next(in: guarded.buffer.baseAddress!, from: from, end: n)
            let want = (from..<n).first { storage[$0] == a || storage[$0] == b } ?? n
            #expect(got == want, "bytes \(storage[..<n]) from \(from) looking for \(a), \(b)")
        }
    }

    @Test("the stop window finds every stop byte in order, across windows and into the tail, never past the end")
    func stopWindow() {
        var rng = SplitMix64(seed: 99)
        let alphabet: [UInt8] = [0x00, 0x01, 0x0A, 0x22, 0x2C, 0x7F, 0x80, 0x81, 0x8A, 0xAC, 0xFE, 0xFF]
        for _ in 0..<1500 {
            let a = alphabet[Int(rng.next() % 12)], b = alphabet[Int(rng.next() % 12)]
            let n = Int(rng.next() % 300)
            // Sparse or dense stops, so some windows hold none and some runs span several windows.
            let rate = 1 + rng.next() % 90
            let others = alphabet.filter { $0 != a && $0 != b }
            let bytes = (0..<n).map { _ in rng.next() % rate == 0 ? (rng.next() % 2 == 0 ? a : b) : others[Int(rng.next() % UInt64(others.count))] }
            let guarded = GuardedBytes(bytes)
            var window = StopWindow(a, b)
            var pos = Int(rng.next() % 5)
            while pos <= n {
                let got = window.next(in: guarded.buffer.baseAddress!, from: pos, end: n)
                let want = (pos..<n).first { bytes[$0] == a || bytes[$0] == b } ?? n
                #expect(got == want, "\(n) bytes, stops \(a) \(b), from \(pos)")
                if got != want { break }
                // Sometimes jump ahead (as after a quoted field), else continue right after the stop.
                pos = got + 1 + (rng.next() % 4 == 0 ? Int(rng.next() % 100) : 0)
            }
        }
    }

    @Test("newlines counted 32 at a time equal a plain count, at any length, alignment and density")
    func countNewlines() {
        var rng = SplitMix64(seed: 7)
        var cases: [[UInt8]] = [[], [0x0A], Array(repeating: 0x0A, count: 40_000), Array(repeating: 0x8A, count: 40_000)]
        for _ in 0..<300 {
            let n = Int(rng.next() % 300)
            let density = 1 + rng.next() % 8
            cases.append((0..<n).map { _ in rng.next() % density == 0 ? 0x0A : UInt8(truncatingIfNeeded: rng.next()) })
        }
        // All newlines for longer than the 255-step lane flush, then a misaligned start.
        cases.append(Array(repeating: 0x0A, count: 255 * 32 + 33) + [0x41, 0x0A])
        for bytes in cases {
            #expect(CSVReader.countNewlines(bytes) == bytes.filter { $0 == 0x0A }.count)
            let guarded = GuardedBytes(bytes)
            #expect(ByteScanner.countNewlines(guarded.buffer) == bytes.filter { $0 == 0x0A }.count)
            if bytes.count > 3 {
                let tail = ByteScanner.countNewlines(UnsafeBufferPointer(rebasing: guarded.buffer[3...]))
                #expect(tail == bytes[3...].filter { $0 == 0x0A }.count)
            }
        }
    }

    /// Parses `bytes` placed to end at an unreadable page, so a read past the end crashes the test.
    static func parse(_ bytes: [UInt8], firstLine: Int, with parser: CSVRecordParser) -> [ReferenceCSVParser.Record] {
        let guarded = GuardedBytes(bytes)
        var records: [ReferenceCSVParser.Record] = []
        parser.parseAll(guarded.buffer, firstLine: firstLine, file: "t.csv") { r in
            records.append(.init(line: r.line, fields: (0..<r.count).map { Array(r.field($0)) },
                                 rawStart: r.rawStart, rawEnd: r.rawEnd, error: r.error))
        }
        return records
    }
}

/// Seeded CSV-ish inputs: mostly well-formed records with every kind of field and line ending, some damaged
/// ones, and some byte soup from the structural alphabet.
enum CSVNoise {
    static func input(delimiter d: UInt8, using rng: inout SplitMix64) -> [UInt8] {
        func int(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
        let text: [UInt8] = Array("abcXYZ019 .-_".utf8) + [0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0x80, 0xFF, 0x7F, d ^ 0x80, d &+ 1]
        if int(5) == 0 {
            let soup: [UInt8] = [d, d, 0x22, 0x22, 0x0A, 0x0D, 0x61, 0x62, 0xC3, 0x80, 0xFF, 0x20]
            return (0..<int(200)).map { _ in soup[int(soup.count)] }
        }
        var out: [UInt8] = []
        for _ in 0..<int(30) {
            if int(10) == 0 {
                out += int(2) == 0 ? [0x0A] : [0x0D, 0x0A]
                continue
            }
            for f in 0..<(1 + int(8)) {
                if f > 0 { out.append(d) }
                let length = int(41)
                if int(4) == 0 {
                    out.append(0x22)
                    for _ in 0..<length {
                        switch int(12) {
                        case 0: out += [0x22, 0x22]
                        case 1: out.append(0x0A)
                        case 2: out.append(d)
                        case 3: out.append(0x0D)
                        default: out.append(text[int(text.count)])
                        }
                    }
                    out.append(0x22)
                    if int(10) == 0 { out += [[0x78], [0x20], [0x22], [0x0D, 0x78], [0x78, 0x22]][int(5)] }
                } else {
                    for _ in 0..<length {
                        switch int(30) {
                        case 0: out.append(0x22)
                        case 1: out.append(0x0D)
                        default: out.append(text[int(text.count)])
                        }
                    }
                }
            }
            switch int(20) {
            case 0: out.append(0x0D)
            case 1...6: out += [0x0D, 0x0A]
            default: out.append(0x0A)
            }
        }
        if int(8) == 0 { out += [0x22] + (0..<int(40)).map { _ in [0x61, 0x0A, d, 0x22][int(4)] } }
        if int(3) == 0, out.last == 0x0A { out.removeLast() }
        return out
    }
}
