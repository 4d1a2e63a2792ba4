import ArgumentParser
import ChurnMonitor

/// `--range live|15m|1h|6h|24h|7d`; anything else is refused with the list of ranges.
extension HistoryRange: ExpressibleByArgument {
    public init?(argument: String) {
        guard let r = try? HistoryRange.parse(argument) else { return nil }
        self = r
    }

    public static var allValueStrings: [String] { allCases.map(\.rawValue) }

    public var defaultValueDescription: String { rawValue }
}
