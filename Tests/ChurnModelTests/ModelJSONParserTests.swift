import ChurnBase
import Foundation
import Testing
@testable import ChurnModel

/// The byte parser that reads foreign model files (XGBoost JSON, LightGBM's pandas_categorical, feature maps).
@Suite("Model JSON parser")
struct ModelJSONParserTests {
    func parse(_ text: String) throws -> JSONValue {
        try Data(text.utf8).withUnsafeBytes { try ModelJSONParser.parse($0) }
    }

    @Test("numbers come out bit for bit as the standard library parses them")
    func exactNumbers() throws {
        let texts = ["0", "-0", "1", "-17", "0.1", "0.30000000000000004", "5E-1", "1e-3", "2.5e+10", "123456789012345678901234567890",
                     "4.9406564584124654e-324", "2.2250738585072014e-308", "1.7976931348623157e308", "0.000123456789012345678",
                     "-0.4364035129547119", "9007199254740993", "3.14159265358979323846264338327950288"]
        for t in texts {
            let value = try parse("[\(t)]")
            let expected = try #require(Double(t))
            #expect(value.array?.first?.number?.bitPattern == expected.bitPattern, "\(t)")
        }
    }

    @Test("documents read the same as through JSONDecoder")
    func sameAsJSONDecoder() throws {
        let text = #"""
        {"learner": {"attributes": {}, "trees": [{"left_children": [1, -1, -1], "split_conditions": [0.5, -0.25, 1e-2],
         "default_left": [true, false, 0]}], "name": "caf\u00e9 \ud83d\ude00 \"q\" \\ \/ \n\t", "none": null},
         "version": [3, 1, 0], "empty": [], "nested": [[[]], {}]}
        """#
        #expect(try parse(text) == JSONValue.parse(Data(text.utf8)))
    }

    @Test("bad JSON is refused with the line and column", arguments: [
        ("{\"a\": [1, 2,\n  ]}", 2, 3, "where a value should be"),
        ("{\"a\": 1", 1, 8, "ends inside an object"),
        ("[1, 2] x", 1, 8, "after the end of the document"),
        ("{\"a\": tru}", 1, 7, "expected true"),
        ("[01]", 1, 2, "may not start with 0"),
        ("[1e999]", 1, 2, "too large"),
        ("{\"a\": \"x\n\"}", 1, 9, "control character"),
        ("[\"\\ud800\"]", 1, 9, "lone surrogate"),
        ("[\"abc", 1, 2, "ends inside a string"),
        ("", 1, 1, "where a value should be"),
    ])
    func failures(text: String, line: Int, column: Int, reason: String) {
        do {
            _ = try parse(text)
            Issue.record("parsed \(text)")
        } catch let error as ModelJSONParser.Failure {
            #expect(error.line == line && error.column == column, "\(error)")
            #expect(error.reason.contains(reason), "\(error)")
        } catch {
            Issue.record("not a located parse failure: \(error)")
        }
    }

    @Test("nesting past the limit is refused, not a stack overflow")
    func deepNesting() {
        let deep = String(repeating: "[", count: ModelJSONParser.maxDepth + 1) + String(repeating: "]", count: ModelJSONParser.maxDepth + 1)
        #expect(throws: ModelJSONParser.Failure.self) { try parse(deep) }
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect((try? parse(fine)) != nil)
    }
}
