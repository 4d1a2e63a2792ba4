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
        // The reference parser: JSONDecoder (top-level scalars allowed) reading into ChurnBase's JSONValue.
        if (try? ChurnBase.JSONValue.parse(Data(input))) == nil {
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
}
