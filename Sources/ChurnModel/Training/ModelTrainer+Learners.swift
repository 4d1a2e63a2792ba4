import ChurnBase
import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The two learners' validation and refit: each measures its settings on the plan's parts, then refits on all rows.
extension ModelTrainer {
    /// Logistic regression: the L2 penalty with the lowest held-out log loss, then a refit on the training part.
    ///
    /// Under cross-validation the penalty grid is searched on the plan's own folds (so the learners are compared
    /// on the same held-out rows); with a holdout it is searched by `chooseL2` on a sample, and the holdout
    /// measures the penalty chosen.
    static func logisticCandidate(_ given: TrainingTable, plan: ValidationPlan, options: TrainingOptions,
                                  report: (Double, String) -> Void) -> LearnerCandidate {
        var trainer = LogisticRegressionTrainer(l2: options.l2 ?? logisticGrid[0])
        trainer.threads = options.threads
        let grid = options.l2.map { [$0] } ?? (plan.isCrossValidation ? logisticGrid : [chooseL2(given, trainer: trainer, seed: options.seed)])
        // The parts are independent, so they are fitted side by side (each part's penalties in turn, warm-started);
        // their results are then gathered in part order, so the sums and the choice do not depend on scheduling.
        let perPart = ResultSlots<(margins: [[Double]], loss: [Double])>(count: plan.parts.count)
        let base = trainer
        DispatchQueue.concurrentPerform(iterations: plan.parts.count) { k in
            let part = plan.parts[k]
            var trainer = base
            let fit = given.subset(part.fit)
            let held = given.subset(part.held)
            let design = LogisticRegressionTrainer.Design(matrix: FeatureMatrix(table: fit))
            let heldMatrix = FeatureMatrix(table: held)
            var warm: LogisticRegressionTrainer.Fit?
            var margins: [[Double]] = []
            var loss: [Double] = []
            for l2 in grid {
                trainer.l2 = l2
                let fitted = trainer.fit(design, labels: fit.labels, start: warm?.coefficients, warmHessian: warm?.dataHessian)
                warm = fitted
                let m = predictMargins(.logistic(fitted.model), heldMatrix, threads: options.threads)
                margins.append(m)
                loss.append(zip(m, held.labels).reduce(0) { $0 + LogLoss.loss(margin: $1.0, label: $1.1) })
            }
            perPart[k] = (margins, loss)
        }
        // margins[g][k]: held-out margins of part k under penalty g.
        var margins = [[[Double]]](repeating: [], count: grid.count)
        var loss = [Double](repeating: 0, count: grid.count)
        for k in plan.parts.indices {
            let result = perPart[k]!
            for g in grid.indices {
                margins[g].append(result.margins[g])
                loss[g] += result.loss[g]
            }
            report(Double(k + 1) / Double(plan.parts.count), "logistic " + plan.partName(k))
        }
        let best = loss.indices.min { loss[$0] < loss[$1] }!
        let auc = zip(plan.parts, margins[best]).map { part, m in
            EvaluationMetrics.auc(m, part.held.map { given.labels[$0] })
        }.reduce(0, +) / Double(plan.parts.count)
        trainer.l2 = grid[best]
        return LearnerCandidate(name: "logistic", validationAUC: auc, heldMargins: margins[best].flatMap { $0 },
                                parameters: ["l2": String(grid[best])]) { _ in
            let final = trainer.fit(LogisticRegressionTrainer.Design(matrix: FeatureMatrix(table: given)), labels: given.labels).model
            return (.logistic(final), final.weights.map { abs($0) })
        }
    }

    /// Gradient-boosted trees: early stopping on each part's held-out rows finds the number of rounds (the round
    /// where the mean held-out loss curve is lowest), scaled up for the larger refit, which then grows exactly
    /// that many trees on every training row.
    static func gbtCandidate(_ given: TrainingTable, plan: ValidationPlan, options: TrainingOptions,
                             report: @escaping (Double, String) -> Void) -> LearnerCandidate {
        var parameters = options.gbt
        parameters.threads = options.threads
        let patience = max(parameters.earlyStoppingRounds, 1)
        // Several parts are fitted side by side, each on one thread: a fit on a few thousand rows cannot keep two
        // cores busy by itself, while whole folds can. A fit is bit-for-bit the same on any thread count, and the
        // results are gathered in part order, so the model chosen does not depend on scheduling.
        let side = min(max(parameters.threads, 1), plan.parts.count)
        var perFit = parameters
        perFit.threads = side > 1 ? max(1, parameters.threads / side) : parameters.threads
        let trainer = GradientBoostingTrainer(parameters: perFit)
        let progress = PartProgress(parts: plan.parts.count, report: report)
        let results = ResultSlots<(curve: [Double], margins: [Double], auc: Double)>(count: plan.parts.count)
        ParallelWork(threads: side).forEach(plan.parts.count) { k in
            let part = plan.parts[k]
            let fit = given.subset(part.fit)
            let held = given.subset(part.held)
            let heldMatrix = FeatureMatrix(table: held)
            let label = "gbt " + plan.partName(k)
            let result = trainer.fit(FeatureMatrix(table: fit), labels: fit.labels, validation: heldMatrix,
                                     validationLabels: held.labels) { round, loss, best in
                // The fit ends `patience` rounds after its best so far, unless the cap comes first.
                let expected = Double(min(max(best + patience, round + 1), parameters.rounds))
                progress.update(k, Double(round) / expected,
                                "\(label), round \(round), validation log loss " + String(cFormat: "%.4f", loss ?? .nan))
            }
            let m = predictMargins(.trees(result.ensemble), heldMatrix, threads: perFit.threads)
            results[k] = (result.validationLoss, m, EvaluationMetrics.auc(m, held.labels))
            progress.update(k, 1, label + " done")
        }
        let gathered = plan.parts.indices.map { results[$0]! }
        let curves = gathered.map(\.curve)
        let heldMargins = gathered.flatMap(\.margins)
        let aucs = gathered.map(\.auc)
        // The mean curve over the rounds every part grew; its lowest point is the validated round count.
        let common = curves.map(\.count).min() ?? 0
        var bestRound = 1
        var bestLoss = Double.infinity
        for r in 0..<common {
            let mean = curves.reduce(0) { $0 + $1[r] } / Double(curves.count)
            if mean < bestLoss { bestLoss = mean; bestRound = r + 1 }
        }
        let scale = refitRoundScale(given: Double(given.rowCount), fit: plan.meanFitRows)
        var refit = parameters
        refit.rounds = max(1, Int((Double(bestRound) * scale).rounded()))
        var strings = parameters.asStrings
        strings["bestRound"] = String(bestRound)
        strings["rounds"] = String(refit.rounds)
        return LearnerCandidate(name: "gbt", validationAUC: aucs.reduce(0, +) / Double(max(aucs.count, 1)),
                                heldMargins: heldMargins, parameters: strings) { report in
            let final = GradientBoostingTrainer(parameters: refit)
                .fit(FeatureMatrix(table: given), labels: given.labels, validation: nil, validationLabels: nil) { round, _, _ in
                    report(Double(round) / Double(refit.rounds), "gbt, round \(round) of \(refit.rounds)")
                }
            return (.trees(final.ensemble), final.featureGain)
        }
    }

    /// How many more rounds the refit grows than validation found best: more rows support more rounds before
    /// overfitting, roughly in proportion to the rows added.
    static func refitRoundScale(given: Double, fit: Double) -> Double {
        fit > 0 ? min(given / fit, 1.5) : 1
    }

    /// Margins (logits) for every row of a matrix, computed on every core.
    static func predictMargins(_ predictor: Predictor, _ matrix: FeatureMatrix, threads: Int) -> [Double] {
        mapRows(matrix, threads: threads) { predictor.margin($0) }
    }

    /// `value` of every row of a column-major matrix, in row order, computed on every core.
    static func mapRows(_ matrix: FeatureMatrix, threads: Int, _ value: @Sendable (UnsafePointer<Double>) -> Double) -> [Double] {
        let n = matrix.rows
        let width = matrix.columns.count
        let chunks = max(1, min(threads * 4, n / 4096))
        let out = ResultSlots<[Double]>(count: chunks)
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let lo = n * c / chunks
            let hi = n * (c + 1) / chunks
            var row = [Double](repeating: 0, count: width)
            var part = [Double](repeating: 0, count: hi - lo)
            for i in lo..<hi {
                for j in 0..<width { row[j] = matrix.columns[j][i] }
                part[i - lo] = row.withUnsafeBufferPointer { value($0.baseAddress!) }
            }
            out[c] = part
        }
        return (0..<chunks).flatMap { out[$0]! }
    }
}
