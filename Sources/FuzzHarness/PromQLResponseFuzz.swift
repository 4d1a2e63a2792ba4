import ChurnMonitor
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One fuzz input through the decoders of Prometheus's HTTP API answers that the console's `--prometheus` source
/// reads: query results (`/api/v1/query`, `/api/v1/query_range`) and alerting rules (`/api/v1/rules`), then the
/// split of samples and series by the `churn_query` label that the fleet view applies.
///
/// Besides "does not crash": the decoder promises that every input decodes or throws a `PromQLError` (typed
/// throws make that a compile-time fact); the harness checks that decoded times are finite and that splitting
/// never makes more samples or series than it was given.
public enum PromQLResponseFuzz {
    /// Runs one input; returns the first broken invariant, or nil.
    public static func run(_ input: [UInt8]) -> String? {
        let data = Data(input)
        _ = try? PrometheusRulesResponse.decode(data)
        let response: PromQLResponse
        do {
            response = try PromQLResponse.decode(data)
        } catch {
            _ = error.description
            return nil
        }
        if let samples = try? response.vector() {
            if samples.contains(where: { !$0.time.isFinite }) { return "a decoded sample has a non-finite time" }
            let parts = FleetQueries.split(samples)
            if parts.values.reduce(0, { $0 + $1.count }) > samples.count { return "splitting \(samples.count) samples made more" }
        }
        if let series = try? response.matrix() {
            if series.contains(where: { $0.points.contains { !$0.time.isFinite } }) { return "a decoded point has a non-finite time" }
            let parts = FleetQueries.split(series)
            if parts.values.reduce(0, { $0 + $1.count }) > series.count { return "splitting \(series.count) series made more" }
        }
        return nil
    }
}
