import ChurnTestSupport
import Foundation
import Testing
@testable import ChurnModel

/// `churn score --explain N|all`: what the CSV and JSONL outputs carry, at what precision.
@Suite("Explained batch output")
struct ExplainOutputTests {
    static let artifact: ModelArtifact = try! ImportFixture.artifact(.xgboost, "telco.xgb.json", customers: "telco.customers.csv")
    static let input = ImportFixture.path("telco.customers.csv")
    static let sixDecimals = #"^-?[0-9]+\.[0-9]{6}$"#

    static func score(_ dir: TempDir, _ format: OutputFormat, _ choice: ExplainChoice) throws -> String {
        let out = dir.file("out.\(format.rawValue)")
        var options = BatchOptions(input: input, output: out, rejects: dir.file("rejects.csv"))
        options.format = format
        options.explain = choice
        options.threads = 2
        options.blockSize = 8192
        options.force = true
        let summary = try BatchScorer(engine: ScoringEngine(artifact: artifact), options: options).run()
        #expect(summary.scored == 400 && summary.rejected == 0)
        return out
    }

    /// Full-precision contributions per column (schema order) and the margin of every input row, in file order.
    static func reference() throws -> (columns: [[Double]], margins: [Double]) {
        let explained = try ShapParityTests.explain(artifact, customers: "telco.customers.csv")
        return (explained.columns, explained.margins)
    }

    @Test("explain values parse: N, top N, all, none, true/false; anything else is refused")
    func parsing() {
        #expect(ExplainChoice("5") == .top(5))
        #expect(ExplainChoice("top 2") == .top(2) && ExplainChoice("top2") == .top(2) && ExplainChoice("TOP:4") == .top(4))
        #expect(ExplainChoice("all") == .all && ExplainChoice("ALL") == .all)
        #expect(ExplainChoice("none") == ExplainChoice.none && ExplainChoice("0") == ExplainChoice.none && ExplainChoice("false") == ExplainChoice.none)
        #expect(ExplainChoice("true") == .top(3) && ExplainChoice("") == .top(3))
        for bad in ["-1", "three", "top", "top -2", "all3", "1.5", "٣", "customers.csv"] {
            #expect(ExplainChoice(bad) == nil, "\(bad)")
        }
    }

    @Test("--explain 2 in CSV: reason_k is column=value, contribution_k six decimals, largest |contribution| first")
    func topCSV() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let (header, rows, errors) = try readAll(try Self.score(dir, .csv, .top(2)))
        #expect(errors.isEmpty)
        #expect(Array(header.suffix(4)) == ["reason_1", "contribution_1", "reason_2", "contribution_2"])
        let reference = try Self.reference()
        let names = Self.artifact.schema.features.map(\.name)
        #expect(rows.count == 400)
        for (r, row) in rows.enumerated() {
            let fields = Array(row.suffix(4))
            let c1 = try #require(Double(fields[1])), c2 = try #require(Double(fields[3]))
            #expect(fields[1].range(of: Self.sixDecimals, options: .regularExpression) != nil, "\(fields[1])")
            #expect(abs(c1) >= abs(c2))
            // The first reason is the column with the largest absolute contribution, with the customer's value.
            let best = reference.columns[r].indices.max { abs(reference.columns[r][$0]) < abs(reference.columns[r][$1]) }!
            #expect(fields[0].hasPrefix(names[best] + "="), "row \(r): \(fields[0]) vs \(names[best])")
            #expect(abs(c1 - reference.columns[r][best]) <= 5e-7)
        }
    }

    @Test("--explain all: base_value and every column, six decimals, the same digits in CSV and JSONL, summing to the margin")
    func allCSVAndJSONL() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let (header, rows, errors) = try readAll(try Self.score(dir, .csv, .all))
        #expect(errors.isEmpty)
        let names = Self.artifact.schema.features.map(\.name)
        #expect(Array(header.suffix(names.count + 1)) == ["base_value"] + names.map { "contribution_" + $0 })
        let jsonl = try String(contentsOfFile: try Self.score(dir, .jsonl, .all), encoding: .utf8).split(separator: "\n")
        #expect(jsonl.count == rows.count && rows.count == 400)
        let reference = try Self.reference()
        for (r, row) in rows.enumerated() {
            let fields = Array(row.suffix(names.count + 1))
            for f in fields { #expect(f.range(of: Self.sixDecimals, options: .regularExpression) != nil, "\(f)") }
            let values = fields.map { Double($0)! }
            for c in names.indices { #expect(abs(values[c + 1] - reference.columns[r][c]) <= 5e-7) }
            #expect(abs(values.reduce(0, +) - reference.margins[r]) <= Double(fields.count) * 5e-7)
            // JSONL carries the same text for every number.
            let line = String(jsonl[r])
            #expect(line.contains("\"base_value\":\(fields[0]),"))
            for (c, name) in names.enumerated() {
                #expect(line.contains("{\"column\":\"\(name)\",") && line.contains(",\"contribution\":\(fields[c + 1])}"), "row \(r) \(name)")
            }
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect((object["reasons"] as? [[String: Any]])?.map { $0["column"] as? String } == names)
        }
    }

    @Test("without --explain nothing is added")
    func noneAddsNothing() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let (header, _, _) = try readAll(try Self.score(dir, .csv, .none))
        #expect(header == ["customerID", "churn_probability", "risk_level", "model_version"])
        let line = try String(contentsOfFile: try Self.score(dir, .jsonl, .none), encoding: .utf8).split(separator: "\n")[0]
        #expect(!line.contains("reasons") && !line.contains("base_value"))
    }

    @Test("contributions are written with exactly six decimals; huge and non-finite ones stay valid JSON")
    func contributionText() {
        func text(_ v: Double) -> String {
            let w = ByteWriter()
            ExplanationWriter.appendContribution(v, to: w)
            return String(decoding: w.bytes, as: UTF8.self)
        }
        #expect(text(0) == "0.000000")
        #expect(text(-0.0000004) == "0.000000")
        #expect(text(1.5) == "1.500000")
        #expect(text(-0.0123456) == "-0.012346")
        #expect(text(2.0000004) == "2.000000" && text(2.0000006) == "2.000001")
        #expect(text(-3.26e-5) == "-0.000033")
        #expect(text(123456.7) == "123456.700000")
        for v in [Double.infinity, -.infinity, .nan, 1e300, -1e20] {
            #expect((try? JSONSerialization.jsonObject(with: Data(text(v).utf8), options: .fragmentsAllowed)) != nil, "\(text(v))")
        }
    }
}
