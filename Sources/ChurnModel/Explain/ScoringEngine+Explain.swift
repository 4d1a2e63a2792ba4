extension ScoringEngine {
    /// Why this customer scored as they did, per input column: the top `n` columns by absolute contribution
    /// (largest first, columns that contribute nothing left out), or every column in schema order for `.all`.
    /// Contributions are on the margin (logit) scale; with `explainer.baseValue` all columns sum to the margin.
    public func reasons(_ row: EncodedRow, choice: ExplainChoice = .top(ExplainChoice.defaultTop),
                        scratch: ExplainScratch? = nil) -> [ScoreReason] {
        if choice == .none { return [] }
        let scratch = scratch ?? explainer.makeScratch()
        explain(row, scratch: scratch)
        let perColumn = scratch.columns
        let columns = artifact.schema.features
        let order: [Int]
        switch choice {
        case .none: return []
        case .all:
            order = Array(columns.indices)
        case .top(let n):
            // Ties keep schema order, so the output does not depend on anything but the row.
            let nonzero = columns.indices.filter { abs(perColumn[$0]) > 1e-12 }
            order = Array(nonzero.sorted { abs(perColumn[$0]) > abs(perColumn[$1]) || (abs(perColumn[$0]) == abs(perColumn[$1]) && $0 < $1) }.prefix(n))
        }
        return order.map { c in
            ScoreReason(column: columns[c].name, value: valueText(row, column: c), contribution: perColumn[c])
        }
    }

    /// Fills `scratch.columns` with each input column's contribution for this row (no text, no allocation).
    @inline(__always)
    public func explain(_ row: EncodedRow, scratch: ExplainScratch) {
        row.values.withUnsafeBufferPointer { explainer.explain($0.baseAddress!, scratch: scratch) }
    }
}
