import ChurnTestSupport
import Foundation
import Testing
@testable import ChurnModel

/// What a missing or unseen value contributes to a score (docs/model-format.md): the training data's answer
/// for such a customer, never a shift to a category nobody had. Checked on the real Telco file.
@Suite("Missing and unseen values contribute the training distribution", .serialized)
struct MissingContributionTests {
    static let telco = UserFileSchemaTests.telco
    static let table: TrainingTable = try! TrainingTable.load(path: telco)
    static let gbt: ModelArtifact = ModelTrainer.train(table, options: UserFileSchemaTests.quick(.gbt)).artifact
    static let logistic: ModelArtifact = ModelTrainer.train(table, options: UserFileSchemaTests.quick(.logistic)).artifact

    /// The row of one customer, every field given as text (nil: JSON null).
    static func probability(_ artifact: ModelArtifact, _ fields: [String: String?]) -> Double {
        let encoder = RowEncoder(schema: artifact.schema, reference: artifact.reference)
        var row = encoder.makeRow()
        for (c, column) in artifact.schema.features.enumerated() {
            let value = fields[column.name] ?? nil
            if var text = value {
                #expect(text.withUTF8 { encoder.encodeField(c, $0, into: &row) } == nil)
            } else {
                #expect(encoder.encodeNumber(c, nil, into: &row) == nil)
            }
        }
        return ScoringEngine(artifact: artifact).probability(row)
    }

    static let customer: [String: String?] = [
        "gender": "Female", "SeniorCitizen": "0", "Partner": "Yes", "Dependents": "No", "tenure": "2", "PhoneService": "Yes",
        "MultipleLines": "No", "InternetService": "Fiber optic", "OnlineSecurity": "No", "OnlineBackup": "No",
        "DeviceProtection": "No", "TechSupport": "No", "StreamingTV": "Yes", "StreamingMovies": "Yes", "Contract": "Month-to-month",
        "PaperlessBilling": "Yes", "PaymentMethod": "Electronic check", "MonthlyCharges": "95.5", "TotalCharges": "190",
    ]

    @Test("a customer with every field null scores near the training base rate (bundled, logistic and gbt models)")
    func allNull() throws {
        for artifact in [try ModelArtifact.bundledDefault(), Self.logistic, Self.gbt] {
            let base = Double(artifact.training!.positives) / Double(artifact.training!.rows)
            let p = Self.probability(artifact, [:])
            // The average customer is average on the logit scale, which sits somewhat below the mean probability
            // (the margins are spread out); within one unit of log-odds of the base rate, where the old answer
            // (no indicator set, learned missing weights of 11 rows) was 0.0002, eight units away.
            func logit(_ q: Double) -> Double { log(q / (1 - q)) }
            #expect(abs(logit(p) - logit(base)) < 1, "\(artifact.learner): \(p) against a base rate of \(base)")
            #expect(artifact.riskLevel(p) == .low)
        }
    }

    @Test("an unseen Contract value scores between the known values' scores, in both learners; a respelled one as the value")
    func unseenBetweenKnown() throws {
        for artifact in [Self.logistic, Self.gbt] {
            let contract = try #require(artifact.schema.feature(named: "Contract"))
            var known: [Double] = []
            for value in contract.categories {
                var c = Self.customer
                c["Contract"] = value
                known.append(Self.probability(artifact, c))
            }
            var c = Self.customer
            c["Contract"] = "Weekly"
            let unseen = Self.probability(artifact, c)
            #expect(unseen > known.min()! && unseen < known.max()!, "\(artifact.learner): \(unseen) not within \(known)")
            c["Contract"] = "month to month"
            #expect(Self.probability(artifact, c) == known[contract.categories.firstIndex(of: "Month-to-month")!])
        }
    }

    @Test("renaming one Contract value in the real Telco file keeps the high-risk count; an unseen one is counted per column")
    func renamedContract() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let text = try String(contentsOfFile: Self.telco, encoding: .utf8)
        let renamed = dir.write("renamed.csv", text.replacingOccurrences(of: "Month-to-month", with: "Month to month"))
        let weekly = dir.write("weekly.csv", text.replacingOccurrences(of: ",Two year,", with: ",Weekly,"))
        let model = try ModelArtifact.bundledDefault()
        let original = try UserFileSchemaTests.score(Self.telco, model, dir)
        let respelled = try UserFileSchemaTests.score(renamed, model, dir)
        #expect(original.highRisk > 100)
        #expect(respelled.highRisk == original.highRisk && respelled.rejected == 0)
        let unseen = try UserFileSchemaTests.score(weekly, model, dir)
        #expect(unseen.rejected == 0)
        #expect(unseen.unseenValues == ["Contract": 1695])
        #expect(unseen.missingValues == ["TotalCharges": 11])
        #expect(unseen.drift.features.first { $0.name == "Contract" }!.psi > 0.25, "drift sees the unseen values")
        let strict = try UserFileSchemaTests.score(weekly, model, dir, mode: .reject)
        #expect(strict.rejected == 1695 && strict.rejectReasons == ["unknown_category": 1695])
    }

    @Test("trees average an unknown input over both branches by training cover; other missing inputs follow defaultLeft")
    func treeExpectation() {
        let tree = DecisionTree(feature: [0, -1, 1, -1, -1], threshold: [0.5, 0, 10, 0, 0], left: [1, -1, 3, -1, -1],
                                right: [2, -1, 4, -1, -1], defaultLeft: [true, true, false, true, true],
                                value: [0, 1, 0, -1, -3], cover: [8, 6, 2, 1, 1])
        let ensemble = TreeEnsemble(baseMargin: 0.25, comparison: .lessOrEqual, trees: [tree])
        var x: [Double] = [1, 5]
        #expect(ensemble.expectedMargin(&x, average: [true, false]) == ensemble.margin(&x))
        x = [.nan, 5]
        // Left leaf 1 (cover 6); right subtree at x1 = 5 goes to leaf -1 (cover 2): (6·1 + 2·(−1)) / 8 = 0.5.
        #expect(ensemble.expectedMargin(&x, average: [true, false]) == 0.25 + 0.5)
        x = [.nan, .nan]
        // x1 unknown but not averaged: follows defaultLeft = false → leaf −3.
        let followed: Double = 0.25 + (6.0 - 6.0) / 8
        #expect(ensemble.expectedMargin(&x, average: [true, false]) == followed)
        let averaged: Double = 0.25 + (6.0 - 4.0) / 8
        #expect(ensemble.expectedMargin(&x, average: [true, true]) == averaged)
    }

    @Test("AUC of one class is undefined (NaN, JSON null, a note), not 0.5")
    func oneClassAUC() throws {
        let m = EvaluationMetrics(probabilities: [0.1, 0.7, 0.3], labels: [0, 0, 0], threshold: 0.5)
        #expect(m.auc.isNaN)
        #expect(m.aucNote == "AUC is undefined: all 3 rows are non-churners; it needs both classes")
        let json = String(decoding: try JSONEncoder().encode(m), as: UTF8.self)
        #expect(json.contains("\"auc\":null"))
        let back = try JSONDecoder().decode(EvaluationMetrics.self, from: Data(json.utf8))
        #expect(back.auc.isNaN && back.rows == 3)
        let both = EvaluationMetrics(probabilities: [0.1, 0.7], labels: [0, 1], threshold: 0.5)
        #expect(both.auc == 1 && both.aucNote == nil)
    }
}
