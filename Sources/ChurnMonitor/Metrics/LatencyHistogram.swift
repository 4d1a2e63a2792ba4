/// Latency counts in fixed, log-spaced buckets from 10 µs to 10 s: fine enough to estimate p99 of sub-millisecond
/// requests, coarse enough to add, subtract and store cheaply.
///
/// Bucket `i` holds durations `bounds[i-1] < d <= bounds[i]`; the last bucket holds everything above 10 s.
/// The Prometheus histogram exposes a subset of the bounds (`exportedBounds`), each one of `bounds`.
public struct LatencyHistogram: Codable, Sendable, Equatable {
    /// Upper bounds in seconds: 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times each power of ten from 1e-5 to 1.
    public static let bounds: [Double] = {
        let steps: [Double] = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8]
        var b: [Double] = []
        var decade = 1e-5
        for _ in 0..<6 {
            for s in steps { b.append((s * decade * 1e9).rounded() / 1e9) }
            decade *= 10
        }
        b.append(10)
        return b
    }()

    /// The `le` bounds of `http_request_duration_seconds`.
    public static let exportedBounds: [Double] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    public var counts: [Int]
    public var sum: Double

    public init() {
        counts = [Int](repeating: 0, count: LatencyHistogram.bounds.count + 1)
        sum = 0
    }

    public var total: Int { counts.reduce(0, +) }

    @inline(__always)
    public static func bucket(_ seconds: Double) -> Int {
        var lo = 0
        var hi = bounds.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if bounds[mid] < seconds { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    @inline(__always)
    public mutating func record(_ seconds: Double) {
        counts[LatencyHistogram.bucket(seconds)] += 1
        sum += seconds
    }

    public mutating func add(_ other: LatencyHistogram) {
        for i in counts.indices { counts[i] += other.counts[i] }
        sum += other.sum
    }

    public mutating func subtract(_ other: LatencyHistogram) {
        for i in counts.indices { counts[i] -= other.counts[i] }
        sum -= other.sum
    }

    /// The q-quantile (0 < q < 1), interpolated linearly inside its bucket; nil when empty.
    public func quantile(_ q: Double) -> Double? {
        let n = total
        guard n > 0 else { return nil }
        let rank = q * Double(n)
        var seen = 0
        for (i, c) in counts.enumerated() where c > 0 {
            if Double(seen + c) >= rank {
                let lower = i == 0 ? 0 : LatencyHistogram.bounds[i - 1]
                let upper = i < LatencyHistogram.bounds.count ? LatencyHistogram.bounds[i] : LatencyHistogram.bounds.last! * 2
                let within = (rank - Double(seen)) / Double(c)
                return lower + (upper - lower) * min(max(within, 0), 1)
            }
            seen += c
        }
        return LatencyHistogram.bounds.last
    }

    /// Cumulative counts at each exported bound (Prometheus `le` buckets, without +Inf).
    public func cumulative(at exported: [Double] = LatencyHistogram.exportedBounds) -> [Int] {
        var out: [Int] = []
        var running = 0
        var i = 0
        for bound in exported {
            while i < LatencyHistogram.bounds.count && LatencyHistogram.bounds[i] <= bound + 1e-15 {
                running += counts[i]
                i += 1
            }
            out.append(running)
        }
        return out
    }
}
