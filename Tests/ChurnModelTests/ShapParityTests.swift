import ChurnTestSupport
import Foundation
import Testing
@testable import ChurnModel

/// Explanations of imported models against the libraries' own TreeSHAP (Fixtures/shap, written by
/// scripts/make-shap-fixtures.py from the import fixtures), and additivity for every kind of tree model.
@Suite("Explanations match XGBoost and LightGBM and add up to the margin")
struct ShapParityTests {
    /// (library, model file, fixture case, expected contributions file)
    static let cases: [(ModelLibrary, String, String, String)] = [
        (.xgboost, "telco.xgb.json", "telco", "telco.xgb.contribs.csv"),
        (.lightgbm, "telco.lgb.txt", "telco", "telco.lgb.contribs.csv"),
        (.xgboost, "missing.xgb.json", "missing", "missing.xgb.contribs.csv"),
        (.lightgbm, "missing.lgb.txt", "missing", "missing.lgb.contribs.csv"),
        (.lightgbm, "missing-none.lgb.txt", "missing", "missing-none.lgb.contribs.csv"),
    ]

    /// Per customer row: every column's contribution (by name) and the base value, as a CSV of numbers.
    static func expected(_ file: String) throws -> (header: [String], rows: [[Double]]) {
        let path = Bundle.module.path(forResource: "Fixtures/shap/" + file, ofType: nil)!
        let (header, rows, errors) = try readAll(path)
        #expect(errors.isEmpty)
        return (header, try rows.filter { !$0.isEmpty }.map { try $0.map { try #require(Double($0)) } })
    }

    /// Each column's contribution for every customer row, and each row's margin.
    static func explain(_ artifact: ModelArtifact, customers: String) throws -> (columns: [[Double]], margins: [Double], base: Double) {
        let rows = try EncodedCustomers.load(path: ImportFixture.path(customers), schema: artifact.schema)
        #expect(rows.rejected == 0)
        let explainer = ColumnExplainer(predictor: artifact.predictor, layout: artifact.layout, columnCount: artifact.schema.features.count)
        let scratch = explainer.makeScratch()
        var columns: [[Double]] = []
        var margins: [Double] = []
        rows.values.withUnsafeBufferPointer { b in
            for r in 0..<rows.rows {
                let x = b.baseAddress! + r * rows.stride
                explainer.explain(x, scratch: scratch)
                columns.append(Array(scratch.columns.prefix(artifact.schema.features.count)))
                margins.append(artifact.predictor.margin(x))
            }
        }
        return (columns, margins, explainer.baseValue)
    }

    @Test("every column of every fixture row within 1e-5 of the library's pred_contribs summed per column",
          arguments: 0..<cases.count)
    func parity(index: Int) throws {
        let (library, model, name, file) = Self.cases[index]
        let artifact = try ImportFixture.artifact(library, model, customers: "\(name).customers.csv")
        let ours = try Self.explain(artifact, customers: "\(name).customers.csv")
        #expect(ColumnExplainer(predictor: artifact.predictor, layout: artifact.layout, columnCount: artifact.schema.features.count).method == .treeSHAP)
        let theirs = try Self.expected(file)
        #expect(theirs.rows.count == ours.columns.count && ours.columns.count >= 400)
        let column = Dictionary(uniqueKeysWithValues: artifact.schema.features.enumerated().map { ($1.name, $0) })
        var worst = 0.0
        var compared = 0
        for (r, expected) in theirs.rows.enumerated() {
            for (k, name) in theirs.header.enumerated() {
                // A column the model never reads is not in the imported schema; the library gives it 0.
                let value = name == "base_value" ? ours.base : column[name].map { ours.columns[r][$0] } ?? 0
                worst = max(worst, abs(value - expected[k]))
                compared += 1
            }
        }
        #expect(compared == theirs.rows.count * 20)
        #expect(worst <= 1e-5, "\(model): largest difference \(worst)")
    }

    @Test("with the base value the columns sum to the margin on every row, for every imported model (categorical too)",
          arguments: ImportParityTests.cases.indices)
    func additivityImported(index: Int) throws {
        let (library, model, name, _) = ImportParityTests.cases[index]
        let artifact = try ImportFixture.artifact(library, model, customers: "\(name).customers.csv")
        let ours = try Self.explain(artifact, customers: "\(name).customers.csv")
        for (r, columns) in ours.columns.enumerated() {
            let sum = ours.base + columns.reduce(0, +)
            #expect(abs(sum - ours.margins[r]) <= 1e-9, "\(model) row \(r): \(sum) vs \(ours.margins[r])")
        }
    }

    @Test("a model trained here records covers, is explained by TreeSHAP, and adds up on every row")
    func additivityTrained() throws {
        var options = TrainingOptions()
        options.learner = .gbt
        options.threads = 2
        let table = try TrainingTable.load(path: ImportFixture.path("missing.customers.csv"))
        let artifact = ModelTrainer.train(table, options: options).artifact
        guard case .trees(let ensemble) = artifact.predictor else { Issue.record("expected trees"); return }
        #expect(ensemble.trees.allSatisfy { t in (0..<t.nodeCount).allSatisfy { t.cover[$0] > 0 } })
        let engine = ScoringEngine(artifact: artifact)
        #expect(engine.explainer.method == .treeSHAP)
        #expect(ColumnExplainer.method(for: engine.artifact.predictor) == .treeSHAP, "what model show and GET /model report")
        let ours = try Self.explain(artifact, customers: "missing.customers.csv")
        for (r, columns) in ours.columns.enumerated() {
            #expect(abs(ours.base + columns.reduce(0, +) - ours.margins[r]) <= 1e-9, "row \(r)")
        }
    }

    @Test("an artifact without covers still loads, explains path-based, adds up, and says so")
    func withoutCovers() throws {
        let artifact = try ImportFixture.artifact(.xgboost, "missing.xgb.json", customers: "missing.customers.csv")
        let dir = TempDir()
        defer { dir.cleanup() }
        func strip(_ value: Any) -> Any {
            if let object = value as? [String: Any] {
                return object.filter { $0.key != "cover" }.mapValues(strip)
            }
            if let array = value as? [Any] { return array.map(strip) }
            return value
        }
        let stripped = try JSONSerialization.data(withJSONObject: strip(try JSONSerialization.jsonObject(with: artifact.jsonData())))
        #expect(!String(decoding: stripped, as: UTF8.self).contains("\"cover\""))
        let path = dir.write("old.json", [UInt8](stripped))
        let old = try ModelArtifact.load(path: path)
        let engine = ScoringEngine(artifact: old)
        #expect(engine.explainer.method == .pathBased)
        #expect(ColumnExplainer.method(for: engine.artifact.predictor) == .pathBased, "what model show and GET /model report")
        #expect(ModelDescription(old).text.contains("path-based"))
        #expect(ModelDescription(artifact).text.contains("TreeSHAP"))
        let ours = try Self.explain(old, customers: "missing.customers.csv")
        for (r, columns) in ours.columns.enumerated() {
            #expect(abs(ours.base + columns.reduce(0, +) - ours.margins[r]) <= 1e-9, "row \(r)")
        }
    }
}
