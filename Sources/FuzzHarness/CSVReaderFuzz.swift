import ChurnModel

/// One fuzz input through the CSV reader as batch scoring uses it: blocks cut at record boundaries, records
/// parsed, fields encoded against a schema made from the input's own header, and ids written back out with
/// spreadsheet formulas neutralised.
///
/// Besides "does not crash", it checks what must hold for every input:
/// - reading in tiny chunks (1 to 64 bytes, so block cuts fall everywhere, quotes and CRLF included) gives the
///   same header, records, line numbers and errors as reading the file in one chunk;
/// - every data record is either encoded or rejected with a reason (the row accounting of `churn score`);
/// - an id written with formula neutralisation reads back as the same bytes, prefixed with `'` exactly when it
///   starts with `= + - @`, tab or CR, so a spreadsheet never runs it.
public enum CSVReaderFuzz {
    /// Runs one input; returns the first broken invariant, or nil.
    public static func run(_ input: [UInt8]) -> String? {
        FuzzScratchFile.write(input)
        let chunk = 1 + Int(input.first ?? 0) % 64
        let whole = read(chunkSize: 1 << 20)
        let pieces = read(chunkSize: chunk)
        guard whole == pieces else {
            return "reading in \(chunk)-byte chunks differs from reading in one chunk:\n  one chunk: \(whole)\n  \(chunk)-byte chunks: \(pieces)"
        }
        // A tight record limit: must fail cleanly (recordTooLarge), never crash.
        if let reader = try? CSVReader(path: FuzzScratchFile.path, chunkSize: chunk, maxRecordBytes: 32) {
            try? reader.forEachRecord { _ in }
        }
        return encodeAndWrite()
    }

    /// What a reader produced: the header and every record (line, fields, error), or the error that stopped it.
    struct Reading: Equatable, CustomStringConvertible {
        var header: [String] = []
        var records: [Record] = []
        var failure: CSVError?

        struct Record: Equatable {
            var line: Int
            var fields: [[UInt8]]
            var error: CSVError?
        }

        var description: String {
            "header \(header), \(records.count) records \(records.prefix(4).map { "\($0.line):\($0.fields.map { String(decoding: $0, as: UTF8.self) })\($0.error.map { " \($0)" } ?? "")" }), failure \(failure.map(String.init(describing:)) ?? "none")"
        }
    }

    static func read(chunkSize: Int) -> Reading {
        var reading = Reading()
        do {
            let reader = try CSVReader(path: FuzzScratchFile.path, chunkSize: chunkSize)
            reading.header = reader.header
            while let block = try reader.nextBlock() {
                block.forEachRecord { record in
                    reading.records.append(.init(line: record.line, fields: (0..<record.count).map { Array(record.field($0)) }, error: record.error))
                }
            }
        } catch {
            reading.failure = error
        }
        return reading
    }

    static func encodeAndWrite() -> String? {
        guard let reader = try? CSVReader(path: FuzzScratchFile.path), reader.header.count >= 2 else { return nil }
        let schema = schema(for: reader.header)
        guard let encoder = try? RowEncoder(schema: schema, header: reader.header, file: "fuzz") else {
            return "the header \(reader.header) was read but an encoder for a schema made from it cannot be built"
        }
        var row = encoder.makeRow()
        var records = 0
        var scored = 0
        var rejected = 0
        var broken: String?
        do {
            try reader.forEachRecord { record in
                records += 1
                if let issue = encoder.encode(record, into: &row) {
                    rejected += 1
                    if issue.line < record.line { broken = "issue at line \(issue.line) before its record's line \(record.line)" }
                    _ = issue.message
                    return
                }
                scored += 1
                if row.values.contains(where: { $0.isInfinite }) { broken = "an encoded value is infinite: \(row.values)" }
                if let idIndex = encoder.idIndex, broken == nil {
                    broken = checkNeutralised(FieldParsing.trim(record.field(idIndex)))
                }
            }
        } catch {
            // A structural error that stops the file (a record over the limit) is reported, not counted.
        }
        if let broken { return broken }
        if records != scored + rejected { return "row accounting: \(records) records but \(scored) scored + \(rejected) rejected" }
        return nil
    }

    /// The id column first; then numeric and categorical columns alternately (at most 32 features, so a header
    /// of 10,000 names still runs fast).
    static func schema(for header: [String]) -> Schema {
        let features = header.dropFirst().prefix(32).enumerated().map { k, name in
            k % 2 == 0 ? ColumnSchema(name: name, kind: .numeric)
                : ColumnSchema(name: name, kind: .categorical, categories: ["Yes", "No", "No internet service", "=1+1"])
        }
        return Schema(idColumn: header[0], targetColumn: "\u{0}target", positiveLabel: "Yes", negativeLabel: "No", features: Array(features))
    }

    /// Writes `id` as a CSV field with formula neutralisation, parses it back, and checks the round trip.
    static func checkNeutralised(_ id: UnsafeBufferPointer<UInt8>) -> String? {
        let w = ByteWriter()
        w.appendCSVField(id, neutralizeFormula: true)
        w.append(0x0A)
        let block = CSVBlock(bytes: w.bytes, firstLine: 1, firstRecordIndex: 0, file: "out", isFinal: true)
        var fields: [[UInt8]] = []
        var records = 0
        block.forEachRecord { record in
            records += 1
            fields = (0..<record.count).map { Array(record.field($0)) }
        }
        let original = Array(id)
        let risky = original.first.map { [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D].contains($0) } ?? false
        let expected = risky ? [0x27] + original : original
        guard records == 1, fields == [expected] || (original.isEmpty && fields == []) else {
            return "id \(original) written as \(w.bytes) reads back as \(records) record(s) \(fields), expected [\(expected)]"
        }
        return nil
    }
}
