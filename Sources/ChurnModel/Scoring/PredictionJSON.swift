/// Writes one prediction as a JSON object, the same way everywhere: `churn score --format jsonl` lines and the
/// API's `/predict` and `/predict/batch` answers. Probabilities with six decimals (`ByteWriter.appendProbability`),
/// contributions through `ExplanationWriter` (six decimals), so a customer reads the same digits whichever way it
/// was scored. Writes straight into the caller's buffer: nothing is allocated per row.
public enum PredictionJSON {
    /// The customer's id as the caller has it.
    public enum ID {
        /// The id field's bytes (batch scoring, straight from the input block).
        case bytes(UnsafeBufferPointer<UInt8>)
        case string(String)
        /// A file without an id column: the line number.
        case line(Int)
    }

    /// `{"<key>":<id>,"churn_probability":…,"risk_level":"…"[,"model_version":…][,"base_value":…,"reasons":[…]]`
    /// `[,"missing":[…]][,"unseen":[…]]}`. `version` nil leaves `model_version` out (a batch whose top level
    /// names it); `reasons` are `ScoringEngine.reasons` for `choice` (empty for none); `missing` and `unseen`
    /// are written only when not empty.
    @inline(__always)
    public static func write(key: String, id: ID, probability p: Double, level: RiskLevel, version: String?,
                             reasons: [ScoreReason] = [], choice: ExplainChoice = .none, baseValue: Double = 0,
                             missing: [String] = [], unseen: [String] = [], into w: ByteWriter) {
        w.append("{")
        w.appendJSONString(key)
        w.append(":")
        switch id {
        case .bytes(let bytes): w.appendJSONString(bytes)
        case .string(let s): w.appendJSONString(s)
        case .line(let n): w.appendInt(n)
        }
        w.append(",\"churn_probability\":")
        w.appendProbability(p)
        w.append(",\"risk_level\":\"")
        w.appendText(level.rawValue)
        w.append("\"")
        if let version {
            w.append(",\"model_version\":")
            w.appendJSONString(version)
        }
        ExplanationWriter.jsonFields(reasons, choice, baseValue: baseValue, into: w)
        names("missing", missing, into: w)
        names("unseen", unseen, into: w)
        w.append("}")
    }

    /// `,"<key>":["a","b"]`, or nothing for an empty list.
    @inline(__always)
    static func names(_ key: StaticString, _ list: [String], into w: ByteWriter) {
        guard !list.isEmpty else { return }
        w.append(",\"")
        w.append(key)
        w.append("\":[")
        for (k, name) in list.enumerated() {
            if k > 0 { w.append(",") }
            w.appendJSONString(name)
        }
        w.append("]")
    }
}
