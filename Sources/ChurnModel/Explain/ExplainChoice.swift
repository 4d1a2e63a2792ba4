import ChurnBase
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How much of a score's explanation to give: nothing, the `top(n)` input columns by absolute contribution,
/// or every column (with the base value, so they add up to the margin).
public enum ExplainChoice: Sendable, Equatable, CustomStringConvertible {
    case none
    case top(Int)
    case all

    /// `--explain` without a count, and `explain=true` in the API.
    public static let defaultTop = 3

    /// Parses what `--explain` and the API's `explain` take: a count `N` (0 is none), `topN` / `top N` /
    /// `top:N`, `all`, `none`, and `true` / `false` (top 3 / none) and the empty string (top 3).
    public init?(_ text: String) {
        let t = text.trimmingWhitespace(newlines: false).lowercased()
        switch t {
        case "", "true": self = .top(ExplainChoice.defaultTop)
        case "none", "false": self = .none
        case "all": self = .all
        default:
            var digits = Substring(t)
            if digits.hasPrefix("top") {
                digits = digits.dropFirst(3)
                if digits.first == " " || digits.first == ":" || digits.first == "=" { digits = digits.dropFirst() }
            }
            guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let n = Int(digits), n >= 0, n <= 100_000 else { return nil }
            self = n == 0 ? .none : .top(n)
        }
    }

    /// What the parser accepts, for error messages.
    public static let accepted = "a count N (top N columns by absolute contribution), 'all', or 'none'"

    public var description: String {
        switch self {
        case .none: return "none"
        case .top(let n): return "top \(n)"
        case .all: return "all"
        }
    }

    public var isNone: Bool { self == .none }
}
