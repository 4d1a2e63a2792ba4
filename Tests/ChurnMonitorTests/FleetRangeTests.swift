import ChurnModel
import ChurnTestSupport
import Foundation
import Testing
@testable import ChurnMonitor

/// The fleet source's range histories: one `query_range` at the range's step, drift per step from bin increases.
@Suite("Fleet ranges", .serialized)
struct FleetRangeTests {
    let fleet = try! FleetSnapshotSourceTests()

    @Test("24h asks query_range for 144 points of 600 s and turns the answer into rate, high-risk share and drift per step")
    func dayRange() async throws {
        let p = try FakePrometheus()
        defer { p.stop() }
        let end = 1_800_000_000 - 1_800_000_000 % 600
        var series = [#"{"metric":{"churn_query":"rate"},"values":[[\#(end - 600),"3"],[\#(end),"5"]]}"#,
                      #"{"metric":{"churn_query":"high_share"},"values":[[\#(end),"0.25"]]}"#]
        // Every row in bin 0 at the last step (drifted); none earlier.
        for column in fleet.artifact.reference.columns {
            series.append(#"{"metric":{"churn_query":"drift_bins","feature":"\#(column.name)","bin":"0"},"values":[[\#(end),"400"]]}"#)
        }
        p.answer("/api/v1/query_range", .init(status: 200, body: #"{"status":"success","data":{"resultType":"matrix","result":["#
            + series.joined(separator: ",") + "]}}"))
        p.answer("/api/v1/query", .init(status: 200, body: fleet.fleet()))
        p.answer("/api/v1/rules", .init(status: 200, body: fleet.rules))
        let snap = try await fleet.source(p).snapshot(now: fleet.t0, range: .hours24)
        let h = snap.history
        #expect(h.range == "24h" && h.step == 600 && h.requestRate.count == 144)
        #expect(h.requestRate.suffix(2) == [3, 5])
        #expect(h.highRiskShare?.last == 0.25)
        #expect(h.driftScore.count == 144)
        #expect((h.driftScore.last ?? 0) > 0.5 && h.driftScore.dropLast().allSatisfy { $0 == 0 })
        let range = try #require(p.requests.withLock { $0 }.first { $0.hasPrefix("POST /api/v1/query_range ") })
        #expect(range.contains("step=600"))
        let form = range.removingPercentEncoding ?? ""
        #expect(form.contains("[600s]"), "rates over one step")
        #expect(form.contains("drift_bins") && form.contains("high_share"))
    }
}
