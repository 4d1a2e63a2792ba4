import ChurnModel
import Foundation
import GRDB
import Synchronization

/// The metrics store: a SQLite database in WAL mode holding 10-second and 5-minute metric intervals, the
/// prediction log for feedback joins, joined outcomes, alert states and the served model's profile.
///
/// One process writes (`churn serve` or the embedded console); any number of others read at the same time
/// (`churn dashboard --store`). Writes happen in one transaction per flush, so a crash loses at most the
/// data of one flush interval and never leaves a half-written store. `retain` downsamples and deletes old data
/// so the file stays bounded.
public final class MetricsStore: Sendable {
    public let path: String
    public let retention: StoreRetention
    let pool: DatabasePool
    /// Rows in the prediction log, as this (the only) writer has kept count; nil until the first flush counts them.
    /// Kept so each flush can trim the log to its cap by what it added, instead of counting millions of rows.
    private let loggedPredictions = Mutex<Int?>(nil)
    /// The writer's lock (nil for a reader): one writer per store.
    let lock: StoreLock?
    /// Range-history points already computed from complete steps (they never change once flushed).
    let rangeCache = RangeHistoryCache()
    static let fine = 10
    static let coarse = 300

    /// Opens (creating if needed) the store for writing.
    public init(path: String, retention: StoreRetention = StoreRetention()) throws {
        self.path = path
        self.retention = retention
        // Owner-only: the store holds customer ids with their probabilities. SQLite gives its -wal and -shm files
        // the database file's mode.
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty && !FileManager.default.fileExists(atPath: dir) {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        lock = try StoreLock(storePath: path)
        MetricsStore.createOwnerOnly(path)
        var config = Configuration()
        config.busyMode = .timeout(5)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try MetricsStore.migrator.migrate(pool)
            try MetricsStore.enableIncrementalVacuum(pool)
        } catch {
            throw StoreError(path: path, reason: MetricsStore.describe(error))
        }
    }

    /// Opens an existing store read-only (another process writes it).
    public init(readingAt path: String) throws {
        self.path = path
        self.retention = StoreRetention()
        lock = nil
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError(path: path, reason: "no such file; start `churn serve --store \(path)` or give the path of an existing store")
        }
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(5)
        do {
            pool = try DatabasePool(path: path, configuration: config)
            _ = try pool.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'model'") }
        } catch {
            throw StoreError(path: path, reason: MetricsStore.describe(error))
        }
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                CREATE TABLE intervals (
                    resolution INTEGER NOT NULL,
                    start INTEGER NOT NULL,
                    requests INTEGER NOT NULL,
                    errors INTEGER NOT NULL,
                    predictions INTEGER NOT NULL,
                    low INTEGER NOT NULL,
                    medium INTEGER NOT NULL,
                    high INTEGER NOT NULL,
                    detail TEXT NOT NULL,
                    PRIMARY KEY (resolution, start)
                ) WITHOUT ROWID;
                CREATE TABLE predictions (
                    customer_id TEXT PRIMARY KEY NOT NULL,
                    probability REAL NOT NULL,
                    predicted INTEGER NOT NULL,
                    risk TEXT NOT NULL,
                    model_version TEXT NOT NULL,
                    at REAL NOT NULL
                );
                CREATE INDEX predictions_at ON predictions(at);
                CREATE TABLE outcomes (
                    id INTEGER PRIMARY KEY,
                    customer_id TEXT NOT NULL,
                    churned INTEGER NOT NULL,
                    predicted INTEGER NOT NULL,
                    probability REAL NOT NULL,
                    model_version TEXT NOT NULL,
                    at REAL NOT NULL
                );
                CREATE INDEX outcomes_at ON outcomes(at);
                CREATE TABLE alert_states (
                    name TEXT PRIMARY KEY NOT NULL,
                    state TEXT NOT NULL,
                    value REAL,
                    threshold REAL NOT NULL,
                    since REAL NOT NULL,
                    summary TEXT NOT NULL
                );
                CREATE TABLE alert_transitions (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    from_state TEXT NOT NULL,
                    to_state TEXT NOT NULL,
                    at REAL NOT NULL,
                    value REAL
                );
                """)
        }
        m.registerMigration("v2-one-outcome-per-customer") { db in
            // Live F1 counts one outcome per customer: keep each customer's latest, and find it fast.
            try db.execute(sql: "DELETE FROM outcomes WHERE id NOT IN (SELECT MAX(id) FROM outcomes GROUP BY customer_id)")
            try db.execute(sql: "CREATE INDEX outcomes_customer ON outcomes(customer_id)")
        }
        return m
    }

    // MARK: Writing

    /// Records the model being served and when this writer started.
    public func writeModel(_ artifact: ModelArtifact, writerStarted: Date) throws {
        let model = try MetricsStore.json(ModelSummary(artifact))
        let reference = try MetricsStore.json(artifact.reference)
        try pool.write { db in
            // Drift bins stored under another model are in its bin layout: compare only what follows.
            let previous = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'reference'")
            if previous != nil && previous != reference {
                let second = Int(writerStarted.timeIntervalSince1970)
                try MetricsStore.setMeta(db, "reference_since", String(second - second % MetricsStore.fine + MetricsStore.fine))
            }
            try MetricsStore.setMeta(db, "model", model)
            try MetricsStore.setMeta(db, "reference", reference)
            try MetricsStore.setMeta(db, "writer_started", String(writerStarted.timeIntervalSince1970))
            try MetricsStore.setMeta(db, "writer_pid", String(ProcessInfo.processInfo.processIdentifier))
        }
    }

    /// Writes one flush in a single transaction.
    public func write(_ batch: StoreBatch) throws {
        let encoder = JSONEncoder()
        try pool.write { db in
            for (start, delta) in batch.intervals {
                var stats = delta
                if let row = try Row.fetchOne(db, sql: "SELECT detail FROM intervals WHERE resolution = ? AND start = ?",
                                              arguments: [MetricsStore.fine, start]),
                   let old = try? JSONDecoder().decode(IntervalStats.self, from: Data((row["detail"] as String).utf8)) {
                    stats = old
                    stats.add(delta)
                }
                try MetricsStore.upsertInterval(db, resolution: MetricsStore.fine, start: start, stats: stats, encoder: encoder)
            }
            // One prepared statement per table, reused for every row: compiling the SQL per row made a flush of a
            // busy server (60,000 new customers in 5 s) slower than the traffic, so the backlog grew without bound.
            // A customer not seen before is inserted (and counted); one seen before is updated in place.
            let insert = try db.cachedStatement(sql: """
                INSERT INTO predictions (customer_id, probability, predicted, risk, model_version, at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(customer_id) DO NOTHING
                """)
            let update = try db.cachedStatement(sql: """
                UPDATE predictions SET probability = ?, predicted = ?, risk = ?, model_version = ?, at = ? WHERE customer_id = ?
                """)
            var added = 0
            // In key order: the customer-id index is the one b-tree these rows land in at random places, and
            // walking it in order touches each of its pages once per flush instead of once per row (a busy flush
            // on a full 2-million-row log went from 3-7 s to under a second).
            for id in batch.predictions.keys.sorted() {
                let p = batch.predictions[id]!
                let at = p.at.timeIntervalSince1970
                try insert.execute(arguments: [id, p.probability, p.predicted, p.risk.rawValue, p.modelVersion, at])
                if db.changesCount == 1 {
                    added += 1
                } else {
                    try update.execute(arguments: [p.probability, p.predicted, p.risk.rawValue, p.modelVersion, at, id])
                }
            }
            try trimPredictionLog(db, added: added)
            let outcome = try db.cachedStatement(
                sql: "INSERT INTO outcomes (customer_id, churned, predicted, probability, model_version, at) VALUES (?, ?, ?, ?, ?, ?)")
            let replace = try db.cachedStatement(sql: "DELETE FROM outcomes WHERE customer_id = ?")
            for o in batch.outcomes {
                try replace.execute(arguments: [o.customerID])
                try outcome.execute(arguments: [o.customerID, o.churned, o.predicted, o.probability, o.modelVersion, o.at.timeIntervalSince1970])
            }
            for a in batch.alerts {
                try db.execute(sql: """
                    INSERT INTO alert_states (name, state, value, threshold, since, summary) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET state = excluded.state, value = excluded.value, threshold = excluded.threshold,
                        since = excluded.since, summary = excluded.summary
                    """, arguments: [a.name, a.state.rawValue, a.value.flatMap { $0.isFinite ? $0 : nil }, a.threshold,
                                     a.since.timeIntervalSince1970, a.summary])
            }
            for t in batch.transitions {
                try db.execute(sql: "INSERT INTO alert_transitions (name, from_state, to_state, at, value) VALUES (?, ?, ?, ?, ?)",
                               arguments: [t.name, t.from.rawValue, t.to.rawValue, t.at.timeIntervalSince1970,
                                           t.value.flatMap { $0.isFinite ? $0 : nil }])
            }
            try MetricsStore.setMeta(db, "last_flush", String(batch.at.timeIntervalSince1970))
            if let r = batch.residentBytes { try MetricsStore.setMeta(db, "resident_bytes", String(r)) }
            if let c = batch.cpuSeconds { try MetricsStore.setMeta(db, "cpu_seconds", String(c)) }
        }
    }

    /// Downsamples 10-second intervals older than the fine retention into 5-minute ones and deletes data older
    /// than the coarse retention; keeps the prediction log and transitions within their caps.
    public func retain(now: Date = Date()) throws {
        let fineCutoff = Int(now.timeIntervalSince1970 - retention.fineSeconds)
        let coarseCutoff = now.timeIntervalSince1970 - retention.coarseSeconds
        let encoder = JSONEncoder()
        try pool.write { db in
            let old = try Row.fetchAll(db, sql: "SELECT start, detail FROM intervals WHERE resolution = ? AND start < ?",
                                       arguments: [MetricsStore.fine, fineCutoff])
            var merged: [Int: IntervalStats] = [:]
            for row in old {
                let start: Int = row["start"]
                guard let stats = try? JSONDecoder().decode(IntervalStats.self, from: Data((row["detail"] as String).utf8)) else { continue }
                merged[start - start % MetricsStore.coarse, default: IntervalStats()].add(stats)
            }
            for (start, stats) in merged {
                var total = stats
                if let row = try Row.fetchOne(db, sql: "SELECT detail FROM intervals WHERE resolution = ? AND start = ?",
                                              arguments: [MetricsStore.coarse, start]),
                   let existing = try? JSONDecoder().decode(IntervalStats.self, from: Data((row["detail"] as String).utf8)) {
                    total.add(existing)
                }
                try MetricsStore.upsertInterval(db, resolution: MetricsStore.coarse, start: start, stats: total, encoder: encoder)
            }
            try db.execute(sql: "DELETE FROM intervals WHERE resolution = ? AND start < ?", arguments: [MetricsStore.fine, fineCutoff])
            try db.execute(sql: "DELETE FROM intervals WHERE start < ?", arguments: [Int(coarseCutoff)])
            try db.execute(sql: "DELETE FROM predictions WHERE at < ?", arguments: [coarseCutoff])
            // Rows gone by age: the next flush counts the log afresh.
            if db.changesCount > 0 { loggedPredictions.withLock { $0 = nil } }
            try db.execute(sql: "DELETE FROM outcomes WHERE at < ?", arguments: [coarseCutoff])
            try db.execute(sql: "DELETE FROM alert_transitions WHERE id <= (SELECT MAX(id) FROM alert_transitions) - ?",
                           arguments: [retention.keptTransitions])
        }
        try reclaimSpace()
    }

    /// Keeps the prediction log within `retention.maxPredictions`, in the flush's own transaction: the oldest rows
    /// beyond the cap go, as many as the flush added once the log is full. Trimming once per retention pass
    /// instead deleted a minute's worth of customers (over a million at 20,000 req/s) in one transaction, which
    /// held up the flushes behind it while their backlog grew in memory.
    func trimPredictionLog(_ db: Database, added: Int) throws {
        let known = loggedPredictions.withLock { $0 }
        let count = try known.map { $0 + added } ?? (Int.fetchOne(db, sql: "SELECT COUNT(*) FROM predictions") ?? 0)
        let excess = count - retention.maxPredictions
        if excess > 0 {
            try db.execute(sql: "DELETE FROM predictions WHERE rowid IN (SELECT rowid FROM predictions ORDER BY at LIMIT ?)",
                           arguments: [excess])
        }
        let kept = count - max(excess, 0)
        // The transaction may yet roll back: then the count is unknown again, and the next flush counts the rows.
        loggedPredictions.withLock { $0 = nil }
        db.afterNextTransaction(onCommit: { _ in self.loggedPredictions.withLock { $0 = kept } })
    }

    static func upsertInterval(_ db: Database, resolution: Int, start: Int, stats: IntervalStats, encoder: JSONEncoder) throws {
        let detail = String(decoding: try encoder.encode(stats), as: UTF8.self)
        try db.execute(sql: """
            INSERT INTO intervals (resolution, start, requests, errors, predictions, low, medium, high, detail)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(resolution, start) DO UPDATE SET requests = excluded.requests, errors = excluded.errors,
                predictions = excluded.predictions, low = excluded.low, medium = excluded.medium, high = excluded.high,
                detail = excluded.detail
            """, arguments: [resolution, start, stats.requests, stats.errors, stats.predictions,
                             stats.risk[0], stats.risk[1], stats.risk[2], detail])
    }

    static func setMeta(_ db: Database, _ key: String, _ value: String) throws {
        try db.execute(sql: "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                       arguments: [key, value])
    }

    // MARK: Reading

    /// Alert states, recent transitions and the joined-outcome counts, for a writer that restarts.
    public func restore() throws -> RestoredState {
        try pool.read { db in
            let alerts = try Row.fetchAll(db, sql: "SELECT * FROM alert_states").map(MetricsStore.alert)
            let transitions = try MetricsStore.transitions(db, limit: 100)
            var cm = ConfusionMatrix()
            for row in try Row.fetchAll(db, sql: "SELECT predicted, churned, COUNT(*) AS n FROM outcomes GROUP BY predicted, churned") {
                let predicted: Bool = row["predicted"]
                let churned: Bool = row["churned"]
                let n: Int = row["n"]
                switch (predicted, churned) {
                case (true, true): cm.truePositives += n
                case (true, false): cm.falsePositives += n
                case (false, false): cm.trueNegatives += n
                case (false, true): cm.falseNegatives += n
                }
            }
            return RestoredState(alerts: alerts, transitions: transitions, confusion: cm)
        }
    }

    /// The outcome counted for a customer (its latest feedback), if any.
    public func outcome(for customerID: String) throws -> StoredOutcome? {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM outcomes WHERE customer_id = ? ORDER BY id DESC LIMIT 1",
                                             arguments: [customerID]) else { return nil }
            return StoredOutcome(customerID: customerID, churned: row["churned"], predicted: row["predicted"],
                                 probability: row["probability"], modelVersion: row["model_version"],
                                 at: Date(timeIntervalSince1970: row["at"]))
        }
    }

    /// The latest logged prediction for a customer.
    public func prediction(for customerID: String) throws -> LoggedPrediction? {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM predictions WHERE customer_id = ?", arguments: [customerID]) else { return nil }
            return LoggedPrediction(probability: row["probability"], predicted: row["predicted"],
                                    risk: RiskLevel(rawValue: row["risk"]) ?? .low, modelVersion: row["model_version"],
                                    at: Date(timeIntervalSince1970: row["at"]))
        }
    }

    /// Intervals (both resolutions) starting at or after `since`, oldest first.
    func intervals(since: Int, db: Database) throws -> [(start: Int, resolution: Int, stats: IntervalStats)] {
        try Row.fetchAll(db, sql: "SELECT resolution, start, detail FROM intervals WHERE start >= ? ORDER BY start", arguments: [since])
            .compactMap { row in
                guard let stats = try? JSONDecoder().decode(IntervalStats.self, from: Data((row["detail"] as String).utf8)) else { return nil }
                return (row["start"], row["resolution"], stats)
            }
    }

    static func transitions(_ db: Database, limit: Int) throws -> [AlertTransition] {
        try Row.fetchAll(db, sql: "SELECT * FROM alert_transitions ORDER BY id DESC LIMIT ?", arguments: [limit]).map { row in
            AlertTransition(name: row["name"], from: AlertStatus.State(rawValue: row["from_state"]) ?? .ok,
                            to: AlertStatus.State(rawValue: row["to_state"]) ?? .ok, at: Date(timeIntervalSince1970: row["at"]),
                            value: row["value"])
        }
    }

    static func alert(_ row: Row) -> AlertStatus {
        AlertStatus(name: row["name"], state: AlertStatus.State(rawValue: row["state"]) ?? .ok, value: row["value"],
                    threshold: row["threshold"], since: Date(timeIntervalSince1970: row["since"]), summary: row["summary"])
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        return String(decoding: try e.encode(value), as: UTF8.self)
    }

    /// Runs `PRAGMA integrity_check`; "ok" when the file is sound.
    public func integrityCheck() throws -> String {
        try pool.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "no answer" }
    }

    static func describe(_ error: any Error) -> String {
        if let e = error as? DatabaseError { return e.message ?? "\(e)" }
        return "\(error)"
    }
}

/// The store cannot be opened or used.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String
    public var description: String { "metrics store \(path): \(reason)" }
}
