#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Counts of a binary decision against observed outcomes.
public struct ConfusionMatrix: Codable, Sendable, Equatable {
    public var truePositives: Int
    public var falsePositives: Int
    public var trueNegatives: Int
    public var falseNegatives: Int

    public init(truePositives: Int = 0, falsePositives: Int = 0, trueNegatives: Int = 0, falseNegatives: Int = 0) {
        self.truePositives = truePositives
        self.falsePositives = falsePositives
        self.trueNegatives = trueNegatives
        self.falseNegatives = falseNegatives
    }

    public var precision: Double { ratio(truePositives, truePositives + falsePositives) }
    public var recall: Double { ratio(truePositives, truePositives + falseNegatives) }
    public var f1: Double { ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives) }
    public var accuracy: Double { ratio(truePositives + trueNegatives, truePositives + trueNegatives + falsePositives + falseNegatives) }

    private func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }
}

/// Quality of predicted probabilities against observed labels.
public struct EvaluationMetrics: Codable, Sendable, Equatable {
    public var rows: Int
    public var positives: Int
    /// NaN when undefined: the rows hold only one class (JSON: null, with `aucNote` saying why).
    public var auc: Double
    public var logLoss: Double
    /// The probability at or above which a customer is predicted to churn.
    public var threshold: Double
    public var precision: Double
    public var recall: Double
    public var f1: Double
    public var accuracy: Double
    public var confusion: ConfusionMatrix
    /// Mean squared gap between probability and outcome (0 is perfect; predicting the churn rate for everyone
    /// scores rate·(1 − rate)). Absent in artifacts written before calibration was reported.
    public var brier: Double?
    /// Row-weighted mean gap between predicted and observed churn rates over the reliability bins.
    public var calibrationError: Double?
    /// Predicted against observed churn rate in ten probability bins (empty bins left out).
    public var reliability: [ReliabilityBin]?

    /// Scores `probabilities` against `labels` (1 = churned), deciding churn at `threshold`.
    public init(probabilities: [Double], labels: [UInt8], threshold: Double) {
        precondition(probabilities.count == labels.count)
        var cm = ConfusionMatrix()
        var loss = 0.0
        var squares = 0.0
        for (p, y) in zip(probabilities, labels) {
            let predicted = p >= threshold
            switch (predicted, y == 1) {
            case (true, true): cm.truePositives += 1
            case (true, false): cm.falsePositives += 1
            case (false, false): cm.trueNegatives += 1
            case (false, true): cm.falseNegatives += 1
            }
            let q = min(max(p, 1e-15), 1 - 1e-15)
            loss -= y == 1 ? log(q) : log(1 - q)
            squares += (p - Double(y)) * (p - Double(y))
        }
        rows = labels.count
        positives = labels.reduce(0) { $0 + Int($1) }
        auc = EvaluationMetrics.auc(probabilities, labels)
        logLoss = labels.isEmpty ? 0 : loss / Double(labels.count)
        self.threshold = threshold
        precision = cm.precision
        recall = cm.recall
        f1 = cm.f1
        accuracy = cm.accuracy
        confusion = cm
        brier = labels.isEmpty ? 0 : squares / Double(labels.count)
        let table = ReliabilityBin.table(probabilities, labels)
        reliability = table
        calibrationError = ReliabilityBin.expectedError(table)
    }

    /// Why AUC is undefined, or nil when it is a number.
    public var aucNote: String? {
        guard auc.isNaN else { return nil }
        return rows == 0 ? "AUC is undefined: no rows were scored"
            : "AUC is undefined: all \(rows) rows are \(positives == 0 ? "non-churners" : "churners"); it needs both classes"
    }

    /// Field by field, an undefined AUC equal to another undefined one: a model whose AUC is undefined is still
    /// the same model when written and read back.
    public static func == (a: EvaluationMetrics, b: EvaluationMetrics) -> Bool {
        a.rows == b.rows && a.positives == b.positives && (a.auc == b.auc || (a.auc.isNaN && b.auc.isNaN))
            && a.logLoss == b.logLoss && a.threshold == b.threshold && a.precision == b.precision && a.recall == b.recall
            && a.f1 == b.f1 && a.accuracy == b.accuracy && a.confusion == b.confusion && a.brier == b.brier
            && a.calibrationError == b.calibrationError && a.reliability == b.reliability
    }

    enum CodingKeys: String, CodingKey { case rows, positives, auc, aucNote, logLoss, threshold, precision, recall, f1, accuracy, confusion, brier, calibrationError, reliability }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rows = try c.decode(Int.self, forKey: .rows)
        positives = try c.decode(Int.self, forKey: .positives)
        auc = try c.decodeIfPresent(Double.self, forKey: .auc) ?? .nan
        logLoss = try c.decode(Double.self, forKey: .logLoss)
        threshold = try c.decode(Double.self, forKey: .threshold)
        precision = try c.decode(Double.self, forKey: .precision)
        recall = try c.decode(Double.self, forKey: .recall)
        f1 = try c.decode(Double.self, forKey: .f1)
        accuracy = try c.decode(Double.self, forKey: .accuracy)
        confusion = try c.decode(ConfusionMatrix.self, forKey: .confusion)
        // Calibration: absent in artifacts from before it was measured.
        brier = try c.decodeIfPresent(Double.self, forKey: .brier)
        calibrationError = try c.decodeIfPresent(Double.self, forKey: .calibrationError)
        reliability = try c.decodeIfPresent([ReliabilityBin].self, forKey: .reliability)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rows, forKey: .rows)
        try c.encode(positives, forKey: .positives)
        if auc.isNaN { try c.encodeNil(forKey: .auc) } else { try c.encode(auc, forKey: .auc) }
        try c.encodeIfPresent(aucNote, forKey: .aucNote)
        try c.encode(logLoss, forKey: .logLoss)
        try c.encode(threshold, forKey: .threshold)
        try c.encode(precision, forKey: .precision)
        try c.encode(recall, forKey: .recall)
        try c.encode(f1, forKey: .f1)
        try c.encode(accuracy, forKey: .accuracy)
        try c.encode(confusion, forKey: .confusion)
        try c.encodeIfPresent(brier, forKey: .brier)
        try c.encodeIfPresent(calibrationError, forKey: .calibrationError)
        try c.encodeIfPresent(reliability, forKey: .reliability)
    }

    /// Area under the ROC curve by the rank-sum formula, ties sharing their average rank.
    public static func auc(_ scores: [Double], _ labels: [UInt8]) -> Double {
        let n = scores.count
        let positives = labels.reduce(0) { $0 + Int($1) }
        let negatives = n - positives
        // With one class there is no pair to rank: AUC is undefined, not 0.5.
        guard positives > 0, negatives > 0 else { return .nan }
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var rankSum = 0.0
        var i = 0
        while i < n {
            var j = i
            while j + 1 < n && scores[order[j + 1]] == scores[order[i]] { j += 1 }
            let averageRank = Double(i + j) / 2 + 1
            for k in i...j where labels[order[k]] == 1 { rankSum += averageRank }
            i = j + 1
        }
        return (rankSum - Double(positives) * Double(positives + 1) / 2) / (Double(positives) * Double(negatives))
    }

    /// The threshold that maximises F1 on these predictions (an exact search over every distinct score).
    public static func bestF1Threshold(_ scores: [Double], _ labels: [UInt8]) -> Double {
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        let positives = labels.reduce(0) { $0 + Int($1) }
        guard positives > 0 else { return 0.5 }
        var tp = 0
        var fp = 0
        var best = -1.0
        var bestThreshold = 0.5
        var i = 0
        while i < order.count {
            let s = scores[order[i]]
            while i < order.count && scores[order[i]] == s {
                if labels[order[i]] == 1 { tp += 1 } else { fp += 1 }
                i += 1
            }
            let f1 = Double(2 * tp) / Double(2 * tp + fp + (positives - tp))
            if f1 > best {
                best = f1
                // Halfway to the next lower score, so the threshold sits between two observed scores.
                let next = i < order.count ? scores[order[i]] : 0
                bestThreshold = (s + next) / 2
            }
        }
        return bestThreshold
    }
}
