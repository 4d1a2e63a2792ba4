/// Why one input row could not be scored, and where: the line, the column (by name and byte position), the reason.
public struct RowIssue: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        case malformed(String)
        case blankLine
        case fieldCount(expected: Int, found: Int)
        case notANumber(String)
        case unknownCategory(String, known: [String])
        case missingID
        case notFinite(String)
    }

    /// 1-based line (0 when the row did not come from a file).
    public var line: Int
    /// 1-based byte column within the line (0 when unknown).
    public var column: Int
    /// The column (field) name, when the problem is in one field.
    public var field: String?
    public var reason: Reason

    public init(line: Int, column: Int, field: String?, reason: Reason) {
        self.line = line
        self.column = column
        self.field = field
        self.reason = reason
    }

    /// A short machine-friendly code for the reason (used in rejects files and API errors).
    public var code: String {
        switch reason {
        case .malformed: return "malformed_csv"
        case .blankLine: return "blank_line"
        case .fieldCount: return "field_count"
        case .notANumber: return "not_a_number"
        case .unknownCategory: return "unknown_category"
        case .missingID: return "missing_id"
        case .notFinite: return "not_finite"
        }
    }

    public var message: String {
        switch reason {
        case .malformed(let why): return why
        case .blankLine: return "blank line"
        case .fieldCount(let expected, let found):
            return "expected \(expected) fields as in the header, found \(found)"
        case .notANumber(let value):
            return "'\(RowIssue.clip(value))' is not a number"
        case .unknownCategory(let value, let known):
            let list = known.prefix(8).map { "'\($0)'" }.joined(separator: ", ") + (known.count > 8 ? ", …" : "")
            return "unknown category '\(RowIssue.clip(value))' (the model knows \(list))"
        case .missingID: return "customer id is empty"
        case .notFinite(let value): return "'\(RowIssue.clip(value))' is not a finite number"
        }
    }

    public var description: String {
        var parts: [String] = []
        if line > 0 { parts.append("line \(line)") }
        if column > 0 { parts.append("column \(column)") }
        if let field { parts.append("field \(field)") }
        return (parts.isEmpty ? "" : parts.joined(separator: ", ") + ": ") + message
    }

    /// The string shortened to 60 characters for messages.
    public static func clip(_ s: String) -> String {
        s.count > 60 ? String(s.prefix(57)) + "..." : s
    }
}
