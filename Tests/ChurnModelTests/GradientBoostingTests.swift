import Foundation
import Testing
@testable import ChurnModel

/// Seeded synthetic problems built in memory, so each test knows exactly what signal the data carries.
private struct Synthetic {
    var columns: [TableColumn] = []
    var schema: [ColumnSchema] = []
    var labels: [UInt8] = []
    /// The churn probability each row's label was drawn with, where the generator knows it.
    var truth: [Double] = []

    mutating func numeric(_ name: String, _ values: [Double]) {
        columns.append(.numeric(values))
        schema.append(ColumnSchema(name: name, kind: .numeric))
    }

    mutating func categorical(_ name: String, _ categories: [String], _ codes: [Int32]) {
        columns.append(.categorical(codes))
        schema.append(ColumnSchema(name: name, kind: .categorical, categories: categories))
    }

    var table: TrainingTable {
        TrainingTable(schema: Schema(idColumn: nil, targetColumn: "y", positiveLabel: "1", negativeLabel: "0", features: schema),
                      columns: columns, labels: labels, skipped: [], skippedCount: 0, notes: [], fingerprint: "synthetic",
                      file: "synthetic.csv")
    }

    /// The rows `range` as a feature matrix and its labels.
    func part(_ range: Range<Int>) -> (FeatureMatrix, [UInt8]) {
        let t = table.subset(Array(range))
        return (FeatureMatrix(table: t), t.labels)
    }

    /// XOR of the signs of x1 and x2, with `flip` of the labels flipped, beside `noise` uniform features.
    static func xor(rows: Int, flip: Double, noise: Int, seed: UInt64) -> Synthetic {
        var rng = SplitMix64(seed: seed)
        let x1 = (0..<rows).map { _ in rng.nextUnit() * 2 - 1 }
        let x2 = (0..<rows).map { _ in rng.nextUnit() * 2 - 1 }
        var s = Synthetic()
        s.numeric("x1", x1)
        s.numeric("x2", x2)
        for k in 0..<noise { s.numeric("noise\(k)", (0..<rows).map { _ in rng.nextUnit() }) }
        s.labels = (0..<rows).map { i in
            let clean: UInt8 = (x1[i] > 0) == (x2[i] > 0) ? 1 : 0
            return rng.nextUnit() < flip ? 1 - clean : clean
        }
        return s
    }

    /// Mixed shapes: a numeric with repeated values and missing ones, a categorical column, a flag and a
    /// continuous feature, with churn depending on several of them.
    static func mixed(rows: Int, seed: UInt64) -> Synthetic {
        var rng = SplitMix64(seed: seed)
        let tenure = (0..<rows).map { _ in rng.nextUnit() < 0.1 ? Double.nan : Double(Int(rng.nextUnit() * 72)) }
        let plan = (0..<rows).map { _ in Int32(rng.nextUnit() < 0.05 ? -1 : Int(rng.nextUnit() * 3)) }
        let flag = (0..<rows).map { _ in rng.nextUnit() < 0.3 ? 1.0 : 0.0 }
        let charges = (0..<rows).map { _ in 20 + rng.nextUnit() * 100 }
        var s = Synthetic()
        s.numeric("tenure", tenure)
        s.categorical("plan", ["monthly", "yearly", "two-year"], plan)
        s.numeric("flag", flag)
        s.numeric("charges", charges)
        s.truth = (0..<rows).map { i in
            var z = -1.0 + (plan[i] == 0 ? 1.2 : -0.5) + 0.8 * flag[i] + 0.01 * (charges[i] - 70)
            // Churn falls with tenure until two years, then stays flat: a bend no linear term has.
            z += tenure[i].isNaN ? 1.0 : -min(tenure[i], 24) / 12
            return 1 / (1 + exp(-z))
        }
        s.labels = s.truth.map { rng.nextUnit() < $0 ? 1 : 0 }
        return s
    }
}

private func probabilities(_ ensemble: TreeEnsemble, _ matrix: FeatureMatrix) -> [Double] {
    ModelTrainer.predict(.trees(ensemble), matrix)
}

private func margins(_ ensemble: TreeEnsemble, _ matrix: FeatureMatrix) -> [Double] {
    (0..<matrix.rows).map { i in matrix.row(i).withUnsafeBufferPointer { ensemble.margin($0.baseAddress!) } }
}

private func parameters(_ change: (inout GradientBoostingParameters) -> Void = { _ in }) -> GradientBoostingParameters {
    var p = GradientBoostingParameters()
    p.threads = 2
    change(&p)
    return p
}

/// Depth of the deepest leaf below `node` (a lone leaf has depth 0).
private func depth(_ tree: DecisionTree, _ node: Int = 0) -> Int {
    tree.feature[node] < 0 ? 0 : 1 + max(depth(tree, Int(tree.left[node])), depth(tree, Int(tree.right[node])))
}

@Suite("Gradient-boosted trees")
struct GradientBoostingTests {
    @Test("trees learn an XOR interaction that logistic regression cannot")
    func learnsInteraction() {
        // With 10% of labels flipped, even the true rule scores AUC 0.81 + ½·0.18 = 0.90 on these labels; a linear
        // model sees no marginal signal at all (AUC ≈ 0.5). 0.85 leaves room for sampling noise on 2,000 rows.
        let data = Synthetic.xor(rows: 8000, flip: 0.1, noise: 3, seed: 7)
        let (fit, fitLabels) = data.part(0..<5000)
        let (valid, validLabels) = data.part(5000..<6000)
        let (test, testLabels) = data.part(6000..<8000)
        let result = GradientBoostingTrainer(parameters: parameters { $0.learningRate = 0.1 })
            .fit(fit, labels: fitLabels, validation: valid, validationLabels: validLabels)
        let treeAUC = EvaluationMetrics.auc(probabilities(result.ensemble, test), testLabels)

        let logistic = LogisticRegressionTrainer(l2: 1e-3).fit(LogisticRegressionTrainer.Design(matrix: fit), labels: fitLabels)
        let logisticAUC = EvaluationMetrics.auc(ModelTrainer.predict(.logistic(logistic), test), testLabels)

        #expect(treeAUC > 0.85, "tree AUC \(treeAUC)")
        #expect(logisticAUC < 0.6, "logistic AUC \(logisticAUC)")
        #expect(result.ensemble.trees.count == result.bestRound)
        // x1 and x2 carry all the signal, so they must carry most of the gain.
        #expect(result.featureGain.count == fit.columns.count)
        let signal = result.featureGain[0] + result.featureGain[1]
        #expect(signal > 4 * result.featureGain[2...].reduce(0, +), "gain \(result.featureGain)")
    }

    @Test("trees reach a known AUC on mixed numeric, categorical and missing data")
    func mixedDataAUC() {
        // The labels are drawn from known probabilities, and no model can rank the test rows better than they
        // do; a good fit on 7,000 rows comes within two points of that ceiling, a broken one falls far short.
        let data = Synthetic.mixed(rows: 12000, seed: 3)
        let (fit, fitLabels) = data.part(0..<7000)
        let (valid, validLabels) = data.part(7000..<9000)
        let (test, testLabels) = data.part(9000..<12000)
        let result = GradientBoostingTrainer(parameters: parameters())
            .fit(fit, labels: fitLabels, validation: valid, validationLabels: validLabels)
        let auc = EvaluationMetrics.auc(probabilities(result.ensemble, test), testLabels)
        let ceiling = EvaluationMetrics.auc(Array(data.truth[9000..<12000]), testLabels)
        #expect(auc > ceiling - 0.02, "test AUC \(auc) against \(ceiling) for the true probabilities")
        for tree in result.ensemble.trees { #expect(tree.validate(featureCount: fit.columns.count) == nil) }
    }

    @Test("the direction of missing values is learnt from the data")
    func learnsMissingDirection() {
        // x is missing on 30% of rows, and exactly those rows churn 80% of the time against 20% for the rest; its
        // present values are pure noise. A stump must split x into present against missing and send missing
        // to the high-churn side.
        var rng = SplitMix64(seed: 11)
        let rows = 4000
        let missing = (0..<rows).map { _ in rng.nextUnit() < 0.3 }
        var data = Synthetic()
        data.numeric("x", missing.map { $0 ? .nan : rng.nextUnit() * 10 })
        data.numeric("noise", (0..<rows).map { _ in rng.nextUnit() })
        data.labels = missing.map { rng.nextUnit() < ($0 ? 0.8 : 0.2) ? 1 : 0 }
        let (fit, labels) = data.part(0..<rows)
        let result = GradientBoostingTrainer(parameters: parameters {
            $0.maxDepth = 1
            $0.rounds = 20
        }).fit(fit, labels: labels, validation: nil, validationLabels: nil)

        let first = result.ensemble.trees[0]
        #expect(first.feature[0] == 0)
        let missingSide = Int(first.defaultLeft[0] ? first.left[0] : first.right[0])
        let presentSide = Int(first.defaultLeft[0] ? first.right[0] : first.left[0])
        #expect(first.value[missingSide] > 0 && first.value[presentSide] < 0)
        // Every present value falls on the other side of the threshold than missing ones.
        let goesLeft = fit.columns[0].filter { !$0.isNaN }.map { $0 <= first.threshold[0] }
        #expect(goesLeft.allSatisfy { $0 == !first.defaultLeft[0] })

        let p = probabilities(result.ensemble, fit)
        let nanMean = zip(p, missing).filter { $0.1 }.map(\.0).reduce(0, +) / Double(missing.count(where: { $0 }))
        let presentMean = zip(p, missing).filter { !$0.1 }.map(\.0).reduce(0, +) / Double(missing.count(where: { !$0 }))
        #expect(nanMean > presentMean + 0.2, "missing \(nanMean) present \(presentMean)")
    }

    @Test("early stopping ends patience rounds after the best and keeps trees up to it")
    func earlyStoppingTruncates() {
        // A steep learning rate on noisy data overfits within a few dozen rounds, long before 500.
        let data = Synthetic.mixed(rows: 3000, seed: 5)
        let (fit, fitLabels) = data.part(0..<2000)
        let (valid, validLabels) = data.part(2000..<3000)
        let result = GradientBoostingTrainer(parameters: parameters {
            $0.learningRate = 0.5
            $0.rounds = 500
            $0.earlyStoppingRounds = 10
            $0.minChildWeight = 0.1
        }).fit(fit, labels: fitLabels, validation: valid, validationLabels: validLabels)

        let losses = result.validationLoss
        #expect(losses.count < 500)
        let best = losses.indices.min { losses[$0] < losses[$1] }!
        #expect(result.bestRound == best + 1)
        #expect(losses.count == result.bestRound + 10)
        #expect(result.ensemble.trees.count == result.bestRound)
        // The truncated ensemble scores the validation rows exactly as the loss recorded at its round says.
        let kept = margins(result.ensemble, valid)
        let loss = zip(kept, validLabels).map { LogLoss.loss(margin: $0, label: $1) }.reduce(0, +) / Double(valid.rows)
        #expect(abs(loss - losses[best]) < 1e-9)
    }

    @Test("the same seed gives the same ensemble on one, two or four threads")
    func deterministicAcrossThreads() {
        // Enough rows for several row chunks and for histograms to be built in parallel, with every path in
        // play: row and column sampling, a one-hot bundle, missing values.
        let data = Synthetic.mixed(rows: 50000, seed: 9)
        let (fit, fitLabels) = data.part(0..<40000)
        let (valid, validLabels) = data.part(40000..<50000)
        let results = [1, 2, 4].map { threads in
            GradientBoostingTrainer(parameters: parameters {
                $0.threads = threads
                $0.rounds = 15
            }).fit(fit, labels: fitLabels, validation: valid, validationLabels: validLabels)
        }
        for r in results.dropFirst() {
            #expect(r.ensemble == results[0].ensemble)
            #expect(r.validationLoss == results[0].validationLoss)
            #expect(r.featureGain == results[0].featureGain)
        }
        // The seed does reach the sampling: another seed grows other trees.
        let other = GradientBoostingTrainer(parameters: parameters {
            $0.rounds = 15
            $0.seed = 43
        }).fit(fit, labels: fitLabels, validation: valid, validationLabels: validLabels)
        #expect(other.ensemble != results[0].ensemble)
    }

    @Test("the exported trees route every training row as the bins did during training")
    func predictionMatchesTrainingRouting() {
        // Few bins force quantile edges between distinct values; subsampling routes out-of-sample rows by bins.
        let data = Synthetic.mixed(rows: 5000, seed: 13)
        let (fit, labels) = data.part(0..<5000)
        let result = GradientBoostingTrainer(parameters: parameters {
            $0.maxBins = 16
            $0.rounds = 30
            $0.subsample = 0.7
            $0.learningRate = 0.3
        }).fit(fit, labels: labels, validation: nil, validationLabels: nil)
        #expect(result.ensemble.trees.count == 30)
        let predicted = margins(result.ensemble, fit)
        let mismatches = (0..<fit.rows).filter { predicted[$0] != result.trainingMargins[$0] }
        #expect(mismatches.count == 0, "\(mismatches.count) rows differ, first \(mismatches.first ?? -1)")
    }

    @Test("bin codes and split thresholds agree on any value, seen or not")
    func binsAgreeWithThresholds() {
        var rng = SplitMix64(seed: 17)
        let values = (0..<5000).map { _ in (rng.nextUnit() * 1000).rounded() / 10 } + [.nan, .nan]
        let bins = FeatureBins(values: values, maxBins: 32)
        #expect(bins.valueBins <= 32 && bins.valueBins > 16)
        #expect(bins.code(.nan) == bins.missingCode)
        for _ in 0..<2000 {
            let x = rng.nextUnit() * 120 - 10
            let code = Int(bins.code(x))
            for b in 0..<bins.valueBins {
                #expect((x <= bins.threshold(afterBin: b)) == (code <= b))
            }
        }
        // Few distinct values: one bin each, cut midway.
        let small = FeatureBins(values: [3, 1, 2, 2, 3, 1], maxBins: 255)
        #expect(small.upperEdges == [1.5, 2.5])
        #expect(FeatureBins(values: [0, 1, 0, 1], maxBins: 255).upperEdges == [0.5])
    }

    @Test("trees respect max depth, max leaves and min child weight, and carry covers and node values")
    func respectsLimits() {
        let data = Synthetic.mixed(rows: 6000, seed: 21)
        let (fit, labels) = data.part(0..<6000)
        let p = parameters {
            $0.maxDepth = 3
            $0.maxLeaves = 6
            $0.minChildWeight = 40
            $0.subsample = 1
            $0.rounds = 25
            $0.learningRate = 0.2
        }
        let result = GradientBoostingTrainer(parameters: p).fit(fit, labels: labels, validation: nil, validationLabels: nil)
        var sawFullDepth = false
        for tree in result.ensemble.trees {
            #expect(tree.validate(featureCount: fit.columns.count) == nil)
            let leaves = (0..<tree.nodeCount).filter { tree.feature[$0] < 0 }
            #expect(leaves.count <= 6)
            #expect(depth(tree) <= 3)
            sawFullDepth = sawFullDepth || depth(tree) == 3
            for leaf in leaves { #expect(tree.cover[leaf] >= 40) }
            for i in 0..<tree.nodeCount where tree.feature[i] >= 0 {
                let (l, r) = (Int(tree.left[i]), Int(tree.right[i]))
                #expect(abs(tree.cover[i] - tree.cover[l] - tree.cover[r]) < 1e-9 * tree.cover[i])
                let mean = (tree.cover[l] * tree.value[l] + tree.cover[r] * tree.value[r]) / tree.cover[i]
                #expect(abs(tree.value[i] - mean) < 1e-12)
            }
        }
        #expect(sawFullDepth, "the limits should bind on this data")
        // A minimum child weight above half the rows' hessian leaves nothing to split.
        let stumpless = GradientBoostingTrainer(parameters: parameters {
            $0.minChildWeight = 1e6
            $0.rounds = 3
        }).fit(fit, labels: labels, validation: nil, validationLabels: nil)
        #expect(stumpless.ensemble.trees.allSatisfy { $0.nodeCount == 1 })
    }

    @Test("constant, all-missing and tiny inputs give valid, split-free trees instead of failing")
    func degenerateInputs() {
        var data = Synthetic()
        data.numeric("constant", [Double](repeating: 4, count: 12))
        data.numeric("empty", [Double](repeating: .nan, count: 12))
        data.labels = [0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1]
        let (fit, labels) = data.part(0..<12)
        let result = GradientBoostingTrainer(parameters: parameters { $0.rounds = 5 })
            .fit(fit, labels: labels, validation: fit, validationLabels: labels)
        #expect(result.ensemble.trees.allSatisfy { $0.nodeCount == 1 && $0.validate(featureCount: 2) == nil })
        #expect(abs(result.ensemble.baseMargin - log(4.0 / 8.0)) < 1e-12)
        #expect(result.featureGain == [0, 0])
        // No rounds asked for: the base rate alone.
        let none = GradientBoostingTrainer(parameters: parameters { $0.rounds = 0 })
            .fit(fit, labels: labels, validation: nil, validationLabels: nil)
        #expect(none.ensemble.trees.isEmpty && none.bestRound == 0)
    }

    @Test("one-hot indicators read through their bundle give the histogram they give read one by one")
    func bundledHistogramsMatch() {
        let data = Synthetic.mixed(rows: 3000, seed: 31)
        let (fit, _) = data.part(0..<3000)
        let work = ParallelWork(threads: 2)
        let bundled = BinnedMatrix(fitting: fit, maxBins: 255, seed: 1, work: work)
        let plain = BinnedMatrix(coding: fit, bins: bundled.bins, work: work)
        #expect(bundled.bundles.map(\.members) == [[1, 2, 3]])
        #expect(plain.bundles.isEmpty)

        var rng = SplitMix64(seed: 2)
        let rows = RowSample.select(1800, of: 3000, using: &rng)
        let ordered = rows.map { _ in RowGradient(Float(rng.nextUnit() - 0.5), Float(rng.nextUnit() / 4)) }
        let total = ordered.reduce(GradientPair.zero) { $0 + GradientPair($1) }
        let features = Array(0..<fit.columns.count)
        func histogram(_ matrix: BinnedMatrix) -> GradientHistogram {
            var h = GradientHistogram(slots: matrix.totalSlots)
            rows.withUnsafeBufferPointer { r in
                ordered.withUnsafeBufferPointer { o in
                    h.build(rows: r, ordered: o, total: total, matrix: matrix,
                            plan: HistogramPlan(features: features, matrix: matrix), work: work)
                }
            }
            return h
        }
        let a = histogram(bundled).sums
        let b = histogram(plain).sums
        #expect(a.count == b.count)
        let worst = zip(a, b).map { max(abs($0.x - $1.x), abs($0.y - $1.y)) }.max() ?? 0
        #expect(worst < 1e-9, "largest difference \(worst)")
    }

    @Test("row and feature samples are exact-size, ascending, and cover every row once")
    func samplesAreExact() {
        var rng = SplitMix64(seed: 4)
        for (n, share) in [(1, 0.8), (10, 0.5), (1000, 0.8), (1001, 0.01), (5000, 0.999)] {
            let sample = RowSample(rowCount: n, share: share, candidates: Array(0..<20), featureShare: 0.3, using: &rng)
            let k = max(1, Int((Double(n) * share).rounded()))
            #expect(sample.rows.count == k)
            #expect(sample.outOfSample.count == n - k)
            #expect((sample.rows + sample.outOfSample).sorted() == (0..<Int32(n)).map { $0 })
            #expect(sample.rows == sample.rows.sorted() && sample.outOfSample == sample.outOfSample.sorted())
            #expect(sample.features.count == 6 && Set(sample.features).count == 6 && sample.features == sample.features.sorted())
        }
    }
}
