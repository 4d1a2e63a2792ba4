@testable import ChurnModel

/// The CSV record grammar written the plain way: one byte at a time over an array, building each field's bytes
/// as it goes. `CSVRecordParser` scans a word at a time for speed; this is what it must agree with, record for
/// record (fields, lines, raw ranges, errors), on any input.
///
/// Grammar: records end at '\n' (a '\r' right before it, or right before the end of the input, belongs to the
/// line ending); a line holding only a line ending is a blank record; fields are separated by the delimiter; a
/// field that starts with '"' is quoted and runs to the next lone '"' ('""' is a literal quote; delimiters and
/// newlines are content); a '"' anywhere else is an ordinary byte. After a closing quote comes a delimiter, a
/// line ending or the end; anything else is reported (unexpectedAfterQuote, at that byte) and skipped up to the
/// next delimiter or newline. A quote never closed takes the rest of the input (unterminatedQuote at the opening
/// quote, with the number of lines it swallowed).
struct ReferenceCSVParser {
    struct Record: Equatable, CustomStringConvertible {
        var line: Int
        var fields: [[UInt8]]
        var rawStart: Int
        var rawEnd: Int
        var error: CSVError?

        var description: String {
            let shown = fields.map { String(decoding: $0, as: UTF8.self).debugDescription }.joined(separator: " ")
            return "line \(line) raw \(rawStart)..<\(rawEnd) [\(shown)]\(error.map { " \($0) swallowed \($0.linesSwallowed.map(String.init) ?? "-")" } ?? "")"
        }
    }

    let delimiter: UInt8
    let file: String

    func parse(_ bytes: [UInt8], firstLine: Int) -> [Record] {
        var records: [Record] = []
        var i = 0
        var line = firstLine
        let n = bytes.count
        func at(_ k: Int) -> UInt8? { k < n ? bytes[k] : nil }
        func column(_ offset: Int, recordStart: Int) -> Int {
            var lineStart = recordStart
            for k in recordStart..<offset where bytes[k] == 0x0A { lineStart = k + 1 }
            return offset - lineStart + 1
        }
        while i < n {
            let recordStart = i
            if at(i) == 0x0A || (at(i) == 0x0D && at(i + 1) == 0x0A) {
                records.append(Record(line: line, fields: [], rawStart: i, rawEnd: i, error: nil))
                i += at(i) == 0x0A ? 1 : 2
                line += 1
                continue
            }
            var record = Record(line: line, fields: [], rawStart: recordStart, rawEnd: n, error: nil)
            var next = n
            func fail(_ e: CSVError) { if record.error == nil { record.error = e } }
            fields: while true {
                if at(i) == 0x22 {
                    let open = i
                    let openLine = line
                    var content: [UInt8] = []
                    var closed = false
                    i += 1
                    while let b = at(i) {
                        if b == 0x22 && at(i + 1) == 0x22 {
                            content.append(0x22)
                            i += 2
                        } else if b == 0x22 {
                            closed = true
                            break
                        } else {
                            if b == 0x0A { line += 1 }
                            content.append(b)
                            i += 1
                        }
                    }
                    record.fields.append(content)
                    guard closed else {
                        var e = CSVError(file: file, line: openLine, column: column(open, recordStart: recordStart), reason: .unterminatedQuote)
                        e.linesSwallowed = line - openLine + (bytes[n - 1] == 0x0A ? 0 : 1)
                        fail(e)
                        break fields
                    }
                    i += 1
                    guard let b = at(i) else { break fields }
                    if b == delimiter {
                        i += 1
                        continue fields
                    }
                    if b == 0x0A {
                        record.rawEnd = i
                        next = i + 1
                        line += 1
                        break fields
                    }
                    if b == 0x0D && (i + 1 == n || at(i + 1) == 0x0A) {
                        record.rawEnd = i
                        next = min(i + 2, n)
                        if i + 1 < n { line += 1 }
                        break fields
                    }
                    fail(CSVError(file: file, line: line, column: column(i, recordStart: recordStart), reason: .unexpectedAfterQuote(b)))
                    while let c = at(i), c != delimiter, c != 0x0A { i += 1 }
                    if at(i) == delimiter {
                        i += 1
                        continue fields
                    }
                    record.rawEnd = i
                    next = min(i + 1, n)
                    if i < n { line += 1 }
                    break fields
                } else {
                    var content: [UInt8] = []
                    while let b = at(i), b != delimiter, b != 0x0A {
                        content.append(b)
                        i += 1
                    }
                    // A '\r' ending the last field is part of the line ending, not of the field or the raw record.
                    var fieldEnd = i
                    if (at(i) == nil || at(i) == 0x0A) && content.last == 0x0D {
                        content.removeLast()
                        fieldEnd -= 1
                    }
                    record.fields.append(content)
                    if at(i) == delimiter {
                        i += 1
                        continue fields
                    }
                    record.rawEnd = fieldEnd
                    if at(i) == 0x0A {
                        next = i + 1
                        line += 1
                    }
                    break fields
                }
            }
            records.append(record)
            i = next
        }
        return records
    }
}
