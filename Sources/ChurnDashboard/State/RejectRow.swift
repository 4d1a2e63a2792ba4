/// One line of a rejects file: where the row was, which field, why it was refused, and the start of the record.
public struct RejectRow: Sendable, Equatable {
    public var line: Int
    public var column: Int
    public var field: String
    public var code: String
    public var reason: String
    /// The start of the record as written in the input (clipped, so a huge row costs little memory).
    public var record: String

    public init(line: Int, column: Int, field: String, code: String, reason: String, record: String) {
        self.line = line
        self.column = column
        self.field = field
        self.code = code
        self.reason = reason
        self.record = record
    }

    /// Whether the filter text occurs (any case) in the line number, field, code, reason or record.
    public func matches(_ filter: String) -> Bool {
        filter.isEmpty || [String(line), field, code, reason, record].contains { PanelRows.matches($0, filter) }
    }
}
