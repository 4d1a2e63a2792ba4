import ChurnModel

extension FleetSnapshotSource {
    /// Adds the series only range histories carry: the high-risk share, and drift per step computed from the
    /// summed bin increases at that step against `model`'s reference profile (0 without a model).
    static func addRangeSeries(_ history: inout History, _ parts: [String: [PromQLSeries]], range: HistoryRange, end: Int,
                               model: ModelArtifact?) {
        let points = range.points, step = range.step
        func index(_ time: Double) -> Int? {
            let k = points - 1 - (end - Int(time.rounded())) / step
            return k >= 0 && k < points ? k : nil
        }
        var share = [Double?](repeating: nil, count: points)
        for p in parts["high_share"]?.first?.points ?? [] where p.value.isFinite {
            if let k = index(p.time) { share[k] = p.value }
        }
        history.highRiskShare = share
        var drift = [Double](repeating: 0, count: points)
        if let model {
            var byStep = [[PromQLSample]](repeating: [], count: points)
            for series in parts["drift_bins"] ?? [] {
                for p in series.points {
                    if let k = index(p.time) { byStep[k].append(PromQLSample(labels: series.labels, time: p.time, value: p.value)) }
                }
            }
            for k in 0..<points where !byStep[k].isEmpty {
                let status = FleetDrift.status(FleetDrift.counts(byStep[k], profile: model.reference).counts, profile: model.reference)
                drift[k] = status.isWarm ? status.score : 0
            }
        }
        history.driftScore = drift
    }
}
