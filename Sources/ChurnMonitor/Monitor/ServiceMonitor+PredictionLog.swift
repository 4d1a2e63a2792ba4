import Foundation

/// The prediction log waiting for the next flush: its size and the rows dropped because it was full.
extension ServiceMonitor {
    /// Customers whose prediction was not logged because `maxPendingPredictions` rows were already waiting.
    public var droppedPredictions: Int { state.withLock { $0.droppedPredictions } }

    /// Rows waiting for the next flush.
    public var pendingPredictionCount: Int { state.withLock { $0.pendingPredictions.count } }

    /// Rows dropped since the last call (for the server's warning, once per flush that saw drops).
    public func newlyDroppedPredictions() -> Int {
        state.withLock { s in
            defer { s.reportedDropped = s.droppedPredictions }
            return s.droppedPredictions - s.reportedDropped
        }
    }

    func predictionLogText() -> String {
        let (dropped, pending) = state.withLock { ($0.droppedPredictions, $0.pendingPredictions.count) }
        var text = PrometheusText()
        text.family("churn_prediction_log_dropped_total", type: "counter",
                    help: "Predictions left out of the prediction log because \(configuration.maxPendingPredictions) rows were already waiting for the store.")
        text.sample("churn_prediction_log_dropped_total", [:], Double(dropped))
        text.family("churn_prediction_log_pending", type: "gauge", help: "Prediction-log rows waiting for the next store flush.")
        text.sample("churn_prediction_log_pending", [:], Double(pending))
        return text.output
    }
}
