import ChurnTestSupport
import Foundation
import Testing
@testable import ChurnMonitor

/// The texts ChurnMonitor writes and reads without full Foundation (form encoding, Prometheus escaping, RFC 3339
/// times, printf numbers, files) stay exactly what Foundation made of them: each is pinned with literal examples and
/// checked against Foundation itself, which this test binary may still link.
@Suite("Wire texts without full Foundation")
struct WireTextTests {
    /// Inputs with every kind of character a query or a label carries: PromQL punctuation, spaces, controls,
    /// multi-byte letters, emoji, a "\r\n" pair (one Character, two scalars).
    static let samples = [
        "", "up", #"sum(rate(churn_requests_total{job="churn-api",status=~"5.."}[5m])) / 2"#, "a b+c&d=e%f",
        "-._~", "!*'();:@&=+$,/?#[]", "tab\there\nline\r\nnext\u{0}nul\u{7F}", "Zürich café", "東京", "😀👍🏽",
        #"back\slash "quoted""#, "1.5e-3", "\u{A0}nbsp\u{2028}", "é (e\u{301})",
    ]

    @Test("form encoding keeps ASCII letters, digits and -._~ and writes every other UTF-8 byte as upper-case %XX")
    func formEncoding() {
        #expect(PrometheusClient.formEncode("") == "")
        #expect(PrometheusClient.formEncode("AZaz09-._~") == "AZaz09-._~")
        #expect(PrometheusClient.formEncode(#"up{job="churn-api"} > 0.5"#) == "up%7Bjob%3D%22churn-api%22%7D%20%3E%200.5")
        #expect(PrometheusClient.formEncode("a+b&c=d/e") == "a%2Bb%26c%3Dd%2Fe")
        #expect(PrometheusClient.formEncode("é\n😀") == "%C3%A9%0A%F0%9F%98%80")
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: "-._~")
        for s in Self.samples {
            #expect(PrometheusClient.formEncode(s) == s.addingPercentEncoding(withAllowedCharacters: allowed), "\(s.debugDescription)")
        }
    }

    @Test("Prometheus escaping: backslash, newline (also inside \\r\\n) and, in label values, double quotes")
    func escaping() {
        #expect(PrometheusText.escape(#"a\b"c"#) == #"a\\b\"c"#)
        #expect(PrometheusText.escape("one\r\ntwo\nthree") == "one\r\\ntwo\\nthree")
        #expect(PrometheusText.escape(#"say "hi""#, quotes: false) == #"say "hi""#)
        #expect(PrometheusText.escape("plain") == "plain")
        for s in Self.samples {
            let label = s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n")
            let help = s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
            #expect(PrometheusText.escape(s) == label, "\(s.debugDescription)")
            #expect(PrometheusText.escape(s, quotes: false) == help, "\(s.debugDescription)")
        }
        var text = PrometheusText()
        text.family("churn_x", type: "gauge", help: "a \"quoted\" help\\text\r\nover lines")
        text.sample("churn_x", ["model_version": "v\"1\"\n"], 1)
        #expect(text.output == "# HELP churn_x a \"quoted\" help\\\\text\r\\nover lines\n# TYPE churn_x gauge\nchurn_x{model_version=\"v\\\"1\\\"\\n\"} 1\n")
    }

    @Test("RFC 3339 times as Prometheus writes them: nanosecond fractions kept, zones applied, anything else nil")
    func rfc3339() throws {
        let base = 1_717_243_200.0 // 2024-06-01T12:00:00Z
        #expect(RFC3339.parse("2024-06-01T12:00:00Z")?.timeIntervalSince1970 == base)
        #expect(RFC3339.parse("2024-06-01T14:00:00+02:00")?.timeIntervalSince1970 == base)
        #expect(RFC3339.parse("2024-06-01T07:30:00-04:30")?.timeIntervalSince1970 == base)
        let nanos = try #require(RFC3339.parse("2024-06-01T12:00:00.123456789Z")).timeIntervalSince1970
        #expect(abs(nanos - (base + 0.123456789)) < 1e-6)
        #expect(RFC3339.parse("2024-06-01T12:00:00.5+01:00")?.timeIntervalSince1970 == base - 3600 + 0.5)
        let foundation = ISO8601DateFormatter()
        foundation.formatOptions = [.withInternetDateTime]
        for bad in ["", "yesterday", "2024-06-01", "2024-13-01T12:00:00Z", "12:00:00Z"] {
            #expect(RFC3339.parse(bad) == nil, "\(bad)")
            #expect(foundation.date(from: bad) == nil, "\(bad)")
        }
        for t in stride(from: 0.0, to: 4_000_000_000, by: 123_456_789.0) {
            let text = foundation.string(from: Date(timeIntervalSince1970: t))
            #expect(RFC3339.parse(text)?.timeIntervalSince1970 == t, "\(text)")
        }
    }

    @Test("printf numbers: alert percentages, Prometheus times and durations read as String(format:) wrote them")
    func printfNumbers() {
        #expect(AlertRule.percentText(0.05) == "5%")
        #expect(AlertRule.percentText(0.125) == "12.5%")
        #expect(PrometheusClient.timeText(Date(timeIntervalSince1970: 1_717_243_200.25)) == "1717243200.250")
        #expect(PrometheusClient.seconds(15) == "15s")
        #expect(PrometheusClient.seconds(2.5) == "2.5s")
        for v in [0.0, 0.001, 0.02, 0.1, 1.0 / 3, 0.999999, 1, 12.5, 1e-9] {
            #expect(AlertRule.percentText(v) == String(format: "%g%%", v * 100))
            #expect(PrometheusClient.timeText(Date(timeIntervalSince1970: 1e9 + v)) == String(format: "%.3f", 1e9 + v))
            #expect(PrometheusClient.seconds(v * 7) == (v * 7 == (v * 7).rounded() ? "\(Int(v * 7))s" : String(format: "%.1fs", v * 7)))
        }
    }

    @Test("credential files: read and trimmed; a file that cannot be read names the file and says why in words")
    func credentialFiles() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let token = dir.write("token", "  tok-123 \t\nsecond line\n")
        #expect(try PrometheusAuth.bearerTokenFile(token).header() == "Bearer tok-123")
        func failure(_ auth: PrometheusAuth) -> String {
            do { _ = try auth.header(); return "no error" } catch { return error.description }
        }
        let missing = dir.file("missing")
        #expect(failure(.bearerTokenFile(missing)) == "cannot read the bearer token file \(missing): No such file or directory")
        #expect(failure(.basicAuthFile(dir.path)) == "cannot read the basic auth file \(dir.path): Is a directory")
        let binary = dir.write("binary", [0x74, 0x6F, 0xFF, 0xFE, 0x0A])
        #expect(failure(.bearerTokenFile(binary)) == "cannot read the bearer token file \(binary): not UTF-8 text")
        let empty = dir.write("empty", "\n\n")
        #expect(failure(.bearerTokenFile(empty)) == "the bearer token file \(empty) is empty")
    }

    @Test("/proc files, whose size reads as 0, are read to their end: resident memory and CPU time are known")
    func procFiles() throws {
        let statm = try TextFile.read("/proc/self/statm")
        #expect(statm.split(separator: " ").count >= 7)
        let resident = try #require(ProcessStats.residentBytes())
        #expect(resident > 1 << 20)
        #expect(try #require(ProcessStats.cpuSeconds()) >= 0)
    }
}
