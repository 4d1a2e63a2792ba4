import ChurnModel

/// The parts of a store snapshot read in one transaction: recent intervals, totals, feedback, alerts and drift.
struct SnapshotParts {
    var recent: [RangeBuckets.Interval]
    var buckets: RangeBuckets
    var totals: Totals
    var ledger = FeedbackLedger()
    var thresholds: [String: Double]
    var alerts: [AlertStatus]
    var transitions: [AlertTransition]
    var drift: DriftReport

    init(_ db: SQLiteConnection, recent: [RangeBuckets.Interval], meta: StoreMeta, nowSecond: Int) throws {
        self.recent = recent
        buckets = RangeBuckets(step: MetricsStore.fine, driftWindow: 900, profile: meta.reference, referenceSince: meta.referenceSince)
        totals = try MetricsStore.totals(db)
        ledger.confusion = try MetricsStore.confusion(db)
        thresholds = try db.all("SELECT name, threshold FROM alert_states", "reading alert thresholds") { ($0.text(0), $0.double(1)) }
            .reduce(into: [String: Double]()) { $0[$1.0] = $1.1 }
        alerts = try db.all("SELECT \(MetricsStore.alertColumns) FROM alert_states ORDER BY name", "reading alert states",
                            row: MetricsStore.alert)
        transitions = try MetricsStore.transitions(db, limit: 20)
        drift = MetricsStore.drift(recent, meta: meta, endingAt: nowSecond + 1, window: 900)
    }
}
