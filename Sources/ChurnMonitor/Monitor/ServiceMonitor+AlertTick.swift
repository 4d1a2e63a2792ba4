#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization
import ChurnModel

/// The alert tick: once a second the monitor loop expires old drift slots, samples the drift history and
/// evaluates the alert rules.
extension ServiceMonitor {
    /// Expires old drift slots, samples drift history and evaluates alert rules (call about once a second).
    @discardableResult
    public func tick(now: Date = Date()) -> [AlertTransition] {
        let second = Int(now.timeIntervalSince1970)
        return state.withLock { s in
            s.production.drift.expire(now: second)
            s.canary?.drift.expire(now: second)
            let report = s.production.driftReport(threshold: configuration.driftThreshold)
            let step = configuration.historyStep
            let epoch = second / step
            let score = (configuration.isWarm(report) ? report.score : 0)
            if s.driftHistory.last?.epoch != epoch {
                s.driftHistory.append((epoch, score))
                if s.driftHistory.count > configuration.historyPoints + 1 { s.driftHistory.removeFirst() }
            } else {
                s.driftHistory[s.driftHistory.count - 1].score = score
            }
            let five = s.ring.window(now: second, length: 300)
            let f1 = s.ledger.status(threshold: configuration.alerts.f1).value
            let inputs = AlertInputs(errorRate5m: five.requests > 0 ? five.errorRate : nil, p99Latency5m: five.p99,
                                     driftScore: configuration.isWarm(report) ? report.score : nil, f1: f1)
            let made = s.alerts.evaluate(inputs, now: now)
            s.pendingTransitions += made
            return made
        }
    }
}
