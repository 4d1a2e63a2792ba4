import ChurnBase
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The time span the console's histories cover, like a Grafana time picker: `live` is the last 15 minutes as
/// the serving process itself counts them (second by second, in memory); the others are read from the metrics
/// store's 10-second and 5-minute intervals, an API's `?range=`, or PromQL `query_range`.
///
/// Each range has a fixed step and point count, so a 7-day answer is as small as a 15-minute one (the console
/// resamples the points to its tiles' width).
public enum HistoryRange: String, CaseIterable, Codable, Sendable, Comparable {
    case live
    case minutes15 = "15m"
    case hour1 = "1h"
    case hours6 = "6h"
    case hours24 = "24h"
    case days7 = "7d"

    /// The name on screen, on the command line and in `?range=`.
    public var label: String { rawValue }

    /// Seconds the range covers.
    public var seconds: Int { step * points }

    /// Seconds per point: a multiple of the store's 10-second intervals, and of its 5-minute ones from 24 hours up
    /// (the store keeps 10-second intervals for a day, so longer ranges read 5-minute ones).
    public var step: Int {
        switch self {
        case .live, .minutes15: 10
        case .hour1: 20
        case .hours6: 120
        case .hours24: 600
        case .days7: 3600
        }
    }

    /// Points in a history of this range.
    public var points: Int {
        switch self {
        case .live, .minutes15: 90
        case .hour1, .hours6: 180
        case .hours24: 144
        case .days7: 168
        }
    }

    /// The start of the range relative to now, for the left end of a chart ("-24h").
    public var startLabel: String { self == .live ? "-15m" : "-" + rawValue }

    /// Every accepted name, for messages: "live, 15m, 1h, 6h, 24h, 7d".
    public static var accepted: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// Parses a range name (case-insensitive, surrounding blanks ignored).
    public static func parse(_ text: String) throws(HistoryRangeError) -> HistoryRange {
        let t = text.trimmingWhitespace(newlines: false).lowercased()
        guard let r = HistoryRange(rawValue: t) else { throw HistoryRangeError(text: text) }
        return r
    }

    /// The next range in the cycle (wraps from 7d to live); `by: -1` goes back.
    public func cycled(by delta: Int) -> HistoryRange {
        let all = HistoryRange.allCases
        let i = all.firstIndex(of: self)!
        return all[((i + delta) % all.count + all.count) % all.count]
    }

    public static func < (a: HistoryRange, b: HistoryRange) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
