import ChurnModel

/// Fleet-wide drift from the replicas' `churn_feature_bin_total{feature,bin}` counters.
///
/// Each replica counts the rows it scored in the bins of the model's reference profile; bin counts add, so the
/// sum over replicas is exactly the counts of the union of their traffic, and PSI computed from the sum is the
/// drift of the fleet's traffic however a load balancer spread it. (Averaging the replicas' own PSI or
/// `data_drift_score` would not be: PSI is not additive.)
public enum FleetDrift {
    /// Bin counts per profile column from `sum by (feature, bin)` samples. Samples for features the profile does
    /// not have, or bins beyond a column's count, are ignored (and counted in `ignored`): they come from a
    /// different model.
    public static func counts(_ samples: [PromQLSample], profile: ReferenceProfile) -> (counts: DriftCounts, ignored: Int) {
        var counts = DriftCounts(profile: profile)
        var column: [String: Int] = [:]
        for (c, p) in profile.columns.enumerated() { column[p.name] = c }
        var ignored = 0
        for s in samples {
            guard let feature = s.labels["feature"], let c = column[feature],
                  let binText = s.labels["bin"], let b = Int(binText), b >= 0, b < counts.bins[c].count,
                  s.value.isFinite, s.value >= 0
            else {
                ignored += 1
                continue
            }
            // Exact increases are whole numbers; rounding only guards against float text like "41.99999999".
            counts.bins[c][b] += Int(s.value.rounded())
        }
        return (counts, ignored)
    }

    /// The console's drift status for fleet counts, with the same rules as `churn serve`: the score is 0 until
    /// `minimumRows` rows are in the window (default: `DriftReport.minimumRows(for:)` of the profile).
    public static func status(_ counts: DriftCounts, profile: ReferenceProfile, threshold: Double = DriftReport.defaultThreshold,
                              alertThreshold: Double = AlertRule.Settings().driftScore,
                              minimumRows: Int? = nil) -> DriftStatus {
        let report = DriftReport(counts: counts, profile: profile, threshold: threshold)
        let minimumRows = minimumRows ?? report.minimumRows
        return DriftStatus(score: report.rows >= minimumRows ? report.score : 0, threshold: threshold,
                           alertThreshold: alertThreshold, rows: report.rows, minimumRows: minimumRows,
                           features: report.features)
    }
}
