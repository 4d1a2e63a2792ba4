import ChurnBase
import ChurnModel
import ChurnServer
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One fuzz input through the request decoder of `POST /predict`, `/predict/batch` and `/feedback`: the strict
/// JSON parser, then the customer decoder against the Telco schema (each item of an array, as the batch route
/// does).
///
/// Besides "does not crash", it checks that whatever the strict parser accepts FoundationEssentials' JSONDecoder
/// accepts too (the server may be stricter than the standard, never looser), and that a decoded customer has no
/// infinite input.
public enum JSONRequestFuzz {
    static let decoder = CustomerDecoder(schema: TelcoSchema.schema)

    /// Runs one input; returns the first broken invariant, or nil.
    public static func run(_ input: [UInt8]) -> String? {
        // The request parser's value type is left unnamed: ChurnBase has a JSONValue of its own.
        let parsed = Result { () throws(JSONParseError) in try JSONParser.parse(input) }
        guard case .success(let value) = parsed else {
            if case .failure(let error) = parsed { _ = error.description }
            return nil
        }
        // The reference parser: JSONDecoder (top-level scalars allowed) reading into ChurnBase's JSONValue, on the
        // body with every number written as 0. Its number reading is not a usable reference: it rejects valid
        // numbers (`0.00e5`, and `1e-400`, which underflows; RFC 8259 allows both) that the strict parser reads,
        // exactly, as its own tests check. What is compared is the rest: strings, escapes, literals, nesting.
        if (try? ChurnBase.JSONValue.parse(Data(numbersAsZero(input)))) == nil {
            return "the request parser accepted a body JSONDecoder rejects: \(String(decoding: input.prefix(200), as: UTF8.self))"
        }
        var row = decoder.makeRow()
        let items = if case .array(let list) = value { list } else { [value] }
        for item in items.prefix(256) {
            switch decoder.decode(item, into: &row) {
            case .success:
                if row.values.contains(where: { $0.isInfinite }) { return "a decoded customer has an infinite input: \(row.values)" }
            case .failure(let list):
                if list.problems.isEmpty { return "decoding failed without naming a problem" }
            }
        }
        return nil
    }

    /// The body with every number outside strings replaced by `0` (the body is valid JSON: the strict parser
    /// accepted it, so a number is a run of `-+.0-9eE` that starts with `-` or a digit).
    static func numbersAsZero(_ input: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var i = 0
        var inString = false
        while i < input.count {
            let b = input[i]
            if inString {
                out.append(b)
                if b == UInt8(ascii: "\\"), i + 1 < input.count { out.append(input[i + 1]); i += 2; continue }
                if b == UInt8(ascii: "\"") { inString = false }
                i += 1
            } else if b == UInt8(ascii: "-") || (0x30...0x39).contains(b) {
                while i < input.count, "-+.0123456789eE".utf8.contains(input[i]) { i += 1 }
                out.append(UInt8(ascii: "0"))
            } else {
                if b == UInt8(ascii: "\"") { inString = true }
                out.append(b)
                i += 1
            }
        }
        return out
    }
}
