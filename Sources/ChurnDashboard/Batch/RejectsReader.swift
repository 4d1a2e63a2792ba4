import ChurnModel
import ChurnMonitor

/// Reads a rejects file (`line,column,field,code,reason,record`, as batch scoring writes it) back for the
/// console: the first `RejectList.limit` rows with the start of each record, and a count of all of them. The
/// file is read block by block through the same CSV grammar, so records with quotes and newlines come back whole.
public enum RejectsReader {
    public static func read(_ path: String, limit: Int = RejectList.limit) -> Result<RejectList, SourceFailure> {
        var rows: [RejectRow] = []
        var total = 0
        do {
            let reader = try CSVReader(path: path)
            let expected = ["line", "column", "field", "code", "reason", "record"]
            guard reader.header == expected else {
                return .failure(SourceFailure("\(path) is not a rejects file: its header is \(reader.header.joined(separator: ","))"))
            }
            try reader.forEachRecord { rec in
                guard !rec.isBlankLine else { return }
                total += 1
                guard rows.count < limit else { return }
                let field = { (i: Int) in i < rec.count ? rec.string(at: i) : "" }
                var record = field(5)
                if record.count > RejectList.recordPrefix { record = String(record.prefix(RejectList.recordPrefix)) }
                rows.append(RejectRow(line: Int(field(0)) ?? 0, column: Int(field(1)) ?? 0, field: field(2), code: field(3),
                                      reason: field(4), record: record))
            }
        } catch let error as CSVError {
            return .failure(SourceFailure("cannot read the rejects: \(error.description)"))
        } catch {
            return .failure(SourceFailure("cannot read the rejects in \(path): \(error)"))
        }
        return .success(RejectList(path: path, rows: rows, total: total))
    }
}
