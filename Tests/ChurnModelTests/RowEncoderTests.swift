import ChurnTestSupport
import Foundation
import Testing
@testable import ChurnModel

@Suite("Row encoding")
struct RowEncoderTests {
    let schema = Schema(idColumn: "id", targetColumn: "y", positiveLabel: "Yes", negativeLabel: "No", features: [
        ColumnSchema(name: "n", kind: .numeric),
        ColumnSchema(name: "c", kind: .categorical, categories: ["a", "b"]),
    ])

    func encode(_ line: String, mode: UnknownCategoryMode = .reject) throws -> (EncodedRow, RowIssue?) {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.write("r.csv", "c,id,n\n" + line + "\n")
        let reader = try CSVReader(path: path)
        let encoder = try RowEncoder(schema: schema, header: reader.header, file: path, unknownCategories: mode)
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

    @Test("an unknown category in reject mode is a row issue with line, column, field and the known values")
    func unknownCategory() throws {
        let (_, issue) = try encode("zzz,x1,1")
        #expect(issue?.field == "c")
        #expect(issue?.line == 2 && issue?.column == 1)
        #expect(issue?.reason == .unknownCategory("zzz", known: ["a", "b"]))
    }

    @Test("in score mode (the default) an unknown category is scored over the training distribution: NaN indicators")
    func unknownCategoryScored() throws {
        let (row, issue) = try encode("zzz,x1,1", mode: .score)
        #expect(issue == nil)
        #expect(row.codes[1] == RowEncoder.unknown)
        #expect(row.values[1].isNaN && row.values[2].isNaN)
        #expect(row.unresolved)
        let (known, _) = try encode("a,x1,1", mode: .score)
        #expect(!known.unresolved && known.values == [1, 1, 0])
    }

    @Test("the missing markers ?, -, NA, n/a, NULL, nan, None and blanks are missing in both kinds of column",
          arguments: ["?", "-", "NA", "n/a", "NULL", "nan", "None", " ", ""])
    func markers(_ marker: String) throws {
        let (row, issue) = try encode("\(marker),x1,\(marker)")
        #expect(issue == nil)
        #expect(row.codes == [RowEncoder.missing, RowEncoder.missing])
        #expect(row.values[0].isNaN)
    }

    @Test("a model's own markers (--na) and a column's stray texts read as missing; other text is still not a number")
    func modelMarkers() throws {
        var s = schema
        s.missingValues = ["unknown"]
        s.features[0].missingValues = ["n/k"]
        let encoder = RowEncoder(schema: s, unknownCategories: .reject)
        var row = encoder.makeRow()
        #expect("n/k".withCString { p in encoder.encodeField(0, UnsafeBufferPointer(start: UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), count: 3), into: &row) } == nil)
        #expect(row.values[0].isNaN)
        var text = "unknown"
        #expect(text.withUTF8 { encoder.encodeField(1, $0, into: &row) } == nil)
        #expect(row.codes[1] == RowEncoder.missing)
        #expect(text.withUTF8 { encoder.encodeField(0, $0, into: &row) } == nil)
        var other = "n/a?"
        #expect(other.withUTF8 { encoder.encodeField(0, $0, into: &row) } == .notANumber("n/a?"))
    }

    @Test("a column with an \"other\" level takes every value not among its categories, in both modes")
    func otherLevel() throws {
        var s = schema
        s.features[1].otherLevel = true
        let encoder = RowEncoder(schema: s, unknownCategories: .reject)
        #expect(encoder.layout.features.map(\.name) == ["n", "c=a", "c=b", "c=(other)"])
        var row = encoder.makeRow()
        var text = "Zebedee"
        #expect(text.withUTF8 { encoder.encodeField(1, $0, into: &row) } == nil)
        #expect(Array(row.values[1...3]) == [0, 0, 1])
        #expect(row.codes[1] == RowEncoder.unknown && !row.unresolved)
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
