import ChurnTestSupport
import Foundation
import Testing
@testable import ChurnModel

/// Users' own files through the reader and the batch scorer: blank lines, side files, drift on small samples,
/// other separators and encodings, open quotes, directories and truncated models (issue 14).
@Suite("User files: blank lines, side files, drift sample, file errors")
struct UserFileTests {
    static let header = BatchScorerTests.header

    func score(_ dir: TempDir, _ input: String, output: String? = nil, configure: (inout BatchOptions) -> Void = { _ in }) throws -> BatchSummary {
        let out = output ?? dir.file("out.csv")
        var options = BatchOptions(input: input, output: out, rejects: BatchOptions.rejectsPath(forOutput: out, input: input))
        options.rejectsIsSideFile = true
        options.threads = 2
        options.blockSize = 512
        configure(&options)
        return try BatchScorer(engine: ScoringEngine(artifact: BatchScorerTests.model), options: options).run()
    }

    // MARK: Blank lines

    @Test("blank lines (empty, spaces, CRLF, trailing) are counted, not rows; no rejects file; reject lines stay exact")
    func blankLines() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let rows = BatchScorerTests.telcoRows(copies: 3)
        let clean = dir.write("clean.csv", ([Self.header] + rows).joined(separator: "\n") + "\n\n")
        let s = try score(dir, clean)
        #expect(s.rows == rows.count && s.scored == rows.count && s.rejected == 0 && s.blankLines == 1)
        #expect(s.rejectsPath == nil && !FileManager.default.fileExists(atPath: dir.file("out.rejects.csv")))

        // Blank lines in the middle, with spaces and CRLF, then a bad row: its line number counts every line.
        let bad = BatchScorerTests.setting(rows[0], field: 5, to: "ten")
        let lines = [Self.header, rows[0], "", "   ", rows[1], "\r", bad]
        let messy = dir.write("messy.csv", lines.joined(separator: "\n") + "\n\n\n")
        let m = try score(dir, messy, output: dir.file("messy.out.csv"))
        #expect(m.blankLines == 5 && m.rows == 3 && m.scored == 2 && m.rejected == 1)
        let rejects = try readAll(dir.file("messy.out.rejects.csv"))
        #expect(rejects.rows.count == 1 && rejects.rows[0][0] == "7", "the bad row is on line 7: \(rejects.rows)")
    }

    @Test("training and evaluate skip blank lines without calling them skipped rows")
    func blankLinesInTrainingAndEvaluate() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let text = TrainingTableTests.telcoSample.replacingOccurrences(of: "\n", with: "\n\n") + "\n \n"
        let path = dir.write("train.csv", text)
        let table = try TrainingTable.load(path: path)
        #expect(table.skippedCount == 0 && table.blankLines > 5)
        let evaluation = try ModelEvaluation.run(BatchScorerTests.model, path: path)
        #expect(evaluation.skipped == 0 && evaluation.blankLines == table.blankLines)
    }

    // MARK: Side files

    @Test("rejects go beside the output, named after it; shards and stdout get their own names")
    func rejectsPaths() {
        #expect(BatchOptions.rejectsPath(forOutput: "out/part-1.csv", input: "data/big.csv") == "out/part-1.rejects.csv")
        #expect(BatchOptions.rejectsPath(forOutput: "data/big.scored.csv", input: "data/big.csv") == "data/big.rejects.csv")
        #expect(BatchOptions.rejectsPath(forOutput: "x.jsonl", input: "a.csv") == "x.rejects.csv")
        #expect(BatchOptions.rejectsPath(forOutput: "dir.v2/out", input: "a.csv") == "dir.v2/out.rejects.csv")
        #expect(BatchOptions.rejectsPath(forOutput: "-", input: "/data/big.csv") == "big.rejects.csv")
        #expect(BatchOptions.rejectsPath(forOutput: "-", input: "/data/big.csv", shard: Shard(index: 1, count: 3))
                == "big.shard-1-of-3.rejects.csv")
    }

    @Test("re-running with another output needs no --force; a stale side file goes when nothing is rejected")
    func reruns() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let rows = BatchScorerTests.telcoRows(copies: 2)
        let bad = BatchScorerTests.setting(rows[0], field: 5, to: "ten")
        let input = dir.write("in.csv", ([Self.header] + rows + [bad]).joined(separator: "\n") + "\n")
        let first = try score(dir, input, output: dir.file("a.csv"))
        #expect(first.rejected == 1 && first.rejectsPath == dir.file("a.rejects.csv"))
        let second = try score(dir, input, output: dir.file("b.csv"))
        #expect(second.rejectsPath == dir.file("b.rejects.csv"))
        // Nothing was written next to the input under its own name.
        #expect(!FileManager.default.fileExists(atPath: dir.file("in.rejects.csv")))
        // The same output again needs --force for OUT, and then replaces its side file too.
        #expect(throws: BatchError.self) { try score(dir, input, output: dir.file("a.csv")) }
        let clean = dir.write("clean.csv", ([Self.header] + rows).joined(separator: "\n") + "\n")
        let third = try score(dir, clean, output: dir.file("a.csv")) { $0.force = true }
        #expect(third.rejected == 0 && third.rejectsPath == nil)
        #expect(!FileManager.default.fileExists(atPath: dir.file("a.rejects.csv")), "a.csv's old rejects no longer describe it")
        // A rejects path the user named is still protected.
        FileManager.default.createFile(atPath: dir.file("mine.csv"), contents: Data("keep".utf8))
        #expect(throws: BatchError.self) {
            try score(dir, input, output: dir.file("c.csv")) { $0.rejects = dir.file("mine.csv"); $0.rejectsIsSideFile = false }
        }
    }

    // MARK: Drift sample size

    @Test("drift on a 5-row file is not measured (was 'major', PSI 5.8); the rule is stated and applied")
    func driftNeedsRows() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let rows = BatchScorerTests.telcoRows(copies: 1)
        let tiny = dir.write("tiny.csv", ([Self.header] + rows.prefix(5)).joined(separator: "\n") + "\n")
        let s = try score(dir, tiny)
        let profile = BatchScorerTests.model.reference
        #expect(s.drift.minimumRows == DriftReport.minimumRows(for: profile))
        #expect(!s.drift.isMeasured && s.drift.score == 0 && s.drift.notMeasuredReason?.contains("5 rows") == true)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(s)) as! [String: Any]
        let drift = json["drift"] as! [String: Any]
        #expect(drift["score"] is NSNull && (drift["notMeasured"] as? String)?.contains("at least") == true)

        // The rule: 5 expected rows in every bin holding >= 1% of training rows, at least 50.
        let deciles = ReferenceProfile(rows: 100, columns: [ColumnProfile(name: "x", kind: .numeric, edges: [],
                                                                          proportions: [Double](repeating: 0.1, count: 10) + [0])])
        #expect(DriftReport.minimumRows(for: deciles) == 50)
        let rare = ReferenceProfile(rows: 100, columns: [ColumnProfile(name: "c", kind: .categorical, edges: [],
                                                                       proportions: [0.975, 0.02, 0.005, 0])])
        #expect(DriftReport.minimumRows(for: rare) == 250, "the 2% bin counts, the 0.5% one does not")
        // Enough rows: measured, with a score.
        let many = dir.write("many.csv", ([Self.header] + BatchScorerTests.telcoRows(copies: 60)).joined(separator: "\n") + "\n")
        let big = try score(dir, many, output: dir.file("many.out.csv"))
        #expect(big.rows >= big.drift.minimumRows && big.drift.isMeasured)
    }

    // MARK: File errors

    func headerError(_ bytes: [UInt8], delimiter: UInt8 = 0x2C) throws -> CSVError? {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.write("in.csv", bytes)
        do {
            _ = try CSVReader(path: path, delimiter: delimiter)
            return nil
        } catch {
            return error
        }
    }

    @Test("';' and tab files are recognised and named; --delimiter reads them like commas")
    func delimiters() throws {
        let semi = Array("customerID;tenure;Churn\nA;1;Yes\n".utf8)
        let e = try headerError(semi)
        #expect(e?.reason == .looksDelimited(0x3B) && e?.isHeaderProblem == true)
        #expect(e?.message.contains("--delimiter ';'") == true)
        #expect(try headerError(Array("a\tb\tc\n1\t2\t3\n".utf8))?.reason == .looksDelimited(0x09))
        #expect(try headerError(semi, delimiter: 0x3B) == nil)

        let dir = TempDir()
        defer { dir.cleanup() }
        let rows = BatchScorerTests.telcoRows(copies: 2)
        let comma = dir.write("comma.csv", ([Self.header] + rows).joined(separator: "\n") + "\n")
        let semicolon = dir.write("semi.csv", ([Self.header] + rows).joined(separator: "\n").replacingOccurrences(of: ",", with: ";") + "\n")
        let a = try score(dir, comma, output: dir.file("a.csv"))
        let b = try score(dir, semicolon, output: dir.file("b.csv")) { $0.delimiter = 0x3B }
        #expect(b.scored == rows.count && b.rejected == 0)
        #expect(try String(contentsOfFile: dir.file("a.csv"), encoding: .utf8) == String(contentsOfFile: dir.file("b.csv"), encoding: .utf8))
        #expect(a.scored == b.scored)
    }

    @Test("gzip, UTF-16 (BOM or NULs), Latin-1 headers and binary files are named, not read as rows")
    func encodings() throws {
        #expect(try headerError([0x1F, 0x8B, 0x08, 0x00, 0x0A])?.reason == .compressed("gzip"))
        #expect(try headerError([0x50, 0x4B, 0x03, 0x04, 0x0A])?.reason == .compressed("zip"))
        let utf16 = Array("customerID,tenure\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(try headerError([0xFF, 0xFE] + utf16)?.reason == .utf16("little-endian byte-order mark"))
        if case .utf16? = try headerError(utf16)?.reason {} else { Issue.record("UTF-16 without a BOM not recognised") }
        let latin1: [UInt8] = Array("customerID,Ville,".utf8) + [0x44, 0xE9, 0x70, 0x74] + Array("\nA,B,C\n".utf8)
        let e = try headerError(latin1)
        #expect(e?.reason == .notUTF8(byte: 0xE9, column: 19) && e?.message.contains("iconv") == true)
        #expect(try headerError([0x41, 0x00, 0x00, 0x00, 0x42, 0x2C, 0x43, 0x0A])?.reason == .binary)
        // Data rows keep their per-row handling (HostileCSVTests): only the header decides.
        #expect(try headerError(Array("a,b\n".utf8) + [0xE9, 0x2C, 0x00, 0x0A]) == nil)
    }

    @Test("an open quote says where it opened and how many lines it swallowed")
    func openQuote() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.write("q.csv", "a,b\n1,2\n3,\"oops\n4,5\n6,7\n8,9\n")
        let (_, _, errors) = try readAll(path)
        #expect(errors.count == 1)
        #expect(errors[0].line == 3 && errors[0].linesSwallowed == 4, "lines 3 to 6")
        #expect(errors[0].message.contains("swallowed 4 lines"))
    }

    @Test("a directory or a device given as the input says what it is")
    func notAFile() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        for (path, kind) in [(dir.path, "a directory"), ("/dev/null", "a character device")] {
            do {
                _ = try CSVReader(path: path)
                Issue.record("\(path) was opened")
            } catch {
                #expect(error.description.contains("it is \(kind)"), "\(error)")
            }
        }
        do {
            _ = try ModelArtifact.load(path: dir.path)
            Issue.record("a directory loaded as a model")
        } catch {
            #expect(error.description.contains("it is a directory"))
        }
    }

    @Test("a truncated model file says truncated")
    func truncatedModel() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let full = try JSONEncoder().encode(BatchScorerTests.model)
        for cut in [full.count / 2, full.count - 1, 10] {
            let path = dir.write("m\(cut).json", Array(full.prefix(cut)))
            do {
                _ = try ModelArtifact.load(path: path)
                Issue.record("a model cut at \(cut) of \(full.count) bytes loaded")
            } catch {
                #expect(error.description.contains("truncated"), "\(error)")
            }
        }
        let junk = dir.write("junk.json", "{\"a\": 1]")
        #expect(throws: ModelLoadError.self) { try ModelArtifact.load(path: junk) }
        do { _ = try ModelArtifact.load(path: junk) } catch { #expect(!error.description.contains("truncated")) }
    }
}
