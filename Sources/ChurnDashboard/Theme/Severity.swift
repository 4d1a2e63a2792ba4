/// How worried an operator should be about a value. Shown by symbol and emphasis, with colour only on top.
public enum Severity: Int, Sendable, Equatable, Comparable {
    case unknown
    case ok
    case warn
    case crit

    public static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }

    /// A short word for screen readers, plain-text snapshots and tests.
    public var word: String {
        switch self {
        case .unknown: "n/a"
        case .ok: "ok"
        case .warn: "warn"
        case .crit: "crit"
        }
    }
}
