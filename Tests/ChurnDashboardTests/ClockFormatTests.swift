@testable import ChurnDashboard
import Foundation
import Testing

/// The status line's clock and the panels' dates come from plain arithmetic on the zone's offset; they must agree
/// with Foundation's Gregorian calendar everywhere (before 1970, leap days, zones east and west, half hours). The
/// offset comes from ICU's zone here (the test binary links full Foundation) and from the C library in the product.
@Suite("Clock and date formatting")
struct ClockFormatTests {
    @Test("clock and dateTime agree with Calendar across dates and zones",
          arguments: ["UTC", "America/New_York", "Asia/Kolkata", "Pacific/Chatham", "America/St_Johns", "Pacific/Kiritimati"])
    func agreesWithCalendar(_ zone: String) throws {
        let tz = try #require(TimeZone(identifier: zone))
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = tz
        var dates: [Date] = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -1), Date(timeIntervalSince1970: 951_782_400),
                             Date(timeIntervalSince1970: 4_107_542_399), Date(timeIntervalSince1970: -2_208_988_800.5)]
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<2000 {
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            dates.append(Date(timeIntervalSince1970: Double(Int64(bitPattern: x >> 1) % 8_000_000_000) - 2_000_000_000 + 0.25))
        }
        for d in dates {
            let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: d)
            let clock = String(format: "%02d:%02d:%02d", c.hour!, c.minute!, c.second!)
            let date = String(format: "%04d-%02d-%02d %02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
            let offset = ClockZone.fixed(seconds: tz.secondsFromGMT(for: d))
            #expect(Format.clock(d, timeZone: offset) == clock, "\(d) in \(zone)")
            #expect(Format.dateTime(d, timeZone: offset) == date, "\(d) in \(zone)")
        }
    }
}
