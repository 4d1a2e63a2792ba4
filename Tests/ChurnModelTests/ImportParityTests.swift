import ChurnTestSupport
import Foundation
import Testing
@testable import ChurnModel

/// The import fixtures (Fixtures/import, made by scripts/make-import-fixtures.py; library versions in
/// versions.json): real XGBoost and LightGBM models, customer rows, and each library's own probability per row.
enum ImportFixture {
    static func path(_ name: String) -> String {
        Bundle.module.path(forResource: "Fixtures/import/" + name, ofType: nil)!
    }

    /// Imports `model` against the Telco schema, with the case's customers as the drift reference.
    static func artifact(_ library: ModelLibrary, _ model: String, customers: String) throws -> ModelArtifact {
        var options = ImportOptions(library: library, modelPath: path(model))
        options.referencePath = path(customers)
        return try ModelImporter.run(options, now: Date(timeIntervalSince1970: 1_800_000_000)).artifact
    }

    /// Our probability for every customer row, through the batch predictor, checked against the reference
    /// traversal on the way.
    static func probabilities(_ artifact: ModelArtifact, customers: String) throws -> [Double] {
        let rows = try EncodedCustomers.load(path: path(customers), schema: artifact.schema)
        #expect(rows.rejected == 0, "\(rows.issues)")
        let reference = rows.values.withUnsafeBufferPointer { b in
            (0..<rows.rows).map { artifact.predictor.probability(b.baseAddress! + $0 * rows.stride) }
        }
        // Both tree kernels (leaf bitvectors, branch-free walks), in blocks and row by row.
        var fast: [Double] = []
        for kernel in CompiledPredictor.TreeKernel.allCases {
            let compiled = CompiledPredictor(artifact.predictor, trees: kernel)
            fast = rows.values.withUnsafeBufferPointer {
                compiled.probabilities(matrix: $0.baseAddress!, count: rows.rows, stride: rows.stride, threads: 2)
            }
            let single = rows.values.withUnsafeBufferPointer { b in
                (0..<rows.rows).map { compiled.probability(b.baseAddress! + $0 * rows.stride) }
            }
            #expect(fast.map(\.bitPattern) == reference.map(\.bitPattern), "\(kernel)")
            #expect(single.map(\.bitPattern) == reference.map(\.bitPattern), "\(kernel)")
        }
        return fast
    }

    static func expected(_ file: String, _ column: String) throws -> [Double] {
        try ExpectedProbabilities.load(path: path(file), column: column).values
    }
}

@Suite("Imported models score as the libraries do")
struct ImportParityTests {
    /// (library, model file, fixture case, column of <case>.expected.csv)
    static let cases: [(ModelLibrary, String, String, String)] = [
        (.xgboost, "telco.xgb.json", "telco", "xgboost"),
        (.lightgbm, "telco.lgb.txt", "telco", "lightgbm"),
        (.xgboost, "missing.xgb.json", "missing", "xgboost"),
        (.lightgbm, "missing.lgb.txt", "missing", "lightgbm"),
        (.lightgbm, "missing-zero.lgb.txt", "missing", "lightgbm_zero"),
        (.lightgbm, "missing-none.lgb.txt", "missing", "lightgbm_none"),
        (.xgboost, "categorical.xgb.json", "categorical", "xgboost"),
        (.lightgbm, "categorical.lgb.txt", "categorical", "lightgbm"),
    ]

    @Test("every fixture row is within 1e-6 of the library's own probability", arguments: 0..<cases.count)
    func parity(index: Int) throws {
        let (library, model, name, column) = Self.cases[index]
        let artifact = try ImportFixture.artifact(library, model, customers: "\(name).customers.csv")
        let ours = try ImportFixture.probabilities(artifact, customers: "\(name).customers.csv")
        let theirs = try ImportFixture.expected("\(name).expected.csv", column)
        #expect(ours.count == theirs.count)
        #expect(ours.count >= 400)
        let worst = zip(ours, theirs).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst <= 1e-6, "\(model): largest difference \(worst)")
        #expect(artifact.learner == library.rawValue)
    }

    @Test("fixtures exercise what they claim: missing values, zero-as-missing and categorical splits")
    func fixturesCoverTheCases() throws {
        let missing = try String(contentsOfFile: ImportFixture.path("missing.customers.csv"), encoding: .utf8)
        #expect(missing.contains(",,"), "blank fields")
        let zero = try String(contentsOfFile: ImportFixture.path("missing-zero.lgb.txt"), encoding: .utf8)
        #expect(zero.contains("decision_type=") && zero.range(of: #"decision_type=[^\n]*\b(4|6)\b"#, options: .regularExpression) != nil)
        let categoricalLGB = try String(contentsOfFile: ImportFixture.path("categorical.lgb.txt"), encoding: .utf8)
        #expect(categoricalLGB.contains("cat_threshold="))
        let categoricalXGB = try String(contentsOfFile: ImportFixture.path("categorical.xgb.json"), encoding: .utf8)
        #expect(categoricalXGB.contains("\"split_type\":[1"))
        // Categorical splits become indicator chains that share their subtrees.
        let artifact = try ImportFixture.artifact(.xgboost, "categorical.xgb.json", customers: "categorical.customers.csv")
        guard case .trees(let ensemble) = artifact.predictor else { Issue.record("not trees"); return }
        let shared = ensemble.trees.contains { tree in
            let children = (0..<tree.nodeCount).filter { tree.feature[$0] >= 0 }.flatMap { [tree.left[$0], tree.right[$0]] }
            return Set(children).count < children.count
        }
        #expect(shared)
    }

    @Test("scores the library's own one-hot matrix (fit.py's features.csv) the same way")
    func libraryMatrix() throws {
        for (library, model, column) in [(ModelLibrary.xgboost, "telco.xgb.json", "xgboost"), (.lightgbm, "telco.lgb.txt", "lightgbm")] {
            var options = ImportOptions(library: library, modelPath: ImportFixture.path(model))
            options.referencePath = ImportFixture.path("telco.customers.csv")
            let result = try ModelImporter.run(options)
            let layout = result.artifact.layout
            let slot = Dictionary(uniqueKeysWithValues: layout.features.enumerated().map { ($1.name, $0) })
            // Library column j feeds our slot of its binding; slots no feature feeds stay 0.
            let (header, records, _) = try readAll(ImportFixture.path("telco.features.csv"))
            var rows: [Double] = []
            for record in records {
                var row = [Double](repeating: 0, count: layout.count)
                for (j, name) in header.enumerated() {
                    let k = result.libraryFeatures.firstIndex(of: name) ?? result.libraryFeatures.firstIndex(of: name.replacingOccurrences(of: " ", with: "_"))!
                    row[slot[result.mapping.bindings[k].text]!] = record[j].isEmpty ? .nan : Double(record[j])!
                }
                rows += row
            }
            let ours = rows.withUnsafeBufferPointer {
                CompiledPredictor(result.artifact.predictor).probabilities(matrix: $0.baseAddress!, count: records.count, stride: layout.count, threads: 2)
            }
            let theirs = try ImportFixture.expected("telco.expected.csv", column)
            let worst = zip(ours, theirs).map { abs($0 - $1) }.max()!
            #expect(worst <= 1e-6, "\(model): largest difference \(worst)")
        }
    }

    @Test("an imported model carries its schema, thresholds, provenance and a drift reference")
    func artifactContents() throws {
        var options = ImportOptions(library: .xgboost, modelPath: ImportFixture.path("telco.xgb.json"))
        options.referencePath = ImportFixture.path("telco.customers.csv")
        options.riskThresholds = RiskThresholds(medium: 0.3, high: 0.6)
        options.decisionThreshold = 0.35
        let result = try ModelImporter.run(options, now: Date(timeIntervalSince1970: 1_800_000_000))
        let a = result.artifact
        #expect(a.version.hasPrefix("xgboost-20270115-"))
        #expect(a.schema.features.map(\.name) == TelcoSchema.features.map(\.name))
        #expect(a.riskThresholds == RiskThresholds(medium: 0.3, high: 0.6))
        #expect(a.decisionThreshold == 0.35)
        #expect(a.training?.parameters["library"] == "xgboost")
        #expect(a.training?.parameters["libraryVersion"] == "3.2.0")
        #expect(a.training?.source == "telco.xgb.json")
        #expect(a.reference.rows == 400)
        #expect(a.importance.first?.column == "Contract")
        // The artifact round-trips through the loader every other command uses.
        let reloaded = try ModelArtifact.decode(try a.jsonData())
        #expect(reloaded == a)
        // Contract_Month-to-month is read from our Contract=Month-to-month slot.
        let k = result.libraryFeatures.firstIndex(of: "Contract_Month-to-month")!
        #expect(result.mapping.bindings[k] == .indicator(column: "Contract", category: "Month-to-month"))
    }

    @Test("a recorded best_iteration is pointed out, and --rounds keeps that many rounds")
    func bestIteration() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let json = try String(contentsOfFile: ImportFixture.path("telco.xgb.json"), encoding: .utf8)
        #expect(json.contains("\"attributes\":{}"))
        let model = dir.write("early.json", json.replacingOccurrences(of: "\"attributes\":{}", with: "\"attributes\":{\"best_iteration\":\"99\"}"))
        var options = ImportOptions(library: .xgboost, modelPath: model)
        options.referencePath = ImportFixture.path("telco.customers.csv")
        let all = try ModelImporter.run(options)
        #expect(all.notes.contains { $0.contains("best_iteration=99") && $0.contains("--rounds 100") })
        options.rounds = 100
        let best = try ModelImporter.run(options)
        guard case .trees(let kept) = best.artifact.predictor, case .trees(let every) = all.artifact.predictor else {
            Issue.record("not trees")
            return
        }
        #expect(kept.trees.count == 100 && every.trees.count == 300)
        #expect(Array(every.trees.prefix(100)) == kept.trees)
        #expect(best.artifact.training?.parameters["trees"] == "100")
    }
}
