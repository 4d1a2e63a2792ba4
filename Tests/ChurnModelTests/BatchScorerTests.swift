import ChurnTestSupport
import Foundation
import Testing
@testable import ChurnModel

@Suite("Batch scoring")
struct BatchScorerTests {
    static let model: ModelArtifact = try! ModelArtifactTests.trained()

    /// Telco sample rows repeated `copies` times with unique ids.
    static func telcoRows(copies: Int) -> [String] {
        let body = TrainingTableTests.telcoSample.split(separator: "\n").dropFirst()
        var rows: [String] = []
        for k in 0..<copies {
            for line in body { rows.append(line.replacingOccurrences(of: "-", with: "-\(k)x", options: [], range: line.range(of: "-"))) }
        }
        return rows
    }

    static let header = TelcoSchema.header.joined(separator: ",")

    /// The row with field `k` replaced.
    static func setting(_ row: String, field k: Int, to value: String) -> String {
        var fields = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        fields[k] = value
        return fields.joined(separator: ",")
    }

    /// 1-based byte column where field `k` starts.
    static func column(_ row: String, field k: Int) -> Int {
        row.split(separator: ",", omittingEmptySubsequences: false).prefix(k).reduce(1) { $0 + $1.utf8.count + 1 }
    }

    func score(_ dir: TempDir, _ input: String, threads: Int = 2, configure: (inout BatchOptions) -> Void = { _ in }) throws -> BatchSummary {
        var options = BatchOptions(input: input, output: dir.file("out.csv"), rejects: dir.file("rejects.csv"))
        options.threads = threads
        options.blockSize = 512
        options.force = true
        options.unknownCategories = .reject // these tests check rejects; the default mode has its own tests
        configure(&options)
        return try BatchScorer(engine: ScoringEngine(artifact: Self.model), options: options).run()
    }

    func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    @Test("every row ends up scored or rejected, in input order, with line, column and reason")
    func rowAccounting() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        var rows = Self.telcoRows(copies: 3)
        rows[2] = "9999-BAD01,Female,0,Yes"                                          // wrong field count
        rows[5] = Self.setting(rows[5], field: 5, to: "forty-five")                 // unparsable number
        rows[7] = Self.setting(rows[7], field: 15, to: "Weekly")                     // unknown category
        rows.insert("", at: 10)                                                      // blank line
        rows.append("7777-OPEN1,Male,0,No,No,5,Yes,No,DSL,No,No,No,No,No,No,\"Month-to-month,Yes,Mailed check,50,250") // quote open at EOF
        let input = dir.write("in.csv", Self.header + "\n" + rows.joined(separator: "\n") + "\n")
        let summary = try score(dir, input)
        let out = try lines(dir.file("out.csv"))
        // Rejects hold raw records, which may span lines: read them as CSV.
        let parsed = try readAll(dir.file("rejects.csv"))
        let rejects = [parsed.header.joined(separator: ",")] + parsed.rows.map { $0.joined(separator: ",") }
        #expect(parsed.header == ["line", "column", "field", "code", "reason", "record"])
        #expect(parsed.rows.last?.last == rows.last! + "\n")
        // The blank line is not a row: counted apart, never rejected; the lines after it keep their numbers.
        #expect(summary.rows == rows.count - 1 && summary.blankLines == 1)
        #expect(summary.rows == summary.scored + summary.rejected)
        #expect(out.count - 1 == summary.scored)
        #expect(rejects.count - 1 == summary.rejected)
        #expect(summary.rejected == 4)
        #expect(summary.rejectReasons == ["field_count": 1, "not_a_number": 1, "unknown_category": 1, "malformed_csv": 1])
        #expect(rejects[1].hasPrefix("4,1,,field_count,"))
        #expect(rejects[2].hasPrefix("7,\(Self.column(rows[5], field: 5)),tenure,not_a_number,"))
        #expect(rejects[3].hasPrefix("9,") && rejects[3].contains(",Contract,unknown_category,"))
        #expect(rejects[4].hasPrefix("\(rows.count + 1),"))
        #expect(rejects[4].contains("malformed_csv"))
        // Scored rows keep input order.
        let ids = out.dropFirst().map { String($0.split(separator: ",")[0]) }
        let expected = rows.enumerated().compactMap { i, r -> String? in
            [2, 5, 7, 10, rows.count - 1].contains(i) ? nil : String(r.split(separator: ",")[0])
        }
        #expect(ids == expected)
    }

    @Test("one thread and two threads give byte-identical output", arguments: [OutputFormat.csv, .jsonl])
    func deterministic(format: OutputFormat) throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let input = dir.write("in.csv", Self.header + "\n" + Self.telcoRows(copies: 40).joined(separator: "\n") + "\n")
        _ = try score(dir, input, threads: 1) { $0.format = format; $0.explain = .top(3); $0.output = dir.file("one") }
        _ = try score(dir, input, threads: 2) { $0.format = format; $0.explain = .top(3); $0.output = dir.file("two") }
        let one = try Data(contentsOf: URL(fileURLWithPath: dir.file("one")))
        let two = try Data(contentsOf: URL(fileURLWithPath: dir.file("two")))
        #expect(one == two)
        #expect(one.count > 10_000)
    }

    @Test("probabilities match the model's own predictor and risk levels follow the thresholds")
    func matchesPredictor() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let input = dir.write("in.csv", Self.header + "\n" + Self.telcoRows(copies: 1).joined(separator: "\n") + "\n")
        _ = try score(dir, input)
        let out = try lines(dir.file("out.csv")).dropFirst()
        let reader = try CSVReader(path: input)
        let encoder = try RowEncoder(schema: Self.model.schema, header: reader.header)
        var row = encoder.makeRow()
        var expected: [Double] = []
        try reader.forEachRecord { r in
            #expect(encoder.encode(r, into: &row) == nil)
            expected.append(row.values.withUnsafeBufferPointer { Self.model.predictor.probability($0.baseAddress!) })
        }
        for (line, p) in zip(out, expected) {
            let fields = line.split(separator: ",")
            #expect(abs(Double(fields[1])! - p) <= 5e-7)
            #expect(fields[2] == Substring(Self.model.riskThresholds.level(for: p).rawValue))
        }
    }

    @Test("the highest-risk list is the top probabilities over every block, earlier lines first among equal ones", arguments: [0, 1, 7, 25])
    func highestRisk(topCount: Int) throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        // Forty copies of each sample customer: many exactly equal probabilities across blocks of 512 bytes.
        let input = dir.write("in.csv", Self.header + "\n" + Self.telcoRows(copies: 40).joined(separator: "\n") + "\n")
        let summary = try score(dir, input) { $0.topCount = topCount }
        let reader = try CSVReader(path: input)
        let encoder = try RowEncoder(schema: Self.model.schema, header: reader.header)
        var row = encoder.makeRow()
        let engine = ScoringEngine(artifact: Self.model)
        var all: [(line: Int, p: Double)] = []
        try reader.forEachRecord { r in
            #expect(encoder.encode(r, into: &row) == nil)
            all.append((r.line, engine.probability(row)))
        }
        let expected = all.sorted { $0.p > $1.p || ($0.p == $1.p && $0.line < $1.line) }.prefix(topCount)
        #expect(summary.topRisk.map(\.line) == expected.map(\.line))
        #expect(zip(summary.topRisk, expected).allSatisfy { abs($0.probability - $1.p) < 1e-12 })
        #expect(Set(all.map(\.p)).count < all.count / 10)  // the ties this test is about are really there
    }

    @Test("a header without required columns fails up front, naming them, and writes nothing")
    func badHeader() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let input = dir.write("in.csv", "customerID,gender,tenure\nA,Male,3\n")
        #expect(throws: BatchError.self) { _ = try score(dir, input) }
        do { _ = try score(dir, input) } catch {
            guard case BatchError.header(let h)? = error as? BatchError else { Issue.record("expected a header error, got \(error)"); return }
            #expect(h.missing.contains("Contract") && h.missing.contains("TotalCharges"))
            #expect(!h.missing.contains("gender"))
        }
        #expect(!FileManager.default.fileExists(atPath: dir.file("out.csv")))
        #expect(!FileManager.default.fileExists(atPath: dir.file("rejects.csv")))
    }

    @Test("a cancelled run leaves neither output nor temporary files behind")
    func cancellation() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let input = dir.write("in.csv", Self.header + "\n" + Self.telcoRows(copies: 200).joined(separator: "\n") + "\n")
        var options = BatchOptions(input: input, output: dir.file("out.csv"), rejects: dir.file("rejects.csv"))
        options.blockSize = 256
        let cancel = CancellationFlag()
        #expect(throws: BatchError.self) {
            _ = try BatchScorer(engine: ScoringEngine(artifact: Self.model), options: options).run(cancel: cancel) { p in
                if p.rows > 100 { cancel.cancel() }
            }
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(left == ["in.csv"])
    }

    @Test("refuses to overwrite the input, and an existing output without force")
    func protectsFiles() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let input = dir.write("in.csv", Self.header + "\n" + Self.telcoRows(copies: 1).joined(separator: "\n") + "\n")
        #expect(throws: BatchError.self) { _ = try score(dir, input) { $0.output = input } }
        dir.write("exists.csv", "keep me")
        do {
            _ = try score(dir, input) { $0.output = dir.file("exists.csv"); $0.force = false }
            Issue.record("overwrote without --force")
        } catch {
            #expect("\(error)".contains("--force"))
        }
        #expect(try String(contentsOfFile: dir.file("exists.csv"), encoding: .utf8) == "keep me")
    }

    @Test("ids that a spreadsheet would run as formulas are neutralised in the output")
    func formulaInjection() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        var rows = Self.telcoRows(copies: 1)
        rows[0] = "=cmd|' /C calc'!A0" + rows[0].drop { $0 != "," }
        rows[1] = "@SUM(1+1)" + rows[1].drop { $0 != "," }
        let input = dir.write("in.csv", Self.header + "\n" + rows.joined(separator: "\n") + "\n")
        _ = try score(dir, input)
        let out = try lines(dir.file("out.csv"))
        #expect(out[1].hasPrefix("'=cmd|' /C calc'!A0,"))
        #expect(out[2].hasPrefix("'@SUM(1+1),"))
    }

    @Test("drift of a file against the data the model was trained on is near zero")
    func selfDrift() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let input = dir.write("in.csv", Self.header + "\n" + Self.telcoRows(copies: 7).joined(separator: "\n") + "\n")
        let summary = try score(dir, input)
        #expect(summary.drift.score == 0)
        #expect(summary.drift.features.allSatisfy { $0.psi < 0.01 })
    }

    @Test("shards split the rows with none missing and none twice")
    func shards() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let input = dir.write("in.csv", Self.header + "\n" + Self.telcoRows(copies: 30).joined(separator: "\n") + "\n")
        let all = Set(try score(dir, input) { $0.output = dir.file("all.csv") }.rows == 360 ? lines(dir.file("all.csv")).dropFirst() : [])
        var union: [String] = []
        for i in 0..<3 {
            let s = try score(dir, input) { $0.output = dir.file("s\(i).csv"); $0.rejects = dir.file("r\(i).csv"); $0.shard = Shard(index: i, count: 3) }
            #expect(s.rows + s.otherShards == 360)
            union += try lines(dir.file("s\(i).csv")).dropFirst()
        }
        #expect(union.count == 360)
        #expect(Set(union) == all)
    }
}

@Suite("Batch scoring: drift of generated files")
struct BatchDriftTests {
    /// A logistic model trained on undrifted generated customers.
    static let model: ModelArtifact = {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.write("train.csv", CustomerGenerator(options: .init(rows: 6000, seed: 11)).csvFile())
        var options = TrainingOptions()
        options.learner = .logistic
        return ModelTrainer.train(try! TrainingTable.load(path: path), options: options).artifact
    }()

    func drift(of level: Double) throws -> DriftReport {
        let dir = TempDir()
        defer { dir.cleanup() }
        let input = dir.write("in.csv", CustomerGenerator(options: .init(rows: 8000, seed: 99, labelled: false, drift: level)).csvFile())
        var options = BatchOptions(input: input, output: dir.file("out.csv"), rejects: dir.file("rejects.csv"))
        options.threads = 2
        let summary = try BatchScorer(engine: ScoringEngine(artifact: Self.model), options: options).run()
        #expect(summary.rows == 8000 && summary.scored == 8000)
        return summary.drift
    }

    @Test("a fresh file from the same distribution shows no drift; a `churn generate --drift 1` file is well over the threshold")
    func generatedDrift() throws {
        let same = try drift(of: 0)
        #expect(same.score == 0)
        #expect(same.features.allSatisfy { $0.psi < 0.05 }, "\(same.worstFirst.prefix(3))")
        let shifted = try drift(of: 1)
        #expect(shifted.score >= 0.2, "score \(shifted.score)")
        let names = Set(shifted.drifted.map(\.name))
        #expect(names.isSuperset(of: ["MonthlyCharges", "tenure", "PaymentMethod"]), "\(shifted.worstFirst.prefix(6))")
        #expect(shifted.worstFirst[0].psi > 0.5)
    }
}
