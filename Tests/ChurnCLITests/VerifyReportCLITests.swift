import ChurnTestSupport
import Foundation
import Testing

/// `churn import verify`'s report as people and scripts read it: counts, thread word, the timing figures' fixed
/// decimals and the tolerance in C's %e style (printf formatting, no Foundation).
@Suite("churn import verify report")
struct VerifyReportCLITests {
    static let fixtures = ChurnBinary.packageRoot + "/Tests/ChurnDashboardTests/Fixtures"

    func churn(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
        let r = try run(ChurnBinary.path, args)
        return (r.status, String(decoding: r.stdout, as: UTF8.self), String(decoding: r.stderr, as: UTF8.self))
    }

    @Test("one thread and two, a comparison within and one past a tight tolerance")
    func reportLines() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let model = Self.fixtures + "/model.json", customers = Self.fixtures + "/customers.csv"
        let scored = try churn(["score", customers, "-o", dir.file("scored.csv"), "--model", model])
        #expect(scored.status == 0, "\(scored.err)")

        let one = try churn(["import", "verify", model, customers, "--expected", dir.file("scored.csv"),
                             "--column", "churn_probability", "--threads", "1", "--repeat", "2"])
        #expect(one.status == 0, "\(one.err)")
        let lines = one.out.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.wholeMatch(of: /Time       median \d+\.\d{3} s on 1 thread \(\d+ rows\/s\); runs: \d+\.\d{3} \d+\.\d{3}/) != nil },
                "\(one.out)")
        // The file holds six decimals: the difference is at most half a unit in the last, within 1e-06.
        #expect(lines.contains { $0.wholeMatch(of: /Compared   300 rows: largest difference [0-9.e-]+, 0 over 1e-06/) != nil }, "\(one.out)")

        let tight = try churn(["import", "verify", model, customers, "--expected", dir.file("scored.csv"),
                               "--column", "churn_probability", "--threads", "2", "--tolerance", "0.000000001"])
        #expect(tight.status == 1, "\(tight.out)\(tight.err)")
        #expect(tight.out.contains(/Time       median \d+\.\d{3} s on 2 threads \(\d+ rows\/s\); runs: \d+\.\d{3}\n/), "\(tight.out)")
        let over = try #require(tight.out.firstMatch(of: /Compared   300 rows: largest difference ([0-9.e-]+), (\d+) over 1e-09/), "\(tight.out)")
        #expect(Int(over.2)! > 0 && Int(over.2)! <= 300)
        #expect(Double(over.1)! > 1e-9 && Double(over.1)! <= 5e-7)
    }
}
