import ChurnBase
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
/// The label matchers that pick the scoring replicas out of everything a Prometheus scrapes, e.g. `job="churn-api"`
/// (`--selector`). Validated up front so a typo is a usage error, not a query error on every poll.
public struct PromQLSelector: Sendable, Equatable, CustomStringConvertible {
    /// The matchers as PromQL text without braces: `job="churn-api",namespace="prod"`.
    public let matchers: String

    public static let standard = PromQLSelector(validated: #"job="churn-api""#)

    private init(validated: String) { matchers = validated }

    /// Accepts `name op "value"` matchers separated by commas (op one of = != =~ !~), with or without braces.
    public init(_ text: String) throws(PromQLSelectorError) {
        var body = text.trimmingWhitespace(newlines: false)
        if body.hasPrefix("{") && body.hasSuffix("}") { body = String(body.dropFirst().dropLast()) }
        var parts: [String] = []
        var chars = Array(body.unicodeScalars)[...]
        func skipSpace() { while let c = chars.first, c == " " || c == "\t" { chars.removeFirst() } }
        while true {
            skipSpace()
            guard !chars.isEmpty else { break }
            var name = ""
            while let c = chars.first, c == "_" || (c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c))) {
                name.unicodeScalars.append(c)
                chars.removeFirst()
            }
            guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else {
                throw PromQLSelectorError(text: text, reason: "a matcher must start with a label name")
            }
            skipSpace()
            var op = ""
            for candidate in ["=~", "!~", "!=", "="] where String(String.UnicodeScalarView(chars.prefix(candidate.unicodeScalars.count))) == candidate {
                op = candidate
                chars.removeFirst(candidate.unicodeScalars.count)
                break
            }
            guard !op.isEmpty else { throw PromQLSelectorError(text: text, reason: "'\(name)' needs =, !=, =~ or !~") }
            skipSpace()
            guard chars.first == "\"" else {
                throw PromQLSelectorError(text: text, reason: "the value of '\(name)' must be in double quotes")
            }
            chars.removeFirst()
            var value = ""
            var closed = false
            while let c = chars.popFirst() {
                if c == "\\" {
                    guard let next = chars.popFirst() else { break }
                    value.unicodeScalars.append(c)
                    value.unicodeScalars.append(next)
                } else if c == "\"" {
                    closed = true
                    break
                } else if c.value < 0x20 {
                    throw PromQLSelectorError(text: text, reason: "control character in the value of '\(name)'")
                } else {
                    value.unicodeScalars.append(c)
                }
            }
            guard closed else { throw PromQLSelectorError(text: text, reason: "unclosed quote in the value of '\(name)'") }
            parts.append("\(name)\(op)\"\(value)\"")
            skipSpace()
            if chars.first == "," { chars.removeFirst(); continue }
            guard chars.isEmpty else { throw PromQLSelectorError(text: text, reason: "matchers must be separated by commas") }
        }
        guard !parts.isEmpty else { throw PromQLSelectorError(text: text, reason: "it is empty; e.g. job=\"churn-api\"") }
        matchers = parts.joined(separator: ",")
    }

    /// `metric{matchers}`, plus extra matchers when given.
    public func metric(_ name: String, _ extra: String? = nil) -> String {
        "\(name){\(matchers)\(extra.map { ",\($0)" } ?? "")}"
    }

    public var description: String { "{\(matchers)}" }

    /// A PromQL double-quoted string literal.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }
}

/// A `--selector` that is not a list of PromQL label matchers.
public struct PromQLSelectorError: Error, Sendable, Equatable, CustomStringConvertible {
    public var text: String
    public var reason: String
    public var description: String {
        "--selector '\(text)' is not a list of PromQL label matchers: \(reason) (example: job=\"churn-api\",namespace=\"mlops-churn\")"
    }
}
