import ChurnModel

/// What happened during one interval of time: requests by route and status, latencies, predictions by risk,
/// and drift bin counts. Intervals add up, which is how windows, rollups and restarts are computed.
public struct IntervalStats: Codable, Sendable, Equatable {
    public var requests = 0
    /// Responses with status 5xx.
    public var errors = 0
    public var latency = LatencyHistogram()
    /// Requests by "METHOD path status".
    public var routes: [String: Int] = [:]
    /// Predictions by risk: low, medium, high.
    public var risk = [0, 0, 0]
    /// Flat drift bin counts (layout of `DriftTally`), empty when no prediction was made.
    public var driftBins: [Int] = []

    public init() {}

    public var predictions: Int { risk[0] + risk[1] + risk[2] }

    public mutating func add(_ o: IntervalStats) {
        requests += o.requests
        errors += o.errors
        latency.add(o.latency)
        for (k, v) in o.routes { routes[k, default: 0] += v }
        for i in 0..<3 { risk[i] += o.risk[i] }
        if driftBins.isEmpty { driftBins = o.driftBins } else if !o.driftBins.isEmpty {
            for i in driftBins.indices where i < o.driftBins.count { driftBins[i] += o.driftBins[i] }
        }
    }

    /// self − o, for the part of an interval not yet flushed.
    public func subtracting(_ o: IntervalStats) -> IntervalStats {
        var d = self
        d.requests -= o.requests
        d.errors -= o.errors
        d.latency.subtract(o.latency)
        for (k, v) in o.routes { d.routes[k, default: 0] -= v }
        d.routes = d.routes.filter { $0.value != 0 }
        for i in 0..<3 { d.risk[i] -= o.risk[i] }
        if !o.driftBins.isEmpty && !d.driftBins.isEmpty {
            for i in d.driftBins.indices where i < o.driftBins.count { d.driftBins[i] -= o.driftBins[i] }
        }
        return d
    }

    public var isEmpty: Bool { requests == 0 && predictions == 0 }

    /// A route key "POST /predict 200".
    public static func routeKey(method: String, path: String, status: Int) -> String {
        "\(method) \(path) \(status)"
    }
}
