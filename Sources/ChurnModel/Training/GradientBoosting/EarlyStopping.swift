/// Tracks validation log loss round by round and says when boosting has stopped paying off.
///
/// The validation rows are binned with the training bins once; each new tree then costs one routing pass.
struct EarlyStopping {
    enum Decision { case goOn, stop }

    let matrix: BinnedMatrix
    let labels: [UInt8]
    /// Rounds without a new best before stopping; 0 or less never stops and keeps every round.
    let patience: Int
    private var margins: [Double]
    private(set) var losses: [Double] = []
    private var bestLoss = Double.infinity
    private var best = 0

    init(matrix: BinnedMatrix, labels: [UInt8], baseMargin: Double, patience: Int) {
        self.matrix = matrix
        self.labels = labels
        self.patience = patience
        self.margins = [Double](repeating: baseMargin, count: matrix.rows)
    }

    /// Trees to keep: the round (1-based) with the lowest validation loss, earliest on a tie.
    var bestRound: Int { patience > 0 ? best : losses.count }

    /// Adds a tree's values to the validation margins and records the new loss.
    mutating func record(_ tree: BinnedTree, work: ParallelWork) -> Decision {
        let labels = self.labels
        let total = margins.withUnsafeMutableBufferPointer { m in
            tree.addValues(of: matrix, rows: nil, to: m, work: work)
            let m = UncheckedBox(UnsafeBufferPointer(m))
            return work.sum(m.value.count) { chunk in
                var loss = 0.0
                for r in chunk { loss += LogLoss.loss(margin: m.value[r], label: labels[r]) }
                return loss
            }
        }
        let loss = total / Double(matrix.rows)
        losses.append(loss)
        if loss < bestLoss {
            bestLoss = loss
            best = losses.count
        }
        return patience > 0 && losses.count - best >= patience ? .stop : .goOn
    }
}
