import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A prediction remembered so a later observed outcome can be joined with it.
public struct LoggedPrediction: Codable, Sendable, Equatable {
    public var probability: Double
    /// Whether the model predicted churn (probability at or over its decision threshold).
    public var predicted: Bool
    public var risk: RiskLevel
    public var modelVersion: String
    public var at: Date

    public init(probability: Double, predicted: Bool, risk: RiskLevel, modelVersion: String, at: Date) {
        self.probability = probability
        self.predicted = predicted
        self.risk = risk
        self.modelVersion = modelVersion
        self.at = at
    }
}

/// Outcomes joined with predictions, as a confusion matrix: the live F1.
struct FeedbackLedger {
    var confusion = ConfusionMatrix()
    /// Minimum joined outcomes before an F1 is reported.
    let minimumLabelled: Int

    init(minimumLabelled: Int = 20) {
        self.minimumLabelled = minimumLabelled
    }

    var labelled: Int {
        confusion.truePositives + confusion.falsePositives + confusion.trueNegatives + confusion.falseNegatives
    }

    mutating func add(predicted: Bool, churned: Bool) {
        switch (predicted, churned) {
        case (true, true): confusion.truePositives += 1
        case (true, false): confusion.falsePositives += 1
        case (false, false): confusion.trueNegatives += 1
        case (false, true): confusion.falseNegatives += 1
        }
    }

    /// Takes back an outcome counted earlier (replaced by a later feedback for the same customer).
    mutating func remove(predicted: Bool, churned: Bool) {
        switch (predicted, churned) {
        case (true, true): confusion.truePositives = max(0, confusion.truePositives - 1)
        case (true, false): confusion.falsePositives = max(0, confusion.falsePositives - 1)
        case (false, false): confusion.trueNegatives = max(0, confusion.trueNegatives - 1)
        case (false, true): confusion.falseNegatives = max(0, confusion.falseNegatives - 1)
        }
    }

    func status(threshold: Double) -> F1Status {
        guard labelled >= minimumLabelled else { return F1Status(labelled: labelled, threshold: threshold) }
        return F1Status(value: confusion.f1, precision: confusion.precision, recall: confusion.recall,
                        labelled: labelled, threshold: threshold)
    }
}
