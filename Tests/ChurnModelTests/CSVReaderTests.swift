import ChurnTestSupport
import Foundation
import Testing
@testable import ChurnModel

@Suite("CSV reader")
struct CSVReaderTests {
    @Test("quoted fields, doubled quotes, embedded commas and newlines, CRLF")
    func rfc4180Features() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.write("a.csv", "id,note,amount\r\n1,\"hello, world\",3.5\r\n2,\"she said \"\"hi\"\"\",4\r\n3,\"two\nlines\",5\r\n")
        let (header, rows, errors) = try readAll(path)
        #expect(header == ["id", "note", "amount"])
        #expect(errors.isEmpty)
        #expect(rows == [["1", "hello, world", "3.5"], ["2", "she said \"hi\"", "4"], ["3", "two\nlines", "5"]])
    }

    @Test("UTF-8 byte order mark is dropped and a missing final newline still ends the last record")
    func bomAndNoFinalNewline() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.write("b.csv", [0xEF, 0xBB, 0xBF] + Array("customerID,x\nA,1\nB,2".utf8))
        let (header, rows, _) = try readAll(path)
        #expect(header == ["customerID", "x"])
        #expect(rows == [["A", "1"], ["B", "2"]])
    }

    @Test("only the first BOM is dropped, however the bytes arrive (a second U+FEFF is part of the first name)",
          arguments: [1, 2, 3, 4, 5, 48, 1 << 20])
    func onlyOneBOM(chunkSize: Int) throws {
        // Found by fuzzing: with small reads a second BOM was stripped too, with one read it was kept.
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.write("bb.csv", [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF] + Array("id,x\nA,1\n".utf8))
        let (header, rows, _) = try readAll(path, chunkSize: chunkSize)
        #expect(header == ["\u{FEFF}id", "x"])
        #expect(rows == [["A", "1"]])
    }

    @Test("a quote left open at the end of the file is reported at the line and column where it opened")
    func unterminatedQuote() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.write("c.csv", "a,b\n1,2\n3,\"never closed\n4,5\n")
        let (_, rows, errors) = try readAll(path)
        #expect(rows.count == 2)
        #expect(errors.count == 1)
        #expect(errors[0].line == 3)
        #expect(errors[0].column == 3)
        #expect(errors[0].reason == .unterminatedQuote)
        #expect(errors[0].description.hasPrefix(path + ":3:3: quoted field is never closed"))
    }

    @Test("text after a closing quote is an error for that record only; the next record parses")
    func junkAfterQuote() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.write("d.csv", "a,b\n\"x\"y,2\n3,4\n")
        let (_, rows, errors) = try readAll(path)
        #expect(rows.count == 2)
        #expect(rows[1] == ["3", "4"])
        #expect(errors.count == 1)
        #expect(errors[0].line == 2 && errors[0].column == 4)
        #expect(errors[0].reason == .unexpectedAfterQuote(UInt8(ascii: "y")))
    }

    @Test("blank lines come back as records without fields, with their line numbers")
    func blankLines() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.write("e.csv", "a\n1\n\n2\r\n\r\n3\n")
        let reader = try CSVReader(path: path)
        var seen: [(Int, Int)] = []
        try reader.forEachRecord { seen.append(($0.line, $0.count)) }
        #expect(seen.map(\.0) == [2, 3, 4, 5, 6])
        #expect(seen.map(\.1) == [1, 0, 1, 0, 1])
    }

    @Test("a header problem names the file and what to do")
    func headerErrors() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let empty = dir.write("empty.csv", "")
        #expect(throws: CSVError.self) { _ = try CSVReader(path: empty) }
        let dup = dir.write("dup.csv", "a,b,a\n1,2,3\n")
        do {
            _ = try CSVReader(path: dup)
            Issue.record("duplicate column accepted")
        } catch {
            #expect(error.reason == .duplicateColumn("a"))
        }
        do {
            _ = try CSVReader(path: dir.file("missing.csv"))
            Issue.record("missing file accepted")
        } catch {
            #expect(error.description.contains("missing.csv: cannot open file"))
        }
    }

    @Test("record positions: line and column of any field, also after multi-line fields")
    func fieldPositions() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.write("p.csv", "a,b,c\n\"multi\nline\",xx,yyy\n")
        let reader = try CSVReader(path: path)
        var positions: [(Int, Int)] = []
        try reader.forEachRecord { r in positions = (0..<3).map { r.position(ofField: $0) } }
        #expect(positions.map(\.0) == [2, 3, 3])
        #expect(positions.map(\.1) == [1, 7, 10])
    }

    @Test("every chunk size yields the same records as Python's csv module on generated tricky files", arguments: [1, 7, 64, 4096])
    func matchesPythonCSV(chunkSize: Int) throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        for seed in UInt64(1)...6 {
            let bytes = TrickyCSV.make(seed: seed, rows: 300)
            let path = dir.write("t\(seed).csv", bytes)
            let python = try pythonRows(path)
            let (header, rows, errors) = try readAll(path, chunkSize: chunkSize)
            #expect(errors.isEmpty)
            #expect([header] + rows == python, "seed \(seed) chunk \(chunkSize)")
        }
    }

    /// The records Python's csv module reads from `path` (utf-8-sig strips a BOM), as JSON.
    func pythonRows(_ path: String) throws -> [[String]] {
        let script = "import csv,json,sys\nwith open(sys.argv[1], newline='', encoding='utf-8-sig') as f:\n    print(json.dumps(list(csv.reader(f))))"
        let result = try run("python3", ["-c", script, path])
        #expect(result.status == 0, "python3 failed: \(String(decoding: result.stderr, as: UTF8.self))")
        return try JSONDecoder().decode([[String]].self, from: result.stdout)
    }
}

/// Valid but awkward CSV: quoted commas, doubled quotes, embedded LF and CRLF, unicode, stray quotes in
/// unquoted fields, empty fields, blank lines, mixed line endings, optional BOM and final newline.
enum TrickyCSV {
    static func make(seed: UInt64, rows: Int) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next() % UInt64(xs.count))] }
        var out: [UInt8] = seed % 2 == 0 ? [0xEF, 0xBB, 0xBF] : []
        let plain = ["abc", "12.5", "", " spaced ", "é café", "日本", "x\"y", "-3", "Yes", "No internet service", "a'b"]
        let quoted = ["a,b", "say \"\"hi\"\"", "line1\nline2", "crlf\r\nin", "", ",,,", "\"\"", "tab\there", "end\r"]
        let width = 1 + Int(rng.next() % 6)
        func field() -> String {
            rng.next() % 3 == 0 ? "\"" + pick(quoted) + "\"" : pick(plain)
        }
        out += Array((0..<width).map { "c\($0)" }.joined(separator: ",").utf8) + [0x0A]
        for r in 1...rows {
            if rng.next() % 25 == 0 {
                out += Array((rng.next() % 2 == 0 ? "\n" : "\r\n").utf8)
                continue
            }
            var line = (0..<width).map { _ in field() }.joined(separator: ",")
            if line.isEmpty { line = "\"\"" }
            out += Array(line.utf8)
            if r < rows || seed % 3 != 0 {
                out += Array((rng.next() % 2 == 0 ? "\n" : "\r\n").utf8)
            }
        }
        return out
    }
}
