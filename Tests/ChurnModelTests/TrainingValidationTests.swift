import Foundation
import Testing
@testable import ChurnModel

@Suite("Training: validation rule, refit on all rows, calibration")
struct TrainingValidationTests {
    static let generated = Result { try GeneratedFile(.init(rows: 3_000, seed: 77), name: "validation-3k.csv") }

    @Test("small training parts are cross-validated: 5 folds, every row held out exactly once, stratified")
    func crossValidationRule() {
        var rng = SplitMix64(seed: 5)
        let labels = (0..<1_003).map { _ in UInt8(rng.nextUnit() < 0.27 ? 1 : 0) }
        let plan = ValidationPlan(labels: labels, validationShare: 0.15, seed: 9)
        #expect(plan.isCrossValidation)
        #expect(plan.parts.count == ValidationPlan.folds)
        #expect(plan.heldRows.sorted() == Array(0..<1_003))
        let positives = labels.reduce(0) { $0 + Int($1) }
        for part in plan.parts {
            #expect(Set(part.fit).isDisjoint(with: part.held))
            #expect(part.fit.count + part.held.count == labels.count)
            let share = Double(part.held.reduce(0) { $0 + Int(labels[$1]) }) / Double(part.held.count)
            #expect(abs(share - Double(positives) / 1_003) < 0.01, "fold churn rate \(share)")
        }
        #expect(plan.description == "5-fold cross-validation")
    }

    @Test("above the limit, one stratified holdout of the validation share")
    func holdoutRule() {
        let n = ValidationPlan.crossValidationRows + 1
        let labels = (0..<n).map { UInt8($0 % 4 == 0 ? 1 : 0) }
        let plan = ValidationPlan(labels: labels, validationShare: 0.15, seed: 9)
        #expect(!plan.isCrossValidation)
        #expect(plan.parts.count == 1)
        let held = plan.parts[0].held.count
        #expect(abs(held - Int((Double(n) * 0.15).rounded())) <= 1)
        #expect(plan.parts[0].fit.count + held == n)
        #expect(plan.description.hasPrefix("holdout of 15%"))
    }

    @Test("the final trees are refitted on every training row: fitRows, and the first tree's root cover is the hessian sum of all of them")
    func refitSeesAllRows() throws {
        let table = try TrainingTable.load(path: try Self.generated.get().path)
        var options = TrainingOptions()
        options.learner = .gbt
        options.testShare = 0.25
        options.threads = 2
        options.gbt.subsample = 1   // every row in every tree, so the root cover counts them all
        options.gbt.rounds = 300
        options.calibrate = false
        let report = ModelTrainer.train(table, options: options)
        let info = try #require(report.artifact.training)
        let test = try #require(report.testMetrics)
        let fitRows = try #require(info.fitRows)
        #expect(fitRows == table.rowCount - test.rows)
        #expect(report.trainMetrics.rows == fitRows)
        #expect(report.validationMetrics.rows == fitRows, "every training row held out once")
        #expect(info.validation == "5-fold cross-validation")
        guard case .trees(let ensemble) = report.artifact.predictor else { Issue.record("not trees"); return }
        // The first tree starts from the base rate r of the rows it is fitted on: each row has hessian r(1 - r).
        let positives = Double(report.trainMetrics.positives)
        let r = positives / Double(fitRows)
        let expected = Double(fitRows) * r * (1 - r)
        #expect(abs(ensemble.trees[0].cover[0] - expected) < 1e-3 * expected, "root cover \(ensemble.trees[0].cover[0]), expected \(expected)")
        // Rounds: the validated best, scaled up for the larger refit, and exactly that many trees grown.
        let best = try #require(Int(info.parameters["bestRound"] ?? ""))
        let rounds = try #require(Int(info.parameters["rounds"] ?? ""))
        #expect(ensemble.trees.count == rounds)
        #expect(rounds >= best && rounds <= best * 3 / 2 + 1)
    }

    @Test("Brier score, calibration error and the reliability table on a hand-checked case")
    func calibrationMetricsByHand() {
        let m = EvaluationMetrics(probabilities: [0.05, 0.05, 0.15, 0.95], labels: [0, 1, 0, 1], threshold: 0.5)
        // (0.05² + 0.95² + 0.15² + 0.05²) / 4
        #expect(abs((m.brier ?? -1) - 0.2325) < 1e-12)
        let bins = m.reliability ?? []
        #expect(bins.map(\.rows) == [2, 1, 1])
        #expect(bins.map(\.lower) == [0.0, 0.1, 0.9])
        #expect(zip(bins.map(\.meanPredicted), [0.05, 0.15, 0.95]).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(bins.map(\.observedRate) == [0.5, 0, 1])
        // ½·|0.05 − 0.5| + ¼·|0.15 − 0| + ¼·|0.95 − 1|
        #expect(abs((m.calibrationError ?? -1) - 0.275) < 1e-12)
        // A probability of exactly 1 lands in the last bin, not past it.
        #expect(ReliabilityBin.table([1.0, 0.0], [1, 0]).map(\.lower) == [0.0, 0.9])
    }

    @Test("Platt scaling recovers a known miscalibration and folds exactly into either predictor")
    func plattScaling() throws {
        var rng = SplitMix64(seed: 3)
        var margins: [Double] = []
        var labels: [UInt8] = []
        for _ in 0..<20_000 {
            let m = (rng.nextUnit() - 0.5) * 8
            margins.append(m)
            labels.append(rng.nextUnit() < sigmoid(0.5 * m - 0.3) ? 1 : 0)
        }
        let fitted = PlattScaling.fit(margins: margins, labels: labels)
        #expect(abs(fitted.slope - 0.5) < 0.05 && abs(fitted.offset + 0.3) < 0.06, "\(fitted)")
        let cv = PlattScaling.crossValidated(margins: margins, labels: labels, seed: 1)
        #expect(cv.after < cv.before - 0.01, "recalibrating overconfident margins lowers held-out log loss")

        let scaling = PlattScaling(slope: 0.7, offset: -0.2)
        let logistic = LogisticModel(intercept: 0.4, weights: [1.5, -2], center: [1, 0], scale: [2, 1], fill: [1, 0.5], l2: 0.01,
                                     missingWeights: [0.3, 0])
        let tree = DecisionTree(feature: [0, -1, -1], threshold: [1.5, 0, 0], left: [1, -1, -1], right: [2, -1, -1],
                                defaultLeft: [true, true, true], value: [0.1, -0.4, 0.6], cover: [10, 6, 4])
        let trees = TreeEnsemble(baseMargin: -1, comparison: .lessOrEqual, trees: [tree])
        for predictor in [Predictor.logistic(logistic), .trees(trees)] {
            let scaled = scaling.apply(to: predictor)
            for x in [[0.5, 1.0], [3.0, -1.0], [Double.nan, 2.0]] {
                let before = x.withUnsafeBufferPointer { predictor.margin($0.baseAddress!) }
                let after = x.withUnsafeBufferPointer { scaled.margin($0.baseAddress!) }
                #expect(abs(after - (0.7 * before - 0.2)) < 1e-12)
            }
        }
    }

    @Test("artifacts written before calibration and refit were recorded still load, without those fields")
    func oldArtifactsLoad() throws {
        let artifact = try ModelArtifactTests.trained()
        #expect(artifact.training?.fitRows != nil)
        #expect(artifact.metrics?.reliability?.isEmpty == false)
        var object = try #require(try JSONSerialization.jsonObject(with: artifact.jsonData()) as? [String: Any])
        var training = try #require(object["training"] as? [String: Any])
        for key in ["fitRows", "validation", "validationMetrics", "calibration"] { training.removeValue(forKey: key) }
        object["training"] = training
        var metrics = try #require(object["metrics"] as? [String: Any])
        for key in ["brier", "calibrationError", "reliability"] { metrics.removeValue(forKey: key) }
        object["metrics"] = metrics
        let old = try ModelArtifact.decode(try JSONSerialization.data(withJSONObject: object))
        #expect(old.training?.fitRows == nil && old.training?.calibration == nil)
        #expect(old.metrics?.brier == nil && old.metrics?.auc == artifact.metrics?.auc)
        #expect(ModelDescription(old).text.contains("Test       AUC"))
    }

    @Test("the cross-validation folds fitted side by side give the model one thread gives, and progress only moves forward")
    func foldsSideBySide() throws {
        let table = try TrainingTable.load(path: try Self.generated.get().path)
        var reports: [TrainingReport] = []
        let seen = ProgressLog()
        for threads in [1, 2] {
            var options = TrainingOptions()
            options.learner = .gbt
            options.threads = threads
            options.gbt.rounds = 120
            if threads == 2 { options.progress = { event in seen.append(event) } }
            reports.append(ModelTrainer.train(table, options: options))
        }
        #expect(reports[0].artifact.predictor == reports[1].artifact.predictor)
        #expect(reports[0].artifact.training?.parameters == reports[1].artifact.training?.parameters)
        #expect(reports[0].validationMetrics.auc == reports[1].validationMetrics.auc)
        let folds = seen.events.filter { $0.phase == .crossValidation }
        #expect(folds.count > 50, "a report per round of each fold")
        let fractions = folds.map(\.fraction)
        #expect(zip(fractions, fractions.dropFirst()).allSatisfy { $0 <= $1 + 1e-12 }, "progress went backwards")
        #expect(fractions.last == 1)
        for k in 1...ValidationPlan.folds {
            #expect(folds.contains { $0.detail.hasPrefix("gbt fold \(k)/\(ValidationPlan.folds), round") }, "fold \(k) reported its rounds")
        }
    }
}

/// Progress events gathered from the trainer's threads.
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [TrainingProgress] = []
    func append(_ event: TrainingProgress) { lock.lock(); list.append(event); lock.unlock() }
    var events: [TrainingProgress] { lock.lock(); defer { lock.unlock() }; return list }
}
