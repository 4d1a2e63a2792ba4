import ChurnModel
import ChurnServer
import Foundation

/// One fuzz input through the request decoder of `POST /predict`, `/predict/batch` and `/feedback`: the strict
/// JSON parser, then the customer decoder against the Telco schema (each item of an array, as the batch route
/// does).
///
/// Besides "does not crash", it checks that whatever the strict parser accepts Foundation's parser accepts too
/// (the server may be stricter than the standard, never looser), and that a decoded customer has no infinite
/// input.
public enum JSONRequestFuzz {
    static let decoder = CustomerDecoder(schema: TelcoSchema.schema)

    /// Runs one input; returns the first broken invariant, or nil.
    public static func run(_ input: [UInt8]) -> String? {
        let value: JSONValue
        do {
            value = try JSONParser.parse(input)
        } catch {
            _ = error.description
            return nil
        }
        if (try? JSONSerialization.jsonObject(with: Data(input), options: [.fragmentsAllowed])) == nil {
            return "the request parser accepted a body Foundation's JSON parser rejects: \(String(decoding: input.prefix(200), as: UTF8.self))"
        }
        var row = decoder.makeRow()
        let items: [JSONValue]
        if case .array(let list) = value { items = list } else { items = [value] }
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
