import ChurnModel

/// Gives `churn score --explain` its optional value before the argument parser sees the command line: a bare
/// `--explain` (last, or followed by anything that is not an explain value, such as the input file) becomes
/// `--explain 3`.
enum ExplainArgument {
    static func normalized(_ arguments: [String]) -> [String] {
        guard arguments.first == "score", let k = arguments.firstIndex(of: "--explain") else { return arguments }
        if k + 1 < arguments.count, !arguments[k + 1].isEmpty, ExplainChoice(arguments[k + 1]) != nil { return arguments }
        var out = arguments
        out.insert(String(ExplainChoice.defaultTop), at: k + 1)
        return out
    }
}
