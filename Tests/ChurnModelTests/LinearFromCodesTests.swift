import ChurnTestSupport
import Foundation
import Testing
@testable import ChurnModel

@Suite("Linear scoring from category codes")
struct LinearFromCodesTests {
    static let data = UserFileSchemaTests.packageRoot.appendingPathComponent("../shared/data").standardizedFileURL.path

    /// Every row of `path` two ways: the codes-only margin and the full one-hot dot product. Returns the rows compared.
    static func compare(_ path: String, _ artifact: ModelArtifact) throws -> (rows: Int, fromCodes: Int) {
        let engine = ScoringEngine(artifact: artifact)
        let scorer = try #require(engine.linear)
        let reader = try CSVReader(path: path)
        let encoder = try RowEncoder(schema: artifact.schema, header: reader.header, reference: artifact.reference)
        #expect(encoder.canScoreFromCodes(scorer))
        var codesRow = encoder.makeRow()
        var fullRow = encoder.makeRow()
        // Stale indicators from another row must not matter to the codes-only margin.
        codesRow.values.withUnsafeMutableBufferPointer { $0.update(repeating: 7) }
        var rows = 0
        var fromCodes = 0
        try reader.forEachRecord { record in
            let issue = encoder.encode(record, into: &fullRow)
            #expect(encoder.encode(record, into: &codesRow, indicators: false) == issue)
            guard issue == nil else { return }
            rows += 1
            #expect(codesRow.codes == fullRow.codes && codesRow.unresolved == fullRow.unresolved)
            if fullRow.unresolved { return }
            let z = encoder.linearMargin(codesRow, scorer)
            let full = fullRow.values.withUnsafeBufferPointer { scorer.margin($0.baseAddress!) }
            if z.isNaN {
                #expect(full.isFinite, "line \(record.line): the bounded margin takes over")
            } else {
                fromCodes += 1
                #expect(z.bitPattern == full.bitPattern, "line \(record.line): \(z) vs \(full)")
            }
        }
        return (rows, fromCodes)
    }

    @Test("bit for bit the one-hot dot product on every row of the real files, with spelled variants, markers, an \"other\" level and huge numbers")
    func realFiles() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        for name in ["telco.csv", "bigml-train.csv", "bigml-test.csv"] {
            let path = Self.data + "/" + name
            let artifact = ModelTrainer.train(try TrainingTable.load(path: path), options: UserFileSchemaTests.quick(.logistic)).artifact
            // The file itself, then its rows rewritten: categories in other spellings, blanks, NA markers, extremes.
            let text = try String(contentsOfFile: path, encoding: .utf8)
            var lines = text.split(separator: "\n").map(String.init)
            for i in 1..<lines.count where i % 5 == 0 {
                var fields = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                let k = 1 + i % (fields.count - 1)
                switch i % 4 {
                case 0: fields[k] = fields[k].uppercased()
                case 1: fields[k] = i % 3 == 0 ? "" : "NA"
                case 2: fields[k] = Double(fields[k]) != nil ? (i % 2 == 0 ? "1e308" : "-1e308") : " " + fields[k] + " "
                default: fields[k] = fields[k].replacingOccurrences(of: "-", with: " ")
                }
                lines[i] = fields.joined(separator: ",")
            }
            let variants = dir.write("variants-" + name, lines.joined(separator: "\n") + "\n")
            for file in [path, variants] {
                let (rows, fromCodes) = try Self.compare(file, artifact)
                #expect(rows >= 667 && fromCodes > rows * 9 / 10, "\(file): \(fromCodes) of \(rows) rows")
            }
        }
        // An "other" level (a surname-like column), where unseen values score as the folded ones.
        let surnames = try UserFileSchemaTests.surnames(dir)
        let artifact = ModelTrainer.train(try TrainingTable.load(path: surnames), options: UserFileSchemaTests.quick(.logistic)).artifact
        #expect(artifact.schema.features.contains { $0.otherLevel })
        let (rows, fromCodes) = try Self.compare(surnames, artifact)
        #expect(rows == 7043 && fromCodes > 7000)
    }
}
