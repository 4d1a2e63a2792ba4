import ChurnDashboard
import ChurnMonitor
import ChurnTestSupport
import Foundation
import Testing

/// Times on screen are in the user's local zone, taken from TZ (else /etc/localtime) by the C library: the
/// product does not load ICU, whose TimeZone would have known it. Run through the built binary, so the zone is
/// the process's own.
@Suite("Local clock")
struct LocalClockTests {
    /// `churn snapshot --from` a saved snapshot taken at 10:00:00 UTC, alerts panel, with `TZ` set to `zone`.
    func alertsFrame(tz zone: String) throws -> String {
        let dir = TempDir()
        defer { dir.cleanup() }
        let saved = dir.file("snap.json")
        try SnapshotJSON.encode(Fixtures.snapshot()).write(to: URL(fileURLWithPath: saved))
        let result = try run("/usr/bin/env", ["TZ=\(zone)", ChurnBinary.path, "snapshot", "--from", saved, "--panel", "alerts",
                                              "--width", "100", "--height", "30", "--ascii"])
        let text = String(decoding: result.stdout, as: UTF8.self)
        #expect(result.status == 0, "\(String(decoding: result.stderr, as: UTF8.self))")
        return text
    }

    @Test("the alerts' times follow TZ: UTC, half an hour east, half an hour west in winter",
          arguments: [("UTC", "09:59:15"), ("Asia/Kolkata", "15:29:15"), ("America/St_Johns", "06:29:15")])
    func followsTZ(_ zone: String, _ pendingAt: String) throws {
        let text = try alertsFrame(tz: zone)
        // HighLatencyP99 went pending 45 s before the snapshot was taken.
        #expect(text.contains(pendingAt), "\(zone):\n\(text)")
        for other in ["09:59:15", "15:29:15", "06:29:15"] where other != pendingAt {
            #expect(!text.contains(other), "\(zone) shows \(other):\n\(text)")
        }
    }

    @Test("UTC is no offset and a fixed zone its own")
    func zoneOffsets() {
        let d = Fixtures.t0
        #expect(ClockZone.utc.secondsFromGMT(for: d) == 0)
        #expect(ClockZone.fixed(seconds: 19800).secondsFromGMT(for: d) == 19800)
        #expect(Format.clock(d, timeZone: .fixed(seconds: 19800)) == "15:30:00")
    }
}
