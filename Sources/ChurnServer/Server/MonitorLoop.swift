import ChurnBase
import ChurnModel
import ChurnMonitor
import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import ServiceLifecycle

/// The server's background work: evaluates alert rules every second, flushes metrics to the store every
/// flush interval, downsamples and ages out old data every minute, and flushes once more on shutdown.
struct MonitorLoop: Service {
    let monitor: ServiceMonitor
    let flushInterval: Double
    let logger: Logger

    func run() async throws {
        if let store = monitor.store { await Self.offPool { try? store.retain() } }
        try? await cancelWhenGracefulShutdown {
            // Each job wakes at its own deadline: flushes checked on one-second ticks slipped by up to a second, and
            // a kill -9 then lost up to flushInterval + 1 s of metrics instead of one flush interval.
            let clock = ContinuousClock()
            var nextTick = clock.now + .seconds(1)
            var nextFlush = clock.now + .seconds(flushInterval)
            // Retention (downsampling, age limits) once a minute; the prediction log's cap is kept by each flush.
            var nextRetain = clock.now + .seconds(60)
            while !Task.isCancelled {
                try await Task.sleep(until: min(nextTick, nextFlush), clock: clock)
                if clock.now >= nextTick {
                    nextTick = clock.now + .seconds(1)
                    for t in monitor.tick() {
                        logger.info("alert \(t.name): \(t.from.rawValue) -> \(t.to.rawValue)", metadata: ["value": "\(t.value.map { String($0) } ?? "none")"])
                    }
                    // A busy server flushes early rather than hold a whole interval of new customers: the batch a
                    // flush builds and writes is the resident-memory peak, and its size is what made that peak
                    // vary from one soak run to the next.
                    if monitor.store != nil && monitor.pendingPredictionCount >= Self.earlyFlushRows { nextFlush = min(nextFlush, clock.now) }
                }
                if clock.now >= nextFlush {
                    nextFlush = clock.now + .seconds(flushInterval)
                    await Self.offPool { flush() }
                }
                if clock.now >= nextRetain, let store = monitor.store {
                    nextRetain = clock.now + .seconds(60)
                    let logger = self.logger
                    await Self.offPool {
                        do { try store.retain() } catch { logger.error("metrics store retention failed: \(error)") }
                    }
                }
            }
        }
        await Self.offPool { flush() }
    }

    /// Prediction-log rows that trigger a flush before the interval is up.
    static let earlyFlushRows = 40_000

    /// Runs blocking SQLite work on a Dispatch thread. Swift's cooperative pool has one thread per core (two on a
    /// small pod), and a flush or retention pass holding one of them stalls request handling for its duration.
    static func offPool(_ work: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DispatchQueue.global(qos: .utility).async {
                work()
                done.resume()
            }
        }
    }

    func flush() {
        let started = ContinuousClock.now
        do { try monitor.flush() } catch { logger.error("metrics store flush failed (will retry): \(error)") }
        Allocator.returnFreedMemory()
        let dropped = monitor.newlyDroppedPredictions()
        if dropped > 0 {
            logger.warning("prediction log full (\(monitor.configuration.maxPendingPredictions) rows waiting for the store): \(dropped) predictions were not logged; feedback for those customers will not match (churn_prediction_log_dropped_total)")
        }
        let seconds = (ContinuousClock.now - started).inSeconds
        if seconds > flushInterval {
            logger.warning("metrics store flush took \(String(cFormat: "%.2f", seconds)) s, longer than the \(flushInterval) s interval: the store is falling behind the traffic")
        } else {
            logger.debug("metrics store flush took \(String(cFormat: "%.3f", seconds)) s")
        }
    }
}
