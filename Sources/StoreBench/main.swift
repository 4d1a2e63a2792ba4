// Busy flushes into a real metrics store, for scripts/bench/store.sh: each round records 60,000 new customers and
// times the flush that writes them, then records the same customers again (scored anew) and times that flush (all
// updates in place). Prints the median seconds of each kind over the rounds. Declared only with CHURN_STOREBENCH=1.
import ChurnBase
import ChurnModel
import ChurnMonitor
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

let dir = FileManager.default.temporaryDirectory.path + "/churn-store-bench-\(UUID().uuidString)"
defer { try? FileManager.default.removeItem(atPath: dir) }
var config = ServiceMonitor.Configuration()
config.maxPendingPredictions = 1_000_000
let monitor = try ServiceMonitor(engine: ScoringEngine(artifact: ModelArtifact.bundledDefault()),
                                 store: MetricsStore(path: dir + "/m.sqlite"), configuration: config)
let rounds = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 6
let perFlush = 60_000
let t0 = Date(timeIntervalSince1970: 1_800_000_000)

func timedFlush(_ events: [PredictionEvent], at: Date) throws -> Double {
    monitor.recordPredictions(events, now: at)
    let start = ContinuousClock.now
    try monitor.flush(now: at)
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

var inserts: [Double] = []
var updates: [Double] = []
for r in 0..<rounds {
    let ids = (0..<perFlush).map { "round\(r)-customer-\($0)" }
    let at = t0.addingTimeInterval(Double(r))
    inserts.append(try timedFlush(ids.enumerated().map { i, id in
        PredictionEvent(customerID: id, probability: Double(i % 100) / 100, risk: .low, bins: [])
    }, at: at))
    updates.append(try timedFlush(ids.map { PredictionEvent(customerID: $0, probability: 0.9, risk: .high, bins: []) },
                                  at: at.addingTimeInterval(0.5)))
}
print(String(cFormat: "new %.4f update %.4f", median(inserts), median(updates)))
