/// The store's tables, created and upgraded in numbered steps. Each applied step's identifier is recorded in the
/// `grdb_migrations` table, the table and names the store has used since its first version (written then by the
/// GRDB library), so every store ever written opens unchanged and gets only the steps it lacks.
enum StoreSchema {
    /// The steps, oldest first. Append new ones; never edit or reorder one that has shipped.
    static let steps: [(identifier: String, sql: String)] = [
        ("v1", """
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
            """),
        // Live F1 counts one outcome per customer: keep each customer's latest, and find it fast.
        ("v2-one-outcome-per-customer", """
            DELETE FROM outcomes WHERE id NOT IN (SELECT MAX(id) FROM outcomes GROUP BY customer_id);
            CREATE INDEX outcomes_customer ON outcomes(customer_id);
            """),
    ]

    /// Applies the steps the store at `path` lacks, each in its own transaction with its record. A store that
    /// records a step this build does not know was written by a newer churn: it is refused rather than written
    /// with an older idea of its tables.
    static func migrate(_ db: SQLiteConnection, path: String) throws {
        try db.execute("CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)",
                       "creating the schema version table")
        let applied = Set(try db.all("SELECT identifier FROM grdb_migrations", "reading the schema version") { $0.text(0) })
        let unknown = applied.subtracting(steps.map(\.identifier)).sorted()
        guard unknown.isEmpty else {
            throw StoreError(path: path, reason: """
                its schema is newer than this churn knows (\(unknown.joined(separator: ", "))): a newer churn wrote it; \
                upgrade churn, or give this one its own --store
                """)
        }
        for step in steps where !applied.contains(step.identifier) {
            try db.transaction(.immediate, "schema step \(step.identifier)") { db in
                try db.execute(step.sql, "schema step \(step.identifier)")
                try db.run("INSERT INTO grdb_migrations (identifier) VALUES (?)", "recording schema step \(step.identifier)",
                           step.identifier)
            }
        }
    }
}
