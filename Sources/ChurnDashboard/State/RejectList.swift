/// The rejects of a finished batch as read back from its rejects file: the first `RejectList.limit` rows at most,
/// so a file where every row was refused does not fill the console's memory.
public struct RejectList: Sendable, Equatable {
    /// Rows kept for the view; the rest are only counted.
    public static let limit = 2_000
    /// The longest start of a record kept.
    public static let recordPrefix = 160

    public var path: String
    public var rows: [RejectRow]
    /// Rows in the file (those beyond `limit` included).
    public var total: Int

    public init(path: String, rows: [RejectRow], total: Int) {
        self.path = path
        self.rows = rows
        self.total = total
    }

    public var isTruncated: Bool { total > rows.count }
}
