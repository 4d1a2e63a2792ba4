import ChurnMonitor
import Foundation
import Logging
import ServiceLifecycle

/// The server's background work: evaluates alert rules every second, flushes metrics to the store every
/// flush interval, downsamples the store every ten minutes, and flushes once more on shutdown.
struct MonitorLoop: Service {
    let monitor: ServiceMonitor
    let flushInterval: Double
    let logger: Logger

    func run() async throws {
        if let store = monitor.store { try? store.retain() }
        try? await cancelWhenGracefulShutdown {
            var lastFlush = ContinuousClock.now
            var lastRetain = ContinuousClock.now
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(1))
                for t in monitor.tick() {
                    logger.info("alert \(t.name): \(t.from.rawValue) -> \(t.to.rawValue)", metadata: ["value": "\(t.value.map { String($0) } ?? "none")"])
                }
                if ContinuousClock.now - lastFlush >= .seconds(flushInterval) {
                    lastFlush = .now
                    flush()
                }
                if ContinuousClock.now - lastRetain >= .seconds(600), let store = monitor.store {
                    lastRetain = .now
                    do { try store.retain() } catch { logger.error("metrics store retention failed: \(error)") }
                }
            }
        }
        flush()
    }

    func flush() {
        do { try monitor.flush() } catch { logger.error("metrics store flush failed (will retry): \(error)") }
    }
}
