import Foundation
import Testing
@testable import ChurnModel

@Suite("Logistic regression")
struct LogisticRegressionTests {
    struct Expected: Decodable {
        var l2: Double
        var features: [String]
        var intercept: Double
        var weights: [Double]
    }

    func fixture(_ name: String) -> String {
        Bundle.module.path(forResource: "Fixtures/" + name, ofType: nil)!
    }

    @Test("reaches scikit-learn's optimum of the same objective on a small problem")
    func matchesReference() throws {
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: URL(fileURLWithPath: fixture("logistic-small.expected.json"))))
        let table = try TrainingTable.load(path: fixture("logistic-small.csv"), options: TableOptions(target: "churned", id: "id"))
        let matrix = FeatureMatrix(table: table)
        #expect(matrix.layout.features.map(\.name) == expected.features)
        let model = LogisticRegressionTrainer(l2: expected.l2).fit(LogisticRegressionTrainer.Design(matrix: matrix), labels: table.labels)
        #expect(abs(model.intercept - expected.intercept) < 1e-6)
        for (got, want) in zip(model.weights, expected.weights) {
            #expect(abs(got - want) < 1e-6, "weight \(got) vs sklearn \(want)")
        }
    }

    @Test("the gradient of the objective vanishes at the fitted coefficients, whatever the thread count")
    func optimality() throws {
        let table = try TrainingTable.load(path: fixture("logistic-small.csv"), options: TableOptions(target: "churned", id: "id"))
        let design = LogisticRegressionTrainer.Design(matrix: FeatureMatrix(table: table))
        for threads in [1, 2] {
            var trainer = LogisticRegressionTrainer(l2: 1e-3)
            trainer.threads = threads
            let model = trainer.fit(design, labels: table.labels)
            let (gradient, _) = trainer.derivatives(design, table.labels, model.weights + [model.intercept])
            #expect(gradient.allSatisfy { abs($0) < 1e-8 })
        }
    }

    @Test("contributions add up to the margin minus the margin of an average customer")
    func contributionsAreExact() throws {
        let model = LogisticModel(intercept: -0.5, weights: [0.8, -1.2], center: [10, 0.3], scale: [2, 0.5], fill: [10, 0.3], l2: 0)
        let x: [Double] = [14, 1]
        let c = x.withUnsafeBufferPointer { model.contributions($0.baseAddress!) }
        let margin = x.withUnsafeBufferPointer { model.margin($0.baseAddress!) }
        #expect(abs(c.reduce(0, +) - (margin - model.intercept)) < 1e-12)
        #expect(abs(c[0] - 1.6) < 1e-12)
        // A missing value is filled with the mean, so it contributes nothing.
        let missing: [Double] = [.nan, 1]
        let cm = missing.withUnsafeBufferPointer { model.contributions($0.baseAddress!) }
        #expect(cm[0] == 0)
    }
}
