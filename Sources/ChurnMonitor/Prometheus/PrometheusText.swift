/// Builds the Prometheus text exposition format (version 0.0.4).
public struct PrometheusText {
    public private(set) var output = ""

    public init() {}

    public mutating func family(_ name: String, type: String, help: String) {
        output += "# HELP \(name) \(PrometheusText.escape(help, quotes: false))\n"
        output += "# TYPE \(name) \(type)\n"
    }

    public mutating func sample(_ name: String, _ labels: [String: String], _ value: Double) {
        output += name
        if !labels.isEmpty {
            output += "{" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(PrometheusText.escape($0.value))\"" }.joined(separator: ",") + "}"
        }
        output += " " + PrometheusText.number(value) + "\n"
    }

    /// A label value (or, without `quotes`, a HELP text) escaped as the format asks: backslash, newline and double
    /// quote. Done on Unicode scalars, so the "\n" of a "\r\n" pair is escaped too (Swift's Character-level
    /// `replacing` would see one "\r\n" character and leave it).
    public static func escape(_ s: String, quotes: Bool = true) -> String {
        guard s.utf8.contains(where: { $0 == 0x5C || $0 == 0x0A || (quotes && $0 == 0x22) }) else { return s }
        var out = String.UnicodeScalarView()
        for c in s.unicodeScalars {
            switch c {
            case "\\": out.append("\\"); out.append("\\")
            case "\n": out.append("\\"); out.append("n")
            case "\"" where quotes: out.append("\\"); out.append("\"")
            default: out.append(c)
            }
        }
        return String(out)
    }

    /// Integers without a decimal point, NaN and infinities as Prometheus spells them.
    public static func number(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }
}
