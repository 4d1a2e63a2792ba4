import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

extension ServiceMonitor {
    /// Joins an observed outcome with the latest logged prediction for that customer. One outcome per customer
    /// counts toward the live F1: a later feedback for the same customer (a correction, a resend) replaces the
    /// earlier one, in memory and in the store, instead of counting twice.
    public func recordFeedback(customerID: String, churned: Bool, now: Date = Date()) throws -> FeedbackMatch {
        var logged = state.withLock { $0.pendingPredictions[customerID] }
        if logged == nil, let store { logged = try store.prediction(for: customerID) }
        guard let logged else { return .unmatched }
        // The outcome already counted for this customer, if it was flushed (a pending one is found below).
        let stored = try store?.outcome(for: customerID)
        state.withLock { s in
            let outcome = StoredOutcome(customerID: customerID, churned: churned, predicted: logged.predicted,
                                        probability: logged.probability, modelVersion: logged.modelVersion, at: now)
            let pendingIndex = s.pendingOutcomeIndex[customerID]
            if let previous = pendingIndex.map({ s.pendingOutcomes[$0] }) ?? stored {
                s.ledger.remove(predicted: previous.predicted, churned: previous.churned)
                s.withTrack(previous.modelVersion) { $0.ledger.remove(predicted: previous.predicted, churned: previous.churned) }
            }
            s.ledger.add(predicted: logged.predicted, churned: churned)
            s.withTrack(logged.modelVersion) { $0.ledger.add(predicted: logged.predicted, churned: churned) }
            if let pendingIndex {
                s.pendingOutcomes[pendingIndex] = outcome
            } else {
                s.pendingOutcomeIndex[customerID] = s.pendingOutcomes.count
                s.pendingOutcomes.append(outcome)
            }
        }
        return .matched(predicted: logged.predicted)
    }
}
