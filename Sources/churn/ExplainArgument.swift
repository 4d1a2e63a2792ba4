import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Gives `churn score --explain` its optional value before the argument parser sees the command line: a bare
/// `--explain` (last, or followed by an option or by what is plainly the input file) becomes `--explain 3`.
/// Anything else after it is left as its value, so a typo gets the option's own error rather than a stray argument.
enum ExplainArgument {
    static func normalized(_ arguments: [String]) -> [String] {
        guard arguments.first == "score", let k = arguments.firstIndex(of: "--explain") else { return arguments }
        if k + 1 < arguments.count {
            let next = arguments[k + 1]
            let isFile = next.contains("/") || next.lowercased().hasSuffix(".csv") || FileManager.default.fileExists(atPath: next)
            if !next.hasPrefix("-") && (ExplainChoice(next) != nil || !isFile) { return arguments }
        }
        var out = arguments
        out.insert(String(ExplainChoice.defaultTop), at: k + 1)
        return out
    }
}
