import CSQLite

extension SQLiteConnection {
    /// Copies this database into `destination` with SQLite's online backup API, in one step: the copy is this
    /// database as of one read transaction, while a writer in another process carries on (in WAL mode a reader
    /// never blocks the writer). Copying in several steps instead would restart whenever that writer commits, and
    /// a busy server commits every flush. A lock that is briefly held (a checkpoint) is waited out up to `patience`.
    func backup(into destination: SQLiteConnection, patience: Duration, purpose: String) throws(SQLiteError) {
        guard let backup = sqlite3_backup_init(destination.handle, "main", handle, "main") else {
            throw SQLiteError(db: destination.handle, code: SQLITE_ERROR, purpose: purpose)
        }
        let deadline = ContinuousClock.now + patience
        var rc = sqlite3_backup_step(backup, -1)
        while (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && ContinuousClock.now < deadline {
            sqlite3_sleep(20)
            rc = sqlite3_backup_step(backup, -1)
        }
        // backup_finish reports the first error of the copy (and releases its locks in any case).
        let finish = sqlite3_backup_finish(backup)
        guard rc == SQLITE_DONE else {
            throw SQLiteError(code: rc, message: String(cString: sqlite3_errstr(rc)), purpose: purpose)
        }
        guard finish == SQLITE_OK else { throw SQLiteError(db: destination.handle, code: finish, purpose: purpose) }
    }
}
