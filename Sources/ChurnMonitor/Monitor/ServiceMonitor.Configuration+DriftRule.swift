import ChurnModel

extension ServiceMonitor.Configuration {
    /// Rows a drift window needs: the configured override, else `DriftReport.minimumRows(for:)` of the model's
    /// reference profile (the rule batch scoring applies too).
    func minimumRows(_ report: DriftReport) -> Int { driftMinimumRows ?? report.minimumRows }

    /// Whether the window holds enough rows for its drift score to be reported.
    func isWarm(_ report: DriftReport) -> Bool { report.rows >= minimumRows(report) }
}
