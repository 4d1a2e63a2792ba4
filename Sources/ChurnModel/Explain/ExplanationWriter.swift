/// Writes explanations the same way everywhere: the batch scorer's CSV and JSONL, and the API's JSON, so a
/// customer's contributions are the same digits whichever way they were asked for.
///
/// Contributions are fixed-point with six decimals (`-0.012345`); the base value too.
public enum ExplanationWriter {
    /// CSV header fields after the score's own: `reason_k,contribution_k` for the top N, or `base_value` and
    /// `contribution_<column>` for every column.
    public static func csvHeader(_ choice: ExplainChoice, columns: [String], into w: ByteWriter) {
        switch choice {
        case .none: break
        case .top(let n):
            for k in 1...n {
                w.append(",reason_")
                w.appendInt(k)
                w.append(",contribution_")
                w.appendInt(k)
            }
        case .all:
            w.append(",base_value")
            for c in columns {
                w.append(0x2C)
                w.appendCSVField("contribution_" + c, neutralizeFormula: true)
            }
        }
    }

    /// The CSV fields for one row (`reasons` as `ScoringEngine.reasons` gives them for `choice`).
    public static func csvFields(_ reasons: [ScoreReason], _ choice: ExplainChoice, baseValue: Double, into w: ByteWriter) {
        switch choice {
        case .none: break
        case .top(let n):
            for k in 0..<n {
                w.append(0x2C)
                if k < reasons.count {
                    w.appendCSVField(reasons[k].column + "=" + reasons[k].value, neutralizeFormula: true)
                    w.append(0x2C)
                    appendContribution(reasons[k].contribution, to: w)
                } else {
                    w.append(0x2C)
                }
            }
        case .all:
            csvAll(reasons.map(\.contribution), baseValue: baseValue, into: w)
        }
    }

    /// The `--explain all` CSV fields straight from the per-column contributions (schema order).
    public static func csvAll<C: Collection<Double>>(_ columns: C, baseValue: Double, into w: ByteWriter) {
        w.append(0x2C)
        appendContribution(baseValue, to: w)
        for c in columns {
            w.append(0x2C)
            appendContribution(c, to: w)
        }
    }

    /// `,"reasons":[{"column":…,"value":…,"contribution":…},…]`, preceded by `,"base_value":…` for `all`.
    public static func jsonFields(_ reasons: [ScoreReason], _ choice: ExplainChoice, baseValue: Double, into w: ByteWriter) {
        if choice == .none { return }
        if choice == .all {
            w.append(",\"base_value\":")
            appendContribution(baseValue, to: w)
        }
        w.append(",\"reasons\":[")
        for (k, r) in reasons.enumerated() {
            if k > 0 { w.append(",") }
            w.append("{\"column\":")
            w.appendJSONString(r.column)
            w.append(",\"value\":")
            w.appendJSONString(r.value)
            w.append(",\"contribution\":")
            appendContribution(r.contribution, to: w)
            w.append("}")
        }
        w.append("]")
    }

    /// `v` with exactly six decimals; a non-finite or huge value (only from hostile input) as a valid JSON number.
    public static func appendContribution(_ v: Double, to w: ByteWriter) {
        guard v.isFinite, abs(v) < 1e12 else {
            w.appendJSONNumber(v, decimals: 1e6)
            return
        }
        let micros = Int((abs(v) * 1e6).rounded())
        if v < 0 && micros != 0 { w.append(0x2D) }
        w.appendInt(micros / 1_000_000)
        w.append(0x2E)
        var fraction = micros % 1_000_000
        var digits: [UInt8] = [0, 0, 0, 0, 0, 0]
        for k in stride(from: 5, through: 0, by: -1) {
            digits[k] = UInt8(fraction % 10) + 0x30
            fraction /= 10
        }
        w.append(digits)
    }
}
