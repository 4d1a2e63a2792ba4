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
        #expect(matrix.layout.features.map(\.name) + ["spend (missing)"] == expected.features)
        let fit = LogisticRegressionTrainer(l2: expected.l2).fit(LogisticRegressionTrainer.Design(matrix: matrix), labels: table.labels)
        // Standardised coefficients: features, then the "spend was missing" indicator, then the intercept.
        #expect(fit.coefficients.count == expected.weights.count + 1)
        #expect(abs(fit.coefficients.last! - expected.intercept) < 1e-6)
        for (got, want) in zip(fit.coefficients, expected.weights) {
            #expect(abs(got - want) < 1e-6, "weight \(got) vs sklearn \(want)")
        }
        // The folded model predicts what the standardised design predicts.
        let design = LogisticRegressionTrainer.Design(matrix: matrix)
        for i in [0, 5, 17] {
            var z = fit.coefficients.last!
            for j in 0..<design.width { z += fit.coefficients[j] * design.z[i * design.width + j] }
            let row = matrix.row(i)
            #expect(abs(row.withUnsafeBufferPointer { fit.model.margin($0.baseAddress!) } - z) < 1e-9)
        }
    }

    @Test("the gradient of the objective vanishes at the fitted coefficients, whatever the thread count")
    func optimality() throws {
        let table = try TrainingTable.load(path: fixture("logistic-small.csv"), options: TableOptions(target: "churned", id: "id"))
        let design = LogisticRegressionTrainer.Design(matrix: FeatureMatrix(table: table))
        for threads in [1, 2] {
            var trainer = LogisticRegressionTrainer(l2: 1e-3)
            trainer.threads = threads
            let fit = trainer.fit(design, labels: table.labels)
            let (gradient, _) = trainer.derivatives(design, table.labels, fit.coefficients)
            #expect(gradient.allSatisfy { abs($0) < 1e-8 })
        }
    }

    @Test("warm-started along a penalty path with the previous fit's Hessian: the same optimum as a cold Newton fit")
    func warmHessianPath() throws {
        let table = try TrainingTable.load(path: fixture("logistic-small.csv"), options: TableOptions(target: "churned", id: "id"))
        let design = LogisticRegressionTrainer.Design(matrix: FeatureMatrix(table: table))
        var warm: LogisticRegressionTrainer.Fit?
        for l2 in [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 0.1] {
            let trainer = LogisticRegressionTrainer(l2: l2)
            let pathFit = trainer.fit(design, labels: table.labels, start: warm?.coefficients, warmHessian: warm?.dataHessian)
            let cold = trainer.fit(design, labels: table.labels)
            #expect(pathFit.dataHessian?.count == (design.width + 1) * (design.width + 1), "the fit hands its Hessian on")
            // Both stop once the gradient norm is below 1e-9; on this small, ill-conditioned problem that leaves
            // coefficients within a few 1e-7 of each other (the bar the scikit-learn comparison uses is 1e-6).
            for (a, b) in zip(pathFit.coefficients, cold.coefficients) {
                #expect(abs(a - b) < 1e-6, "l2 \(l2): \(a) on the path vs \(b) cold")
            }
            let (gradient, _) = trainer.derivatives(design, table.labels, pathFit.coefficients)
            #expect(gradient.allSatisfy { abs($0) < 1e-8 })
            warm = pathFit
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
        // A missing value is filled with the mean, so it contributes only its learned "missing" weight.
        let missing: [Double] = [.nan, 1]
        let cm = missing.withUnsafeBufferPointer { model.contributions($0.baseAddress!) }
        #expect(cm[0] == 0)
        var withMissing = model
        withMissing.missingWeights = [0.7, 0]
        let cw = missing.withUnsafeBufferPointer { withMissing.contributions($0.baseAddress!) }
        #expect(cw[0] == 0.7)
        let mw = missing.withUnsafeBufferPointer { withMissing.margin($0.baseAddress!) }
        #expect(abs(mw - (withMissing.intercept + cw.reduce(0, +))) < 1e-12)
    }
}
