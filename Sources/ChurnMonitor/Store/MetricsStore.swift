import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
    let pool: SQLitePool
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
        let dir = MetricsStore.directory(of: path)
        if !dir.isEmpty && !FileManager.default.fileExists(atPath: dir) {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        lock = try StoreLock(storePath: path)
        MetricsStore.createOwnerOnly(path)
        do {
            pool = try SQLitePool(path: path, readOnly: false, busyTimeout: 5) { db in
                // WAL: readers (here and in other processes) read while the writer writes. NORMAL: a commit is
                // durable at the next checkpoint; a crash loses at most the last flushes, never consistency.
                let mode = try db.one("PRAGMA journal_mode = WAL", "switching the store to WAL") { $0.text(0) }
                guard mode == "wal" else {
                    throw SQLiteError(code: 1, message: "journal mode is \(mode ?? "unknown"), not wal", purpose: "switching the store to WAL")
                }
                try db.execute("PRAGMA synchronous = NORMAL", "setting the store's sync mode")
                try StoreSchema.migrate(db, path: path)
            }
            try MetricsStore.enableIncrementalVacuum(pool)
        } catch let error as StoreError {
            throw error
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
        do {
            pool = try SQLitePool(path: path, readOnly: true, busyTimeout: 5)
            _ = try pool.read("opening the store") { db in
                try db.one("SELECT value FROM meta WHERE key = 'model'", "reading the store's model") { $0.text(0) }
            }
        } catch {
            throw StoreError(path: path, reason: MetricsStore.describe(error))
        }
    }

    // MARK: Writing

    /// Records the model being served and when this writer started.
    public func writeModel(_ artifact: ModelArtifact, writerStarted: Date) throws {
        let model = try MetricsStore.json(ModelSummary(artifact))
        let reference = try MetricsStore.json(artifact.reference)
        try pool.write("recording the served model") { db in
            // Drift bins stored under another model are in its bin layout: compare only what follows.
            let previous = try db.one("SELECT value FROM meta WHERE key = 'reference'", "reading the stored reference profile") {
                $0.text(0)
            }
            if previous != nil && previous != reference {
                let second = Int(writerStarted.timeIntervalSince1970)
                try MetricsStore.setMeta(db, "reference_since", String(second - second % MetricsStore.fine + MetricsStore.fine))
            }
            try MetricsStore.setMeta(db, "model", model)
            try MetricsStore.setMeta(db, "reference", reference)
            try MetricsStore.setMeta(db, "writer_started", String(writerStarted.timeIntervalSince1970))
            try MetricsStore.setMeta(db, "writer_pid", String(getpid()))
        }
    }

    /// Writes one flush in a single transaction.
    public func write(_ batch: StoreBatch) throws {
        // The log's count is kept once the flush has committed, still on the writer, so no other write comes between.
        try pool.writeWithoutTransaction { db in
            let kept = try db.transaction(.immediate, "writing a flush") { db in try self.writeFlush(batch, db) }
            loggedPredictions.withLock { $0 = kept }
        }
    }

    /// The rows of one flush, in the caller's transaction; returns the rows the prediction log holds after it.
    private func writeFlush(_ batch: StoreBatch, _ db: SQLiteConnection) throws -> Int {
        let encoder = JSONEncoder()
        for (start, delta) in batch.intervals {
            var stats = delta
            if let detail = try db.one("SELECT detail FROM intervals WHERE resolution = ? AND start = ?",
                                       "reading an interval to add a flush to", MetricsStore.fine, start, row: { $0.text(0) }),
               let old = try? JSONDecoder().decode(IntervalStats.self, from: Data(detail.utf8)) {
                stats = old
                stats.add(delta)
            }
            try MetricsStore.upsertInterval(db, resolution: MetricsStore.fine, start: start, stats: stats, encoder: encoder)
        }
        // One prepared statement per table, reused for every row: compiling the SQL per row made a flush of a
        // busy server (60,000 new customers in 5 s) slower than the traffic, so the backlog grew without bound.
        // A customer not seen before is inserted (and counted); one seen before is updated in place.
        let logging = "logging predictions"
        let insert = try db.statement("""
            INSERT INTO predictions (customer_id, probability, predicted, risk, model_version, at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(customer_id) DO NOTHING
            """, logging)
        let update = try db.statement("""
            UPDATE predictions SET probability = ?, predicted = ?, risk = ?, model_version = ?, at = ? WHERE customer_id = ?
            """, logging)
        var added = 0
        // In key order: the customer-id index is the one b-tree these rows land in at random places, and
        // walking it in order touches each of its pages once per flush instead of once per row (a busy flush
        // on a full 2-million-row log went from 3-7 s to under a second).
        for id in batch.predictions.keys.sorted() {
            let p = batch.predictions[id]!
            let at = p.at.timeIntervalSince1970
            try db.run(insert, logging, [id, p.probability, p.predicted, p.risk.rawValue, p.modelVersion, at])
            if db.changes == 1 {
                added += 1
            } else {
                try db.run(update, logging, [p.probability, p.predicted, p.risk.rawValue, p.modelVersion, at, id])
            }
        }
        let kept = try trimPredictionLog(db, added: added)
        let joining = "storing outcomes"
        let outcome = try db.statement(
            "INSERT INTO outcomes (customer_id, churned, predicted, probability, model_version, at) VALUES (?, ?, ?, ?, ?, ?)", joining)
        let replace = try db.statement("DELETE FROM outcomes WHERE customer_id = ?", joining)
        for o in batch.outcomes {
            try db.run(replace, joining, [o.customerID])
            try db.run(outcome, joining, [o.customerID, o.churned, o.predicted, o.probability, o.modelVersion, o.at.timeIntervalSince1970])
        }
        for a in batch.alerts {
            try db.run("""
                INSERT INTO alert_states (name, state, value, threshold, since, summary) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(name) DO UPDATE SET state = excluded.state, value = excluded.value, threshold = excluded.threshold,
                    since = excluded.since, summary = excluded.summary
                """, "storing alert states", a.name, a.state.rawValue, a.value.flatMap { $0.isFinite ? $0 : nil }, a.threshold,
                       a.since.timeIntervalSince1970, a.summary)
        }
        for t in batch.transitions {
            try db.run("INSERT INTO alert_transitions (name, from_state, to_state, at, value) VALUES (?, ?, ?, ?, ?)",
                       "storing alert transitions", t.name, t.from.rawValue, t.to.rawValue, t.at.timeIntervalSince1970,
                       t.value.flatMap { $0.isFinite ? $0 : nil })
        }
        try MetricsStore.setMeta(db, "last_flush", String(batch.at.timeIntervalSince1970))
        if let r = batch.residentBytes { try MetricsStore.setMeta(db, "resident_bytes", String(r)) }
        if let c = batch.cpuSeconds { try MetricsStore.setMeta(db, "cpu_seconds", String(c)) }
        return kept
    }

    /// Downsamples 10-second intervals older than the fine retention into 5-minute ones and deletes data older
    /// than the coarse retention; keeps the prediction log and transitions within their caps.
    public func retain(now: Date = Date()) throws {
        let fineCutoff = Int(now.timeIntervalSince1970 - retention.fineSeconds)
        let coarseCutoff = now.timeIntervalSince1970 - retention.coarseSeconds
        let encoder = JSONEncoder()
        try pool.write("applying retention") { db in
            let old = try db.all("SELECT start, detail FROM intervals WHERE resolution = ? AND start < ?",
                                 "reading intervals to downsample", MetricsStore.fine, fineCutoff) { ($0.int(0), $0.text(1)) }
            var merged: [Int: IntervalStats] = [:]
            for (start, detail) in old {
                guard let stats = try? JSONDecoder().decode(IntervalStats.self, from: Data(detail.utf8)) else { continue }
                merged[start - start % MetricsStore.coarse, default: IntervalStats()].add(stats)
            }
            for (start, stats) in merged {
                var total = stats
                if let detail = try db.one("SELECT detail FROM intervals WHERE resolution = ? AND start = ?",
                                           "reading a 5-minute interval", MetricsStore.coarse, start, row: { $0.text(0) }),
                   let existing = try? JSONDecoder().decode(IntervalStats.self, from: Data(detail.utf8)) {
                    total.add(existing)
                }
                try MetricsStore.upsertInterval(db, resolution: MetricsStore.coarse, start: start, stats: total, encoder: encoder)
            }
            let deleting = "deleting expired data"
            try db.run("DELETE FROM intervals WHERE resolution = ? AND start < ?", deleting, MetricsStore.fine, fineCutoff)
            try db.run("DELETE FROM intervals WHERE start < ?", deleting, Int(coarseCutoff))
            try db.run("DELETE FROM predictions WHERE at < ?", deleting, coarseCutoff)
            // Rows gone by age: the next flush counts the log afresh.
            if db.changes > 0 { loggedPredictions.withLock { $0 = nil } }
            try db.run("DELETE FROM outcomes WHERE at < ?", deleting, coarseCutoff)
            try db.run("DELETE FROM alert_transitions WHERE id <= (SELECT MAX(id) FROM alert_transitions) - ?", deleting,
                       retention.keptTransitions)
        }
        try reclaimSpace()
    }

    /// Keeps the prediction log within `retention.maxPredictions`, in the flush's own transaction: the oldest rows
    /// beyond the cap go, as many as the flush added once the log is full. Trimming once per retention pass
    /// instead deleted a minute's worth of customers (over a million at 20,000 req/s) in one transaction, which
    /// held up the flushes behind it while their backlog grew in memory.
    /// Returns the rows the log holds after the trim, for the caller to keep once the transaction commits.
    func trimPredictionLog(_ db: SQLiteConnection, added: Int) throws -> Int {
        let known = loggedPredictions.withLock { $0 }
        let count = try known.map { $0 + added }
            ?? (db.one("SELECT COUNT(*) FROM predictions", "counting the prediction log") { $0.int(0) } ?? 0)
        let excess = count - retention.maxPredictions
        if excess > 0 {
            try db.run("DELETE FROM predictions WHERE rowid IN (SELECT rowid FROM predictions ORDER BY at LIMIT ?)",
                       "trimming the prediction log to its cap", excess)
        }
        // The transaction may yet roll back: then the count is unknown again, and the next flush counts the rows.
        loggedPredictions.withLock { $0 = nil }
        return count - max(excess, 0)
    }

    static func upsertInterval(_ db: SQLiteConnection, resolution: Int, start: Int, stats: IntervalStats, encoder: JSONEncoder) throws {
        let detail = String(decoding: try encoder.encode(stats), as: UTF8.self)
        try db.run("""
            INSERT INTO intervals (resolution, start, requests, errors, predictions, low, medium, high, detail)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(resolution, start) DO UPDATE SET requests = excluded.requests, errors = excluded.errors,
                predictions = excluded.predictions, low = excluded.low, medium = excluded.medium, high = excluded.high,
                detail = excluded.detail
            """, "storing an interval", resolution, start, stats.requests, stats.errors, stats.predictions,
            stats.risk[0], stats.risk[1], stats.risk[2], detail)
    }

    static func setMeta(_ db: SQLiteConnection, _ key: String, _ value: String) throws {
        try db.run("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                   "storing the store's \(key)", key, value)
    }

    // MARK: Reading

    /// Alert states, recent transitions and the joined-outcome counts, for a writer that restarts.
    public func restore() throws -> RestoredState {
        try pool.read("restoring the writer's state") { db in
            let alerts = try db.all("SELECT \(MetricsStore.alertColumns) FROM alert_states", "reading alert states", row: MetricsStore.alert)
            let transitions = try MetricsStore.transitions(db, limit: 100)
            return RestoredState(alerts: alerts, transitions: transitions, confusion: try MetricsStore.confusion(db))
        }
    }

    /// The outcome counted for a customer (its latest feedback), if any.
    public func outcome(for customerID: String) throws -> StoredOutcome? {
        try pool.read("reading a customer's outcome") { db in
            try db.one("SELECT churned, predicted, probability, model_version, at FROM outcomes WHERE customer_id = ? ORDER BY id DESC LIMIT 1",
                       "reading a customer's outcome", customerID) { row in
                StoredOutcome(customerID: customerID, churned: row.bool(0), predicted: row.bool(1), probability: row.double(2),
                              modelVersion: row.text(3), at: Date(timeIntervalSince1970: row.double(4)))
            }
        }
    }

    /// The latest logged prediction for a customer.
    public func prediction(for customerID: String) throws -> LoggedPrediction? {
        try pool.read("reading a customer's prediction") { db in
            try db.one("SELECT probability, predicted, risk, model_version, at FROM predictions WHERE customer_id = ?",
                       "reading a customer's prediction", customerID) { row in
                LoggedPrediction(probability: row.double(0), predicted: row.bool(1), risk: RiskLevel(rawValue: row.text(2)) ?? .low,
                                 modelVersion: row.text(3), at: Date(timeIntervalSince1970: row.double(4)))
            }
        }
    }

    /// Intervals (both resolutions) starting at or after `since`, oldest first.
    func intervals(since: Int, db: SQLiteConnection) throws -> [(start: Int, resolution: Int, stats: IntervalStats)] {
        let decoder = JSONDecoder()
        return try db.all("SELECT resolution, start, detail FROM intervals WHERE start >= ? ORDER BY start", "reading recent intervals",
                          since) { ($0.int(1), $0.int(0), $0.text(2)) }
            .compactMap { start, resolution, detail in
                guard let stats = try? decoder.decode(IntervalStats.self, from: Data(detail.utf8)) else { return nil }
                return (start, resolution, stats)
            }
    }

    static func transitions(_ db: SQLiteConnection, limit: Int) throws -> [AlertTransition] {
        try db.all("SELECT name, from_state, to_state, at, value FROM alert_transitions ORDER BY id DESC LIMIT ?",
                   "reading alert transitions", limit) { row in
            AlertTransition(name: row.text(0), from: AlertStatus.State(rawValue: row.text(1)) ?? .ok,
                            to: AlertStatus.State(rawValue: row.text(2)) ?? .ok, at: Date(timeIntervalSince1970: row.double(3)),
                            value: row.optionalDouble(4))
        }
    }

    /// The columns `alert(_:)` reads, in its order.
    static let alertColumns = "name, state, value, threshold, since, summary"

    static func alert(_ row: SQLiteStatement) -> AlertStatus {
        AlertStatus(name: row.text(0), state: AlertStatus.State(rawValue: row.text(1)) ?? .ok, value: row.optionalDouble(2),
                    threshold: row.double(3), since: Date(timeIntervalSince1970: row.double(4)), summary: row.text(5))
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        return String(decoding: try e.encode(value), as: UTF8.self)
    }

    /// Runs `PRAGMA integrity_check`; "ok" when the file is sound.
    public func integrityCheck() throws -> String {
        try pool.read("checking the store's integrity") { db in
            try db.one("PRAGMA integrity_check", "checking the store's integrity") { $0.text(0) } ?? "no answer"
        }
    }

    /// What a failure says to users: SQLite's own words with what the store was doing (see `SQLiteError`).
    static func describe(_ error: any Error) -> String { "\(error)" }

    /// The directory part of a store path ("" for a bare file name), as the path was given.
    static func directory(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }
}

/// The store cannot be opened or used.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String
    public var description: String { "metrics store \(path): \(reason)" }
}
