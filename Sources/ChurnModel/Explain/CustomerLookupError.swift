/// Why a customer could not be explained.
public enum CustomerLookupError: Error, Sendable, CustomStringConvertible {
    case input(CSVError)
    case header(HeaderError)
    case noIDColumn(file: String, column: String)
    case notFound(CustomerLookup.Key, file: String, rows: Int)
    /// The record cannot be scored; the issue says where and why, as in a rejects file.
    case rejected(RowIssue)

    public var description: String {
        switch self {
        case .input(let e): return e.description
        case .header(let e): return e.description
        case .noIDColumn(let file, let column):
            return "\(file) has no id column\(column.isEmpty ? "" : " '\(column)'"); find the customer by --line N instead"
        case .notFound(let key, let file, let rows):
            return "no \(key) in \(file) (\(rows) rows read); check the id, or use --line N"
        case .rejected(let issue):
            return "the record cannot be scored: \(issue.description)"
        }
    }
}
