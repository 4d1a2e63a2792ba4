import ChurnBase
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Numbers, durations, sizes and times as the console prints them: short, fixed precision, units attached.
public enum Format {
    /// "12.3", "1,234", "0.42": one decimal below 100, none above.
    public static func rate(_ v: Double) -> String {
        guard v.isFinite else { return "-" }
        if v >= 100 { return count(Int(v.rounded())) }
        return String(cFormat: "%.1f", v)
    }

    /// 1234567 → "1,234,567".
    public static func count(_ n: Int) -> String {
        let s = String(n.magnitude)
        var out = ""
        for (i, ch) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// 1234567 → "1.2M", 12345 → "12.3k", 999 → "999".
    public static func compact(_ n: Int) -> String {
        let a = Double(n.magnitude), sign = n < 0 ? "-" : ""
        if a >= 1e9 { return sign + String(cFormat: "%.1fG", a / 1e9) }
        if a >= 1e6 { return sign + String(cFormat: "%.1fM", a / 1e6) }
        if a >= 1e4 { return sign + String(cFormat: "%.1fk", a / 1e3) }
        return count(n)
    }

    /// Seconds as "850 µs", "45 ms", "1.20 s"; "-" when unknown.
    public static func latency(_ seconds: Double?, ascii: Bool = false) -> String {
        guard let s = seconds, s.isFinite else { return "-" }
        if s < 0.001 { return String(cFormat: "%.0f", s * 1e6) + (ascii ? " us" : " µs") }
        if s < 1 { return String(cFormat: s < 0.01 ? "%.1f ms" : "%.0f ms", s * 1000) }
        return String(cFormat: "%.2f s", s)
    }

    /// A share 0…1 as "1.2%".
    public static func percent(_ share: Double, digits: Int = 1) -> String {
        guard share.isFinite else { return "-" }
        return String(cFormat: "%.\(digits)f%%", share * 100)
    }

    /// Bytes as "34.1 MiB".
    public static func bytes(_ n: Int?) -> String {
        guard let n else { return "-" }
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var v = Double(n), i = 0
        while v >= 1024 && i < units.count - 1 { v /= 1024; i += 1 }
        return i == 0 ? "\(n) B" : String(cFormat: "%.1f", v) + " " + units[i]
    }

    /// A duration in seconds as "42s", "3m05s", "2h14m", "3d04h".
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "-" }
        let s = Int(seconds.rounded(.down))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return String(cFormat: "%ldm%02lds", s / 60, s % 60) }
        if s < 86400 { return String(cFormat: "%ldh%02ldm", s / 3600, (s % 3600) / 60) }
        return String(cFormat: "%ldd%02ldh", s / 86400, (s % 86400) / 3600)
    }

    /// A refresh interval: "500ms", "1s", "30s", "1m".
    public static func interval(_ seconds: Double) -> String {
        if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
        if seconds >= 60 && seconds.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(seconds / 60))m" }
        return seconds == seconds.rounded() ? "\(Int(seconds))s" : String(cFormat: "%.1fs", seconds)
    }

    /// Wall-clock time "hh:mm:ss" in `timeZone`. Plain arithmetic on the zone's offset: the status line draws a
    /// clock every second, and a Calendar per call allocated on every frame.
    public static func clock(_ date: Date, timeZone: ClockZone) -> String {
        let (_, _, _, h, m, sec) = civil(date, timeZone)
        return two(h) + ":" + two(m) + ":" + two(sec)
    }

    /// Date "yyyy-mm-dd hh:mm" in `timeZone`.
    public static func dateTime(_ date: Date, timeZone: ClockZone) -> String {
        let (y, mo, d, h, m, _) = civil(date, timeZone)
        return (y < 1000 ? String(repeating: "0", count: y < 10 ? 3 : y < 100 ? 2 : 1) : "") + "\(y)-" + two(mo) + "-" + two(d)
            + " " + two(h) + ":" + two(m)
    }

    static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// Proleptic Gregorian year, month, day, hour, minute, second of `date` in `timeZone` (days to civil date by
    /// the era arithmetic: 400-year eras of 146,097 days, years starting in March).
    static func civil(_ date: Date, _ timeZone: ClockZone) -> (Int, Int, Int, Int, Int, Int) {
        let t = Int(date.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: date)
        let days = t >= 0 ? t / 86400 : (t - 86399) / 86400
        let secs = t - days * 86400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d, secs / 3600, secs % 3600 / 60, secs % 60)
    }

    /// Fixed decimals: fixed(0.4123, 3) → "0.412"; "-" when nil or not finite.
    public static func fixed(_ v: Double?, _ digits: Int) -> String {
        guard let v, v.isFinite else { return "-" }
        return String(cFormat: "%.\(digits)f", v)
    }

    /// Pads or cuts `text` to exactly `width` columns (left-aligned).
    public static func pad(_ text: String, _ width: Int) -> String {
        let w = DisplayText.width(text)
        if w >= width { return String(text.prefix(width)) }
        return text + String(repeating: " ", count: width - w)
    }

    /// Right-aligns `text` in `width` columns.
    public static func padLeft(_ text: String, _ width: Int) -> String {
        let w = DisplayText.width(text)
        if w >= width { return text }
        return String(repeating: " ", count: width - w) + text
    }
}
