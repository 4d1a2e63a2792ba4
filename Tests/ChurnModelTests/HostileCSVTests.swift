import ChurnTestSupport
import Foundation
import Testing
@testable import ChurnModel

/// Adversarial customer files through batch scoring: each gets its documented outcome (docs/reliability.md,
/// "Hostile input"), no cell of the output or rejects file can run as a spreadsheet formula, and every data row
/// is either scored or rejected. Small files are committed under Fixtures/Hostile; large ones are made here.
@Suite("Hostile CSV input")
struct HostileCSVTests {
    static let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("Hostile").path
    static let header = TelcoSchema.header.joined(separator: ",")
    static let rest = ",Female,0,Yes,No,1,No,No phone service,DSL,No,Yes,No,No,No,No,Month-to-month,Yes,Electronic check,29.85,29.85,No"

    struct Outcome {
        var summary: BatchSummary
        var output: (header: [String], rows: [[String]], errors: [CSVError])
        var rejects: (header: [String], rows: [[String]], errors: [CSVError])
    }

    func score(_ input: String, _ dir: TempDir) throws -> Outcome {
        var options = BatchOptions(input: input, output: dir.file("out.csv"), rejects: dir.file("rejects.csv"))
        options.threads = 2
        options.blockSize = 4096
        options.force = true
        options.explain = .all
        options.unknownCategories = .reject // strict, so each hostile category shows up as a reject
        let summary = try BatchScorer(engine: ScoringEngine(artifact: BatchScorerTests.model), options: options).run()
        // A rejects file exists exactly when something was rejected.
        #expect(FileManager.default.fileExists(atPath: dir.file("rejects.csv")) == (summary.rejected > 0))
        let rejects = summary.rejected > 0 ? try readAll(dir.file("rejects.csv")) : (header: [], rows: [], errors: [])
        let outcome = Outcome(summary: summary, output: try readAll(dir.file("out.csv")), rejects: rejects)
        // Row accounting: every data row is in exactly one of the two files.
        #expect(summary.rows == summary.scored + summary.rejected)
        #expect(outcome.output.rows.count == summary.scored)
        #expect(outcome.rejects.rows.count == summary.rejected)
        #expect(outcome.output.errors.isEmpty && outcome.rejects.errors.isEmpty, "the files we write are valid CSV")
        // Nothing a spreadsheet would run as a formula, in any cell of either file.
        for (name, rows) in [("output", outcome.output.rows), ("rejects", outcome.rejects.rows)] {
            for row in rows {
                for cell in row where !cell.isEmpty && !Self.isNumber(cell) {
                    #expect(!"=+-@\t\r".contains(cell.first!), "\(name) cell \(cell.debugDescription) would run as a formula")
                }
            }
        }
        return outcome
    }

    /// Probabilities and line numbers are plain numbers (never negative), which spreadsheets read as values.
    /// A plain decimal (a contribution may be negative: `-0.012345` is a number to a spreadsheet, not a formula).
    static func isNumber(_ s: String) -> Bool {
        s.range(of: #"^-?[0-9]+(\.[0-9]+)?$"#, options: .regularExpression) != nil || (Double(s) != nil && !s.hasPrefix("-") && !s.hasPrefix("+"))
    }

    @Test("formula-injection ids, fields and records are neutralised with a leading quote")
    func formulaInjection() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let o = try score(Self.fixtures + "/formula-injection.csv", dir)
        #expect(o.summary.rows == 10)
        #expect(o.summary.rejectReasons == ["not_a_number": 1, "unknown_category": 1, "field_count": 1])
        let ids = o.output.rows.map { $0[0] }
        #expect(ids == ["'=cmd|' /C calc'!A0", "'+SUM(1+1)", "'-2+3", "'@SUM(A1:A9)", "'=1+1", "'\r=1+1", "'=HYPERLINK(\"http://x\",\"y\")"])
        // The rejected rows' reasons and raw records start with a quote too.
        #expect(o.rejects.rows.map { $0[5].prefix(2) } == ["'=", "'=", "'="])
    }

    @Test("NUL bytes: in an id the bytes pass through; in a number or category the row is rejected")
    func nulBytes() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let o = try score(Self.fixtures + "/nul-bytes.csv", dir)
        #expect(o.summary.rows == 4)
        #expect(o.output.rows.map { $0[0] } == ["NUL\u{0}ID"])
        #expect(o.summary.rejectReasons == ["not_a_number": 1, "unknown_category": 1, "field_count": 1])
    }

    @Test("invalid UTF-8: ids pass through byte for byte; categories and numbers are rejected")
    func invalidUTF8() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let o = try score(Self.fixtures + "/invalid-utf8.csv", dir)
        #expect(o.summary.rows == 4)
        #expect(o.summary.scored == 2)
        #expect(o.summary.rejectReasons == ["not_a_number": 1, "unknown_category": 1])
        let raw = try Data(contentsOf: URL(fileURLWithPath: dir.file("out.csv")))
        #expect(raw.range(of: Data([0x62, 0x61, 0x64, 0x2D, 0xFF, 0xFE, 0x2D])) != nil, "the id's bytes are kept")
    }

    @Test("BOM, CRLF, quoted commas and newlines, junk after a quote, extra fields, an open quote at the end")
    func structure() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let o = try score(Self.fixtures + "/structure.csv", dir)
        #expect(o.output.rows.map { $0[0] } == ["quoted,id", "multi\nline id"])
        #expect(o.summary.rejectReasons == ["malformed_csv": 2, "field_count": 1])
        #expect(o.summary.rows == 5 && o.summary.blankLines == 1, "a blank line is counted, not a row")
    }

    @Test("a 2 MB id and a 1 MB line are scored or rejected like any other row")
    func hugeFields() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let hugeID = String(repeating: "x", count: 2 << 20)
        let longLine = "wide" + Self.rest + String(repeating: ",y", count: 1 << 19)
        let hugeNumber = "big" + Self.rest.replacingOccurrences(of: ",29.85,29.85,", with: "," + String(repeating: "9", count: 1 << 20) + ",29.85,")
        let input = dir.write("in.csv", [Self.header, hugeID + Self.rest, longLine, hugeNumber, "ok" + Self.rest].joined(separator: "\n") + "\n")
        let o = try score(input, dir)
        #expect(o.output.rows.map { $0[0].count } == [2 << 20, 2])
        // A million nines is a finite number? No: it overflows a Double and is rejected, with a clipped value.
        #expect(o.summary.rejectReasons == ["field_count": 1, "not_a_number": 1])
        #expect(o.rejects.rows.allSatisfy { $0[4].count < 200 }, "reasons clip the offending value")
    }

    @Test("10,000 columns: extra columns are ignored; without the model's columns nothing is written")
    func tenThousandColumns() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let extra = (0..<(10_000 - TelcoSchema.header.count)).map { "extra\($0)" }
        let wide = dir.write("wide.csv", ([Self.header + "," + extra.joined(separator: ",")]
            + (0..<20).map { "id\($0)" + Self.rest + String(repeating: ",z", count: extra.count) }).joined(separator: "\n") + "\n")
        let o = try score(wide, dir)
        #expect(o.summary.scored == 20)
        let foreign = dir.write("foreign.csv", (0..<10_000).map { "c\($0)" }.joined(separator: ",") + "\n1,2\n")
        #expect(throws: BatchError.self) { try self.score(foreign, dir) }
        #expect(!FileManager.default.fileExists(atPath: dir.file("out.csv")) || o.summary.scored == 20)
    }

    @Test("a record over 16 MiB (an open quote swallowing the file) stops the run with its line and writes no output")
    func recordTooLarge() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let input = dir.write("in.csv", Self.header + "\n" + "a" + Self.rest + "\n\"open" + String(repeating: "x,", count: 9 << 20) + "\n")
        var options = BatchOptions(input: input, output: dir.file("out.csv"), rejects: dir.file("rejects.csv"))
        options.threads = 2
        do {
            _ = try BatchScorer(engine: ScoringEngine(artifact: BatchScorerTests.model), options: options).run()
            Issue.record("a 18 MB record was accepted")
        } catch {
            #expect("\(error)".contains(":3:1: record is longer than 16 MiB"), "\(error)")
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(left == ["in.csv"], "no output, rejects or temporary file is left: \(left)")
    }

    @Test("an empty file, a lone BOM and a blank header line are refused up front", arguments: [[UInt8](), [0xEF, 0xBB, 0xBF], [0x0A, 0x61, 0x0A]])
    func emptyHeader(bytes: [UInt8]) throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let input = dir.write("in.csv", bytes)
        #expect(throws: BatchError.self) { try self.score(input, dir) }
    }
}
