extension RowEncoder {
    /// Whether `linearMargin` can score rows of this encoder with `scorer`: the weights are finite (so each
    /// indicator that is zero adds an exact zero to the full dot product) and laid out as this encoder's row.
    public func canScoreFromCodes(_ scorer: LinearScorer) -> Bool {
        scorer.finite && scorer.count == layout.count
    }

    /// A linear model's margin from a row encoded without indicators (`encode(_:into:indicators: false)`): the
    /// weight of each column's category, and each number times its weight, added in slot order. It is bit for bit
    /// `scorer.margin` over the one-hot row: the terms the dot product adds for zero indicators are exact zeros,
    /// and the one indicator that is set adds its weight times one. Only for rows that are not `unresolved`. NaN when
    /// huge numbers overflow terms to +∞ and −∞: then encode the indicators and take `scorer.margin`, which bounds
    /// the terms.
    public func linearMargin(_ row: borrowing EncodedRow, _ scorer: LinearScorer) -> Double {
        withExtendedLifetime(scorer) { linearMargin(row, scorer.terms) }
    }

    /// `linearMargin(_:_:)` over terms taken from a scorer that outlives the call.
    @inline(__always)
    func linearMargin(_ row: borrowing EncodedRow, _ terms: LinearScorer.Terms) -> Double {
        let w = terms.weights, m = terms.missing
        var z = terms.bias
        row.values.withUnsafeBufferPointer { values in
            row.codes.withUnsafeBufferPointer { codes in
                plans.withUnsafeBufferPointer { plans in
                    for c in 0..<plans.count {
                        let plan = plans[c]
                        if plan.numeric {
                            let v = values[plan.slot]
                            z += v.isNaN ? m[plan.slot] : w[plan.slot] * v
                        } else {
                            let code = Int(codes[c])
                            // A missing value where training saw them sets no indicator; an unseen one without an
                            // "other" level leaves the row unresolved, which this path never sees.
                            if code >= 0 {
                                z += w[plan.slot + code]
                            } else if code == Int(RowEncoder.unknown) && plan.otherSlot >= 0 {
                                z += w[plan.otherSlot]
                            }
                        }
                    }
                }
            }
        }
        return z
    }
}
