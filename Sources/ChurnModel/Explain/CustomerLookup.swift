/// Finds one customer in a file, by id or by line, and explains their score (`churn snapshot --customer`).
///
/// Reads the file block by block and stops at the first match, so memory does not grow with the file.
public enum CustomerLookup {
    /// What to look for: the first record whose id column equals the id (trimmed), or the record starting on a line.
    public enum Key: Sendable, Equatable, CustomStringConvertible {
        case id(String)
        case line(Int)

        public var description: String {
            switch self {
            case .id(let id): return "customer '\(id)'"
            case .line(let n): return "a record on line \(n)"
            }
        }
    }

    public static func find(_ key: Key, in path: String, engine: ScoringEngine,
                            delimiter: UInt8 = 0x2C) throws(CustomerLookupError) -> CustomerExplanation {
        let reader: CSVReader
        do { reader = try CSVReader(path: path, delimiter: delimiter) } catch { throw .input(error) }
        let encoder: RowEncoder
        do {
            encoder = try RowEncoder(schema: engine.artifact.schema, header: reader.header, file: path,
                                     reference: engine.artifact.reference)
        } catch { throw .header(error) }
        var wanted: [UInt8] = []
        if case .id(let id) = key {
            guard encoder.idIndex != nil else { throw .noIDColumn(file: path, column: engine.artifact.schema.idColumn ?? "") }
            wanted = Array(id.utf8)
        }
        var rows = 0
        var found: Result<CustomerExplanation, CustomerLookupError>?
        do {
            while found == nil, let block = try reader.nextBlock() {
                block.forEachRecord { rec in
                    guard found == nil, !rec.isBlankLine else { return }
                    rows += 1
                    switch key {
                    case .line(let n):
                        guard rec.line == n else { return }
                    case .id:
                        guard let i = encoder.idIndex, rec.error == nil, i < rec.count,
                              FieldParsing.trim(rec.field(i)).elementsEqual(wanted) else { return }
                    }
                    found = CustomerExplanation.explain(rec, encoder: encoder, file: path, engine: engine)
                }
            }
        } catch { throw .input(error) }
        switch found {
        case .success(let e)?: return e
        case .failure(let f)?: throw f
        case nil: throw .notFound(key, file: path, rows: rows)
        }
    }
}
