import ChurnBase
import ChurnModel
import ChurnServer
import FoundationEssentials

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
        // The reference parser: JSONDecoder (top-level scalars allowed) reading into ChurnBase's JSONValue. It
        // wrongly rejects one valid number form, a zero with a fraction and an exponent (`0.00e5`, RFC 8259 allows
        // it; swift-foundation 6.3's JSONDecoder says "not valid JSON"); a body holding one is not held against us.
        if (try? ChurnBase.JSONValue.parse(Data(input))) == nil && !holdsZeroFractionExponent(input) {
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

    /// Whether the bytes hold `0.` digits then `e`/`E` where the `0` starts a number (no digit or `.` before it):
    /// the number form JSONDecoder rejects although it is valid JSON.
    static func holdsZeroFractionExponent(_ input: [UInt8]) -> Bool {
        var i = 0
        while i + 3 < input.count {
            defer { i += 1 }
            guard input[i] == UInt8(ascii: "0"), input[i + 1] == UInt8(ascii: "."),
                  i == 0 || !(input[i - 1] == UInt8(ascii: ".") || (0x30...0x39).contains(input[i - 1])) else { continue }
            var j = i + 2
            while j < input.count, (0x30...0x39).contains(input[j]) { j += 1 }
            if j > i + 2, j < input.count, input[j] | 0x20 == UInt8(ascii: "e") { return true }
        }
        return false
    }
}
