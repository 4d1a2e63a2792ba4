import Foundation
/// Builds the Prometheus text exposition format (version 0.0.4).
public struct PrometheusText {
    public private(set) var output = ""

    public init() {}

    public mutating func family(_ name: String, type: String, help: String) {
        output += "# HELP \(name) \(help.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n"))\n"
        output += "# TYPE \(name) \(type)\n"
    }

    public mutating func sample(_ name: String, _ labels: [String: String], _ value: Double) {
        output += name
        if !labels.isEmpty {
            output += "{" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(PrometheusText.escape($0.value))\"" }.joined(separator: ",") + "}"
        }
        output += " " + PrometheusText.number(value) + "\n"
    }

    public static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Integers without a decimal point, NaN and infinities as Prometheus spells them.
    public static func number(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }
}
