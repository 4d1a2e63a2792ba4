/// Request traffic second by second over the last 15 minutes, in a fixed ring: the source of the 1/5/15-minute
/// windows and of the sparkline history. Not thread-safe; `ServiceMonitor` guards it.
struct TrafficRing {
    struct Slot {
        var epoch = -1
        var requests = 0
        var errors = 0
        var latency = LatencyHistogram()
        var predictions = 0
    }

    static let span = 900
    private var slots = [Slot](repeating: Slot(), count: TrafficRing.span)

    private mutating func slot(_ second: Int) -> Int {
        let i = second % TrafficRing.span
        if slots[i].epoch != second {
            slots[i] = Slot()
            slots[i].epoch = second
        }
        return i
    }

    mutating func record(second: Int, status: Int, seconds: Double) {
        let i = slot(second)
        slots[i].requests += 1
        if status >= 500 { slots[i].errors += 1 }
        slots[i].latency.record(seconds)
    }

    mutating func recordPredictions(second: Int, count: Int) {
        let i = slot(second)
        slots[i].predictions += count
    }

    /// Totals over the `length` seconds ending at `now` (inclusive).
    func window(now: Int, length: Int) -> TrafficWindow {
        var requests = 0
        var errors = 0
        var predictions = 0
        var latency = LatencyHistogram()
        let from = now - length + 1
        for s in slots where s.epoch >= from && s.epoch <= now {
            requests += s.requests
            errors += s.errors
            predictions += s.predictions
            latency.add(s.latency)
        }
        return TrafficWindow(seconds: length, requests: requests, requestRate: Double(requests) / Double(length),
                             errors: errors, errorRate: requests > 0 ? Double(errors) / Double(requests) : 0,
                             p50: latency.quantile(0.5), p95: latency.quantile(0.95), p99: latency.quantile(0.99),
                             predictions: predictions)
    }

    /// Per-step series over the last `points` complete steps before `now`, oldest first.
    func history(now: Int, step: Int, points: Int) -> (rate: [Double], p95: [Double?], p99: [Double?], errorRate: [Double]) {
        var rate: [Double] = []
        var p95: [Double?] = []
        var p99: [Double?] = []
        var errorRate: [Double] = []
        let lastEnd = now - now % step // exclusive end of the last complete step
        for k in stride(from: points, through: 1, by: -1) {
            let start = lastEnd - k * step
            var requests = 0
            var errors = 0
            var latency = LatencyHistogram()
            for s in slots where s.epoch >= start && s.epoch < start + step {
                requests += s.requests
                errors += s.errors
                latency.add(s.latency)
            }
            rate.append(Double(requests) / Double(step))
            p95.append(latency.quantile(0.95))
            p99.append(latency.quantile(0.99))
            errorRate.append(requests > 0 ? Double(errors) / Double(requests) : 0)
        }
        return (rate, p95, p99, errorRate)
    }
}
