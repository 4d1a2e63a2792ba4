import ChurnModel
import Foundation

/// Telco-schema customers for tests, from the same generator as `churn generate` (`CustomerGenerator`), with the
/// ids tests name ("0001-TEST" for customer 1).
public enum TelcoFixture {
    /// Customer `i` of the generator seeded with `seed`, as column → text (every Telco column, Churn included).
    public static func customer(_ i: Int, seed: UInt64) -> [String: String] {
        let generated = CustomerGenerator(options: .init(rows: i + 1, seed: seed)).customer(at: i)
        var fields = Dictionary(uniqueKeysWithValues: zip(TelcoSchema.header, generated.fieldValues(labelled: true)))
        fields["customerID"] = id(i)
        return fields
    }

    /// Customer `i` drawn with a seed taken from `rng` (what `json(i, seed:)` sends for `SplitMix64(seed: seed &+ i)`).
    public static func customer(_ i: Int, rng: inout SplitMix64) -> [String: String] {
        customer(i, seed: rng.next())
    }

    /// The id tests use for customer `i`.
    public static func id(_ i: Int) -> String { String(format: "%04d-TEST", i) }

    /// A labelled CSV file of `rows` customers (Telco header, "0000-TEST" … ids).
    public static func csv(rows: Int, seed: UInt64) -> String {
        let generator = CustomerGenerator(options: .init(rows: rows, seed: seed))
        var lines = [TelcoSchema.header.joined(separator: ",")]
        for i in 0..<rows {
            var values = generator.customer(at: i).fieldValues(labelled: true)
            values[0] = id(i)
            lines.append(values.map(csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One customer as a JSON body without the label (numbers as JSON numbers, a blank TotalCharges as a string);
    /// `overrides` replace fields as text.
    public static func json(_ i: Int, seed: UInt64 = 9, overrides: [String: String] = [:]) -> String {
        var rng = SplitMix64(seed: seed &+ UInt64(i))
        var c = customer(i, rng: &rng)
        c.removeValue(forKey: "Churn")
        for (k, v) in overrides { c[k] = v }
        let numeric: Set<String> = ["SeniorCitizen", "tenure", "MonthlyCharges", "TotalCharges"]
        let members = c.sorted { $0.key < $1.key }.map { k, v in
            numeric.contains(k) && Double(v) != nil ? "\"\(k)\":\(v)" : "\"\(k)\":\(jsonString(v))"
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    static func csvField(_ s: String) -> String {
        s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    static func jsonString(_ s: String) -> String {
        let data = try! JSONSerialization.data(withJSONObject: [s], options: [.fragmentsAllowed])
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }
}
