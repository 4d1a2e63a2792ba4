import ChurnModel

/// One field of a request that cannot be used, and why.
public struct FieldProblem: Codable, Sendable, Equatable {
    public var field: String
    public var problem: String

    public init(field: String, problem: String) {
        self.field = field
        self.problem = problem
    }
}

/// Reads one customer from a JSON object into model inputs, following the model's schema, and reports every bad
/// field at once.
///
/// Every feature column must be present (send `null` for an unknown value). Numeric columns take a number or a
/// numeric string (a blank string is missing, as the Telco file's TotalCharges); categorical columns take one of
/// the model's categories as a string (a number is matched by its text, e.g. SeniorCitizen-style codes). The id
/// column is optional; other members (such as the label) are ignored.
public struct CustomerDecoder: Sendable {
    public let encoder: RowEncoder
    let columns: [String: Int]
    let idColumn: String

    public init(schema: Schema, reference: ReferenceProfile? = nil) {
        encoder = RowEncoder(schema: schema, reference: reference)
        var columns: [String: Int] = [:]
        for (i, c) in schema.features.enumerated() { columns[c.name] = i }
        self.columns = columns
        idColumn = schema.idColumn ?? TelcoSchema.idColumn
    }

    public func makeRow() -> EncodedRow { encoder.makeRow() }

    /// Decodes `value` into `row`; returns the customer id (empty when absent) or the list of problems.
    public func decode(_ value: JSONValue, into row: inout EncodedRow) -> Result<String, ProblemList> {
        guard case .object(let members) = value else {
            return .failure(ProblemList([FieldProblem(field: "(body)", problem: "expected a JSON object with the customer's fields, got \(value.typeName)")]))
        }
        var problems: [FieldProblem] = []
        var seen = [Bool](repeating: false, count: encoder.schema.features.count)
        var id = ""
        row.unresolved = false
        for (key, member) in members {
            if key == idColumn {
                switch member {
                case .string(let s): id = s
                case .number(_, let literal): id = literal // exactly as sent: no Double round trip
                case .null: break
                default: problems.append(FieldProblem(field: key, problem: "must be a string, got \(member.typeName)"))
                }
                continue
            }
            guard let c = columns[key] else { continue }
            if seen[c] {
                problems.append(FieldProblem(field: key, problem: "appears more than once"))
                continue
            }
            seen[c] = true
            let reason: RowIssue.Reason?
            switch member {
            case .null:
                reason = encoder.encodeNumber(c, nil, into: &row)
            case .number(let n, _):
                reason = encoder.encodeNumber(c, n, into: &row)
            case .string(var s):
                reason = s.withUTF8 { encoder.encodeField(c, $0, into: &row) }
            default:
                let kind = encoder.schema.features[c].kind == .numeric ? "a number" : "a string"
                problems.append(FieldProblem(field: key, problem: "must be \(kind) or null, got \(member.typeName)"))
                continue
            }
            if let reason { problems.append(FieldProblem(field: key, problem: CustomerDecoder.describe(reason))) }
        }
        for (c, present) in seen.enumerated() where !present {
            problems.append(FieldProblem(field: encoder.schema.features[c].name, problem: "is missing (send null for an unknown value)"))
        }
        if let problem = CustomerDecoder.idLengthProblem(id) { problems.append(FieldProblem(field: idColumn, problem: problem)) }
        return problems.isEmpty ? .success(id) : .failure(ProblemList(problems))
    }

    /// Longest customer id accepted, in UTF-8 bytes: with the prediction log's row cap it bounds the log in bytes
    /// (docs/api.md). Longer ids are refused (422) rather than logged.
    public static let maxIDBytes = 256

    /// Why `id` cannot be used as a customer id, or nil when it can.
    public static func idLengthProblem(_ id: String) -> String? {
        let n = id.utf8.count
        return n > maxIDBytes ? "is \(n) bytes long; customer ids are limited to \(maxIDBytes) bytes" : nil
    }

    static func describe(_ reason: RowIssue.Reason) -> String {
        switch reason {
        case .notANumber(let v): return "must be a number, got \"\(RowIssue.clip(v))\""
        case .notFinite(let v): return "must be a finite number, got \(v)"
        case .unknownCategory(let v, let known):
            return "unknown category \"\(RowIssue.clip(v))\"; expected one of " + known.map { "\"\($0)\"" }.joined(separator: ", ")
        default: return RowIssue(line: 0, column: 0, field: nil, reason: reason).message
        }
    }
}

/// The problems found in one request body (an Error so it can travel in a Result).
public struct ProblemList: Error, Sendable, Equatable {
    public var problems: [FieldProblem]
    public init(_ problems: [FieldProblem]) { self.problems = problems }
}
