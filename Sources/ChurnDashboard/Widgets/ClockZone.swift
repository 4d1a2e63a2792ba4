#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The zone the console's clock and dates are shown in. Local time comes from the C library (`TZ`, else
/// /etc/localtime), not from `TimeZone`: without Foundation's ICU, `TimeZone.current` knows only GMT.
public enum ClockZone: Sendable, Equatable {
    /// The process's local zone, daylight saving included.
    case local
    case utc
    /// A fixed offset east of UTC, in seconds.
    case fixed(seconds: Int)

    /// Seconds east of UTC at `date`.
    public func secondsFromGMT(for date: Date) -> Int {
        switch self {
        case .utc: return 0
        case .fixed(let seconds): return seconds
        case .local:
            var t = time_t(date.timeIntervalSince1970.rounded(.down))
            var parts = tm()
            guard localtime_r(&t, &parts) != nil else { return 0 }
            return Int(parts.tm_gmtoff)
        }
    }
}
