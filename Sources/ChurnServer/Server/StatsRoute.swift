import ChurnMonitor
import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird

/// `GET /api/v1/stats[?range=live|15m|1h|6h|24h|7d]`: the console's snapshot, with histories over the range asked
/// for (read from the metrics store; a server without one answers live and says so in `warnings`).
enum StatsRoute {
    static func answer(_ request: Request, _ service: ScoringService) async -> Response {
        let range: HistoryRange
        if let text = request.uri.queryParameters["range"].map(String.init) {
            do {
                range = try HistoryRange.parse(text)
            } catch {
                return APIResponse.error(.badRequest, code: "invalid_range", message: "range must be one of \(HistoryRange.accepted), got '\(text)'",
                                         fields: [FieldProblem(field: "range", problem: "must be one of \(HistoryRange.accepted)")])
            }
        } else {
            range = .live
        }
        let monitor = service.monitor
        guard range != .live else { return APIResponse.json(.ok, encoding: monitor.snapshot(range: .live, source: "api")) }
        // The first read of a long range decodes days of intervals: off the request threads, like the store's flushes.
        let snapshot = await withCheckedContinuation { (done: CheckedContinuation<MonitorSnapshot, Never>) in
            DispatchQueue.global(qos: .userInitiated).async { done.resume(returning: monitor.snapshot(range: range, source: "api")) }
        }
        return APIResponse.json(.ok, encoding: snapshot)
    }
}
