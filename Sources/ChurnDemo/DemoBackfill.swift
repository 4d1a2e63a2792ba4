import ChurnModel
import ChurnMonitor
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The history `churn dashboard --demo` starts with, so every time range has something to show: seven days of
/// 5-minute intervals and the last day at 10 seconds (as long as the store keeps that resolution), with a daily
/// traffic pattern (quiet nights, a busy afternoon), a steady trickle of errors, latency that grows with load,
/// a risk mix that wanders, and two past drift episodes (three days ago in the afternoon, this night at 3 am).
///
/// Deterministic for a given `seed` and `now`; written in one transaction before the server's first flush.
public struct DemoBackfill: Sendable {
    public let profile: ReferenceProfile
    /// Columns that drift in the episodes (those `DemoCustomers` drifts live).
    public let drifting: Set<Int>
    public var days = 7
    public var fineSeconds: Double = 24 * 3600
    public var seed: UInt64 = 20_261_206

    public init(model: ModelArtifact) {
        profile = model.reference
        drifting = DemoCustomers(model: model).drifting
    }

    /// Requests per second at Unix time `t`: about 3 at night, 25 in the afternoon (UTC), a little less at weekends.
    public func rate(at t: Int) -> Double {
        let hour = Double(t % 86_400) / 3600
        let day = (t / 86_400 + 4) % 7 // 0 = Monday
        let daily = 14 - 11 * cos((hour - 3) / 24 * 2 * .pi)
        return daily * (day >= 5 ? 0.7 : 1)
    }

    /// Drift (0–1) of the traffic at Unix time `t`, relative to `now`: two past episodes, none otherwise.
    public func drift(at t: Int, now: Int) -> Double {
        let age = now - t
        let today = now - now % 86_400
        func episode(_ start: Int, _ length: Int) -> Double {
            guard t >= start && t < start + length else { return 0 }
            let into = Double(t - start) / Double(length)
            return min(1, 4 * min(into, 1 - into))
        }
        guard age > 0 else { return 0 }
        return max(episode(today - 3 * 86_400 + 14 * 3600, 3 * 3600), episode(today + 3 * 3600 - (now - today < 4 * 3600 ? 86_400 : 0), 3600))
    }

    /// Every interval of the backfill, keyed by start: 5-minute ones older than `fineSeconds`, 10-second ones after.
    public func intervals(now: Date) -> (fine: [Int: IntervalStats], coarse: [Int: IntervalStats]) {
        let end = Int(now.timeIntervalSince1970)
        let fineStart = (end - Int(fineSeconds)) - (end - Int(fineSeconds)) % 300 + 300
        let first = end - days * 86_400
        var rng = SplitMix64(seed: seed ^ UInt64(end / 86_400))
        var coarse: [Int: IntervalStats] = [:], fine: [Int: IntervalStats] = [:]
        var t = first - first % 300
        while t < fineStart {
            coarse[t] = stats(start: t, length: 300, now: end, rng: &rng)
            t += 300
        }
        t = fineStart
        let lastFine = end - end % 10 // the running interval is the live server's
        while t < lastFine {
            fine[t] = stats(start: t, length: 10, now: end, rng: &rng)
            t += 10
        }
        return (fine, coarse)
    }

    /// Writes the backfill into `store` (its 10-second intervals as such; the 5-minute ones as the store's
    /// retention would have left them) and returns how many intervals it wrote.
    @discardableResult
    public func write(into store: MetricsStore, now: Date = Date()) throws -> Int {
        let (fine, coarse) = intervals(now: now)
        try store.writeBackfill(fine: fine, coarse: coarse, at: now)
        return fine.count + coarse.count
    }

    func stats<R: RandomNumberGenerator>(start: Int, length: Int, now: Int, rng: inout R) -> IntervalStats {
        var s = IntervalStats()
        let mid = start + length / 2
        let mean = rate(at: mid) * Double(length)
        // Poisson-like noise: the square root of the mean either way.
        let requests = max(0, Int((mean + sqrt(mean) * Double.random(in: -1...1, using: &rng)).rounded()))
        let tilt = drift(at: mid, now: now)
        s.requests = requests
        s.errors = Int((Double(requests) * Double.random(in: 0.001...0.008, using: &rng)).rounded())
        s.routes = ["POST /predict 200": requests - s.errors, "POST /predict 500": s.errors].filter { $0.value > 0 }
        // Latency: a few hundred microseconds like the live demo's, slower under load, with a thin tail.
        let load = rate(at: mid) / 25
        for (seconds, share) in [(0.0002, 0.30), (0.0003 + 0.0002 * load, 0.45), (0.0006 + 0.0006 * load, 0.20),
                                 (0.002 + 0.004 * load, 0.05)] {
            let n = Int((Double(requests) * share).rounded())
            s.latency.counts[LatencyHistogram.bucket(seconds)] += n
            s.latency.sum += seconds * Double(n)
        }
        let predictions = requests - s.errors
        let high = 0.18 + 0.04 * sin(Double(mid) / 7200) + 0.12 * tilt
        let medium = 0.30
        s.risk = [0, Int((Double(predictions) * medium).rounded()), Int((Double(predictions) * high).rounded())]
        s.risk[0] = max(0, predictions - s.risk[1] - s.risk[2])
        if predictions > 0 { s.driftBins = bins(rows: predictions, drift: tilt) }
        return s
    }

    /// Bin counts of `rows` customers drawn as `DemoCustomers` draws them at `drift`, laid out column after column.
    func bins(rows: Int, drift: Double) -> [Int] {
        var flat: [Int] = []
        for (c, column) in profile.columns.enumerated() {
            let w = DemoCustomers.weights(column, tilt: drifting.contains(c) ? drift : 0)
            var counts = w.map { Int(($0 * Double(rows)).rounded(.down)) }
            // Whole rows: what rounding left goes to the largest bin, so every column counts `rows`.
            if let top = w.indices.max(by: { w[$0] < w[$1] }) { counts[top] += rows - counts.reduce(0, +) }
            flat += counts
        }
        return flat
    }
}
