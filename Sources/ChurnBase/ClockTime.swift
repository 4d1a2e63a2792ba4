#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A time of day or date written with C's `strftime` (`"%H:%M:%S"`, `"%Y-%m-%d %H:%M"`), in UTC or the local zone:
/// what DateFormatter did for display, without Foundation's ICU. `seconds` is since 1970 (`Date.timeIntervalSince1970`).
public func clockTime(_ seconds: Double, _ format: String, utc: Bool = false) -> String {
    var t = time_t(seconds.rounded(.down))
    var parts = tm()
    if utc { gmtime_r(&t, &parts) } else { localtime_r(&t, &parts) }
    var buffer = [CChar](repeating: 0, count: 96)
    let n = strftime(&buffer, buffer.count, format, &parts)
    return String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
