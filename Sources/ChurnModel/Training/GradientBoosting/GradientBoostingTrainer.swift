/// Gradient-boosted decision trees for binary log loss, grown from histograms of binned features.
///
/// Each round fits one tree to the gradient and hessian of the log loss at the current margins (a Newton step per
/// leaf, shrunk by the learning rate), on a seeded sample of rows and features. With a validation part, training
/// stops once its log loss has not improved for `earlyStoppingRounds` rounds and keeps the trees up to the best
/// round. The same seed gives the same ensemble whatever the thread count.
public struct GradientBoostingTrainer: Sendable {
    public var parameters: GradientBoostingParameters

    public init(parameters: GradientBoostingParameters = GradientBoostingParameters()) {
        self.parameters = parameters
    }

    /// The outcome of a fit: the ensemble (truncated to the best validation round) and the loss history.
    public struct Result: Sendable {
        public var ensemble: TreeEnsemble
        /// Trees kept: the round with the lowest validation loss (1-based), or every round grown without validation.
        public var bestRound: Int
        /// Validation log loss after each round grown (entry k: after k + 1 trees); empty without validation.
        public var validationLoss: [Double]
        /// Total split gain per encoded feature (for importance), over the trees kept.
        public var featureGain: [Double]
        /// Margins of the training rows as training computed them by bin routing, after every round grown
        /// (including any that early stopping then dropped). Tests compare them with the exported ensemble.
        var trainingMargins: [Double]
    }

    /// Called after every round with the rounds grown, the latest validation loss (nil without validation) and the
    /// best round so far.
    public typealias RoundObserver = (_ round: Int, _ validationLoss: Double?, _ bestRound: Int) -> Void

    public func fit(_ train: FeatureMatrix, labels: [UInt8], validation: FeatureMatrix?, validationLabels: [UInt8]?,
                    onRound: RoundObserver = { _, _, _ in }) -> Result {
        precondition(labels.count == train.rows, "\(train.rows) training rows but \(labels.count) labels")
        let work = ParallelWork(threads: parameters.threads)
        let n = train.rows
        let featureCount = train.columns.count
        let base = LogLoss.baseMargin(labels: labels)
        var margins = [Double](repeating: base, count: n)
        guard n > 1, featureCount > 0, parameters.rounds > 0 else {
            return Result(ensemble: TreeEnsemble(baseMargin: base, comparison: .lessOrEqual, trees: []), bestRound: 0,
                          validationLoss: [], featureGain: [Double](repeating: 0, count: featureCount), trainingMargins: margins)
        }

        let matrix = BinnedMatrix(fitting: train, maxBins: parameters.maxBins, seed: parameters.seed, work: work)
        var stopping: EarlyStopping?
        if let validation, let validationLabels, validation.rows > 0 {
            precondition(validationLabels.count == validation.rows, "\(validation.rows) validation rows but \(validationLabels.count) labels")
            stopping = EarlyStopping(matrix: BinnedMatrix(coding: validation, bins: matrix.bins, work: work),
                                     labels: validationLabels, baseMargin: base, patience: parameters.earlyStoppingRounds)
        }
        let candidates = (0..<featureCount).filter { !matrix.isConstant[$0] }

        var rng = SplitMix64(seed: parameters.seed)
        var grower = TreeGrower(matrix: matrix, parameters: parameters, work: work)
        var gradients = [RowGradient](repeating: .zero, count: n)
        var trees: [BinnedTree] = []
        for _ in 0..<parameters.rounds {
            let sample = RowSample(rowCount: n, share: parameters.subsample, candidates: candidates,
                                   featureShare: parameters.colsample, using: &rng)
            computeGradients(sample.rows, margins: margins, labels: labels, into: &gradients, work: work)
            let grown = grower.grow(sample: sample, gradients: gradients)
            addTree(grown, outOfSample: sample.outOfSample, matrix: matrix, to: &margins, work: work)
            trees.append(grown.tree)
            let decision = stopping?.record(grown.tree, work: work)
            onRound(trees.count, stopping?.losses.last, stopping?.bestRound ?? trees.count)
            if decision == .stop { break }
        }

        let kept = stopping?.bestRound ?? trees.count
        var gain = [Double](repeating: 0, count: featureCount)
        for tree in trees[0..<kept] { tree.addGains(to: &gain) }
        let ensemble = TreeEnsemble(baseMargin: base, comparison: .lessOrEqual,
                                    trees: trees[0..<kept].map { $0.decisionTree(bins: matrix.bins) })
        return Result(ensemble: ensemble, bestRound: kept, validationLoss: stopping?.losses ?? [],
                      featureGain: gain, trainingMargins: margins)
    }

    /// Log-loss gradient and hessian of the sampled rows, written at index r for row r.
    private func computeGradients(_ rows: [Int32], margins: [Double], labels: [UInt8], into gradients: inout [RowGradient],
                                  work: ParallelWork) {
        gradients.withUnsafeMutableBufferPointer { out in
            let out = UncheckedBox(out)
            work.forEachChunk(rows.count) { chunk in
                for k in chunk {
                    let r = Int(rows[k])
                    let (g, h) = LogLoss.derivatives(margin: margins[r], label: labels[r])
                    out.value[r] = RowGradient(Float(g), Float(h))
                }
            }
        }
    }

    /// Adds the new tree's leaf values to the training margins: sampled rows by the leaf the partition put them
    /// in, the rest by routing their bin codes through the tree.
    private func addTree(_ grown: TreeGrower.Grown, outOfSample: [Int32], matrix: BinnedMatrix,
                         to margins: inout [Double], work: ParallelWork) {
        let tree = grown.tree
        margins.withUnsafeMutableBufferPointer { m in
            let m = UncheckedBox(m)
            grown.partition.rows.withUnsafeBufferPointer { rows in
                work.forEach(grown.leafRanges.count) { k in
                    let (node, range) = grown.leafRanges[k]
                    let value = tree.nodes[node].value
                    for i in range { m.value[Int(rows[i])] += value }
                }
            }
            tree.addValues(of: matrix, rows: outOfSample, to: m.value, work: work)
        }
    }
}
