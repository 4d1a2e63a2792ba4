import Foundation
import Testing
@testable import ChurnModel

@Suite("Row encoding")
struct RowEncoderTests {
    let schema = Schema(idColumn: "id", targetColumn: "y", positiveLabel: "Yes", negativeLabel: "No", features: [
        ColumnSchema(name: "n", kind: .numeric),
        ColumnSchema(name: "c", kind: .categorical, categories: ["a", "b"]),
    ])

    func encode(_ line: String, allowUnknown: Bool = false) throws -> (EncodedRow, RowIssue?) {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.write("r.csv", "c,id,n\n" + line + "\n")
        let reader = try CSVReader(path: path)
        let encoder = try RowEncoder(schema: schema, header: reader.header, file: path, allowUnknownCategories: allowUnknown)
        var row = encoder.makeRow()
        var issue: RowIssue?
        try reader.forEachRecord { issue = encoder.encode($0, into: &row) }
        return (row, issue)
    }

    @Test("columns are found by name in any order; one-hot for categories")
    func encodesByName() throws {
        let (row, issue) = try encode("b,x1, 2.5 ")
        #expect(issue == nil)
        #expect(row.values == [2.5, 0, 1])
        #expect(row.codes[1] == 1)
    }

    @Test("missing values: NaN for numbers, no indicator for categories")
    func missing() throws {
        let (row, issue) = try encode("NA,x1,")
        #expect(issue == nil)
        #expect(row.values[0].isNaN)
        #expect(row.values[1] == 0 && row.values[2] == 0)
        #expect(row.codes == [RowEncoder.missing, RowEncoder.missing])
    }

    @Test("an unknown category is a row issue with line, column, field and the known values, unless allowed")
    func unknownCategory() throws {
        let (_, issue) = try encode("zzz,x1,1")
        #expect(issue?.field == "c")
        #expect(issue?.line == 2 && issue?.column == 1)
        #expect(issue?.reason == .unknownCategory("zzz", known: ["a", "b"]))
        let (row, allowed) = try encode("zzz,x1,1", allowUnknown: true)
        #expect(allowed == nil)
        #expect(row.codes[1] == RowEncoder.unknown)
    }

    @Test("a number that does not parse names its column")
    func badNumber() throws {
        let (_, issue) = try encode("a,x1,12abc")
        #expect(issue?.field == "n")
        #expect(issue?.column == 6)
        #expect(issue?.description == "line 2, column 6, field n: '12abc' is not a number")
    }

    @Test("a header without a required column lists every missing one")
    func header() throws {
        #expect(throws: HeaderError.self) { _ = try RowEncoder(schema: schema, header: ["id", "n"]) }
        do { _ = try RowEncoder(schema: schema, header: ["n"], file: "f.csv") } catch {
            #expect(error.missing == ["id", "c"])
        }
    }

    @Test("number parsing agrees with strtod on the fast path and refuses non-numbers", arguments: [
        ("29.85", 29.85), ("-3", -3.0), ("1e3", 1000.0), ("0.1", 0.1), ("  7 ", 7.0), ("123456789.123456789", 123456789.123456789),
    ])
    func numbers(text: String, value: Double) {
        var t = text
        #expect(t.withUTF8 { FieldParsing.parseDouble($0) } == value)
    }

    @Test("non-numbers", arguments: ["", "abc", "1.2.3", "nan", "inf", "0x10", "--1", "."])
    func nonNumbers(text: String) {
        var t = text
        #expect(t.withUTF8 { FieldParsing.parseDouble($0) } == nil)
    }
}
