extension FleetQueries {
    /// The `query_range` expressions for a history over `range`: each point's rates over one step (at least a
    /// minute, for the usual 15 s scrape interval), plus, beyond live, the high-risk share and the reference
    /// model's bin increases over the drift window (drift per step is computed from those, as for the instant).
    public func history(range: HistoryRange) -> [(name: String, expression: String)] {
        guard range != .live else { return history }
        let window = "\(max(60, range.step))s"
        var q = history(window: window)
        let predictions = selector.metric("predictions_total")
        let high = selector.metric("predictions_total", #"risk_level="high""#)
        q.append(("high_share", "sum(rate(\(high)[\(window)])) / sum(rate(\(predictions)[\(window)]))"))
        if let modelVersion {
            let bins = selector.metric("churn_feature_bin_total", "model_version=\(PromQLSelector.quote(modelVersion))")
            let driftWindow = "\(max(900, range.step))s"
            q.append(("drift_bins", "sum by (feature, bin) (\(FleetQueries.exactIncrease(bins, over: driftWindow)))"))
        }
        return q
    }
}
