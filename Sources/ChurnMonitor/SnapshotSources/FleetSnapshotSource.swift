import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// The fleet view: every figure of a `MonitorSnapshot` computed by Prometheus over all scoring replicas
/// (`churn dashboard --prometheus URL`, `churn snapshot --prometheus URL`).
///
/// One poll is three requests made at once: one instant query holding every figure (`FleetQueries`), the alerting
/// rules, and (once per 10-second step) a range query for the sparklines. Only the instant query is essential; when
/// the rules or the history cannot be read the snapshot still comes, with a warning saying what is missing. Drift
/// is computed here, from the summed bin counters and the reference profile of `model` (see `FleetDrift`), and only
/// over replicas that serve that same model version.
public final class FleetSnapshotSource: SnapshotSource {
    public let client: PrometheusClient
    public let selector: PromQLSelector
    /// The artifact whose reference profile drift is measured against (nil: drift is not computed).
    public let model: ModelArtifact?
    /// Why there is no model, for the warning.
    let modelProblem: String?
    /// Step and points of the live history (the drift history this source keeps from its own polls).
    let historyStep = HistoryRange.live.step
    let historyPoints = HistoryRange.live.points
    private let memory = Mutex(Memory())

    struct Memory {
        var alerts = FleetAlertBook()
        var driftHistory: [(epoch: Int, score: Double)] = []
        var history: CachedHistory?
    }

    public init(client: PrometheusClient, selector: PromQLSelector = .standard, model: ModelArtifact?, modelProblem: String? = nil) {
        self.client = client
        self.selector = selector
        self.model = model
        self.modelProblem = modelProblem
    }

    public var name: String { "prometheus \(client.displayURL)" }

    /// The last history fetched: for which range and step end, and what went wrong fetching it.
    typealias CachedHistory = (end: Int, range: HistoryRange, value: History, problem: String?)

    public func snapshot() async throws -> MonitorSnapshot {
        try await snapshot(now: Date())
    }

    public func snapshot(range: HistoryRange) async throws -> MonitorSnapshot {
        try await snapshot(now: Date(), range: range)
    }

    /// The three answers of one poll; history is nil when this step's history is already cached.
    struct Answers {
        var instant: Result<[PromQLSample], PromQLError>
        var rules: Result<[PrometheusAlertRule], PromQLError>
        var history: Result<[PromQLSeries], PromQLError>?
    }

    /// The snapshot as of `now` (evaluation time of every query), with histories over `range` from `query_range`.
    public func snapshot(now: Date, range: HistoryRange = .live) async throws -> MonitorSnapshot {
        let second = Int(now.timeIntervalSince1970)
        let historyEnd = second - second % range.step
        let cached = memory.withLock { $0.history?.end == historyEnd && $0.history?.range == range ? $0.history : nil }
        let answers = await fetch(now: now, historyEnd: historyEnd, needHistory: cached == nil, range: range)
        let parts: [String: [PromQLSample]]
        switch answers.instant {
        case .success(let samples): parts = FleetQueries.split(samples)
        case .failure(let e): throw FleetSourceError(e, at: client.displayURL)
        }
        let up = parts["up"] ?? []
        guard !up.isEmpty else {
            throw FleetSourceError(message: "Prometheus at \(client.displayURL) has no target matching \(selector) "
                                   + "(up\(selector) is empty): check --selector; Prometheus's Status > Targets lists the jobs")
        }
        var warnings: [String] = []
        let (replicas, versions) = FleetSnapshotSource.replicas(parts)
        let live = replicas.filter(\.up)
        let drift = fleetDrift(parts, versions: versions, live: live, warnings: &warnings)
        let (alerts, transitions) = alertStates(answers.rules, now: now, warnings: &warnings)
        var history = sparklines(answers.history, cached: cached, end: historyEnd, range: range, warnings: &warnings)
        // Ranges beyond live read drift per step from the bin counters; live keeps this source's own polls.
        if range == .live { history.driftScore = recordDrift(drift, second: second) }
        let overview = FleetSnapshotSource.overview(parts)
        let resources = Resources(residentBytes: live.compactMap(\.residentBytes).max(),
                                  cpuSeconds: live.isEmpty ? nil : live.compactMap { overview.cpu[$0.instance]?.finiteValue }.reduce(0, +))
        return MonitorSnapshot(
            takenAt: now, source: "\(name) \(selector)", uptimeSeconds: nil, model: model.map(ModelSummary.init),
            windows: overview.windows, totals: overview.totals, f1: overview.f1, drift: drift, resources: resources, alerts: alerts,
            alertTransitions: transitions, history: history, replicas: replicas, warnings: warnings)
    }

    /// The instant query, the alerting rules and (when needed) the range query, made at once.
    func fetch(now: Date, historyEnd: Int, needHistory: Bool, range: HistoryRange = .live) async -> Answers {
        let queries = FleetQueries(selector: selector, modelVersion: model?.version)
        async let instantAnswer = result { [client] () throws(PromQLError) in
            try await client.query(FleetQueries.combined(queries.instant), at: now).vector()
        }
        async let rulesAnswer = result { [client] () throws(PromQLError) in try await client.alertRules() }
        async let historyAnswer: Result<[PromQLSeries], PromQLError>? = needHistory ? result { [client] () throws(PromQLError) in
            let end = Date(timeIntervalSince1970: Double(historyEnd))
            let start = end.addingTimeInterval(-Double(range.step * (range.points - 1)))
            return try await client.queryRange(FleetQueries.combined(queries.history(range: range)), start: start, end: end,
                                               step: Double(range.step)).matrix()
        } : nil
        // Every request is awaited before anything can throw: each ends by its own deadline, and one poll's
        // answers never outlive it.
        let (instant, rules, history) = await (instantAnswer, rulesAnswer, historyAnswer)
        return Answers(instant: instant, rules: rules, history: history)
    }

    /// Replicas in instance order, and the model version each reports.
    static func replicas(_ parts: [String: [PromQLSample]]) -> ([ReplicaStatus], versions: [String: String]) {
        let rate = byInstance(parts, "replica_rate"), p99 = byInstance(parts, "replica_p99")
        let memoryBytes = byInstance(parts, "replica_memory")
        var versions: [String: String] = [:]
        for s in parts["model_info"] ?? [] { if let i = s.labels["instance"], let v = s.labels["version"] { versions[i] = v } }
        let replicas = (parts["up"] ?? []).compactMap { s -> ReplicaStatus? in
            guard let instance = s.labels["instance"] else { return nil }
            let isUp = s.value == 1
            return ReplicaStatus(instance: instance, up: isUp, requestRate: isUp ? rate[instance]?.finiteValue ?? 0 : nil,
                                 p99: isUp ? p99[instance]?.finiteValue : nil,
                                 residentBytes: isUp ? memoryBytes[instance]?.finiteValue.map { Int($0) } : nil,
                                 modelVersion: isUp ? versions[instance] : nil)
        }.sorted { $0.instance < $1.instance }
        return (replicas, versions)
    }

    static func byInstance(_ parts: [String: [PromQLSample]], _ name: String) -> [String: Double] {
        var out: [String: Double] = [:]
        for s in parts[name] ?? [] { if let i = s.labels["instance"] { out[i] = s.value } }
        return out
    }

    /// Overview figures: traffic windows, totals, the lowest replica F1, and CPU seconds per replica.
    static func overview(_ parts: [String: [PromQLSample]]) -> (windows: [TrafficWindow], totals: Totals, f1: F1Status, cpu: [String: Double]) {
        func value(_ name: String) -> Double? { parts[name]?.first?.finite }
        func count(_ name: String) -> Int { Int((value(name) ?? 0).rounded()) }
        let windows = FleetQueries.windows.map { (seconds, _) -> TrafficWindow in
            let requestRate = value("rate_\(seconds)") ?? 0
            let errorRate = value("error_rate_\(seconds)") ?? 0
            return TrafficWindow(seconds: seconds, requests: count("requests_\(seconds)"), requestRate: requestRate,
                                 errors: count("errors_\(seconds)"), errorRate: requestRate > 0 ? errorRate / requestRate : 0,
                                 p50: value("p50_\(seconds)"), p95: value("p95_\(seconds)"), p99: value("p99_\(seconds)"),
                                 predictions: count("predictions_\(seconds)"))
        }
        var byRisk = ["low": 0, "medium": 0, "high": 0]
        for s in parts["total_by_risk"] ?? [] {
            if let level = s.labels["risk_level"], let v = s.finite { byRisk[level] = Int(v.rounded()) }
        }
        let totals = Totals(requests: count("total_requests"), errors: count("total_errors"),
                            predictions: byRisk.values.reduce(0, +), byRisk: byRisk)
        // F1 cannot be pooled without the replicas' confusion counts; the lowest is what ModelF1Low (per replica) sees.
        let f1Values = (parts["f1"] ?? []).compactMap(\.finite)
        let f1 = F1Status(value: f1Values.min(), threshold: AlertRule.Settings().f1)
        return (windows, totals, f1, byInstance(parts, "replica_cpu"))
    }

    /// Drift over the replicas serving the reference model.
    func fleetDrift(_ parts: [String: [PromQLSample]], versions: [String: String], live: [ReplicaStatus],
                    warnings: inout [String]) -> DriftStatus {
        guard let model else {
            warnings.append("no reference model (\(modelProblem ?? "none given")): fleet drift is not computed; pass --model FILE")
            return DriftStatus()
        }
        let (counts, ignored) = FleetDrift.counts(parts["drift_bins"] ?? [], profile: model.reference)
        warnings += FleetSnapshotSource.modelWarnings(model: model.version, versions: versions, live: live.map(\.instance))
        if ignored > 0 {
            warnings.append("\(ignored) drift bin series do not fit the profile of \(model.version); they were left out")
        }
        return FleetDrift.status(counts, profile: model.reference)
    }

    /// Alerts (optional): Prometheus's rule states, remembered across polls for their transitions.
    func alertStates(_ rules: Result<[PrometheusAlertRule], PromQLError>, now: Date,
                     warnings: inout [String]) -> ([AlertStatus], [AlertTransition]) {
        switch rules {
        case .success(let rules):
            for rule in rules where rule.health == "err" && FleetAlertBook.concerns(rule, selector: selector) {
                warnings.append("alert rule \(rule.name) fails to evaluate: \(rule.lastError ?? "unknown error")")
            }
            return memory.withLock { m in (m.alerts.update(rules, selector: selector, now: now), m.alerts.transitions) }
        case .failure(let e):
            warnings.append("alert rules unavailable: \(FleetSourceError(e, at: client.displayURL).message)")
            return ([], memory.withLock { $0.alerts.transitions })
        }
    }

    /// History (optional), fetched once per step and cached until the next.
    func sparklines(_ answer: Result<[PromQLSeries], PromQLError>?, cached: CachedHistory?, end: Int, range: HistoryRange,
                    warnings: inout [String]) -> History {
        var history: History
        var historyProblem: String?
        if let cached {
            history = cached.value
            historyProblem = cached.problem
        } else {
            switch answer {
            case .success(let series)?:
                let parts = FleetQueries.split(series)
                history = FleetSnapshotSource.history(parts, end: end, step: range.step, points: range.points)
                if range != .live { FleetSnapshotSource.addRangeSeries(&history, parts, range: range, end: end, model: model) }
            case .failure(let e)?:
                history = History(step: range.step)
                historyProblem = "history unavailable: \(FleetSourceError(e, at: client.displayURL).message)"
            case nil:
                history = History(step: range.step)
            }
            history.range = range.label
            history.end = Date(timeIntervalSince1970: Double(end))
            memory.withLock { $0.history = (end, range, history, historyProblem) }
        }
        if let historyProblem { warnings.append(historyProblem) }
        return history
    }

    /// Fleet drift history is kept from this source's own polls: records this poll's score, returns the series.
    func recordDrift(_ drift: DriftStatus, second: Int) -> [Double] {
        memory.withLock { m in
            let epoch = second / historyStep
            let score = drift.isWarm ? drift.score : 0
            if m.driftHistory.last?.epoch == epoch { m.driftHistory[m.driftHistory.count - 1].score = score }
            else { m.driftHistory.append((epoch, score)) }
            if m.driftHistory.count > historyPoints { m.driftHistory.removeFirst(m.driftHistory.count - historyPoints) }
            var series = [Double](repeating: 0, count: historyPoints)
            for h in m.driftHistory {
                let k = historyPoints - 1 - (epoch - h.epoch)
                if k >= 0 && k < historyPoints { series[k] = h.score }
            }
            return series
        }
    }

    /// Warnings when the fleet does not serve the reference model (or does not say which it serves).
    static func modelWarnings(model: String, versions: [String: String], live: [String]) -> [String] {
        guard !live.isEmpty else { return [] }
        let reporting = live.filter { versions[$0] != nil }
        if reporting.isEmpty {
            return ["no replica exports churn_model_info, so none can be matched to \(model): fleet drift is not computed"]
        }
        let matching = reporting.filter { versions[$0] == model }
        guard matching.count < reporting.count else { return [] }
        let others = Set(reporting.compactMap { versions[$0] }).subtracting([model]).sorted()
        let served = others.joined(separator: ", ")
        if matching.isEmpty {
            return ["MODEL MISMATCH: the fleet serves \(served), the drift reference is \(model); "
                    + "drift is not computed; pass --model with the served artifact"]
        }
        return ["MODEL MISMATCH: \(reporting.count - matching.count) of \(reporting.count) replicas serve \(served), not \(model); "
                + "drift counts only the \(matching.count) serving \(model)"]
    }

    /// Sparkline series from a combined range answer, one point per step ending at `end`, oldest first.
    static func history(_ parts: [String: [PromQLSeries]], end: Int, step: Int, points: Int) -> History {
        func series(_ name: String) -> [Double?] {
            var out = [Double?](repeating: nil, count: points)
            for p in parts[name]?.first?.points ?? [] {
                let k = points - 1 - (end - Int(p.time.rounded())) / step
                if k >= 0 && k < points && p.value.isFinite { out[k] = p.value }
            }
            return out
        }
        return History(step: step, requestRate: series("rate").map { $0 ?? 0 }, p95: series("p95"), p99: series("p99"),
                       errorRate: series("error_share").map { $0 ?? 0 }, driftScore: [])
    }

    private func result<T>(_ body: () async throws(PromQLError) -> T) async -> Result<T, PromQLError> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }
}

/// Why the fleet view cannot be shown right now, as one self-contained line (it names Prometheus's address).
public struct FleetSourceError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(message: String) { self.message = message }

    init(_ error: PromQLError, at url: String) {
        switch error {
        case .transport(let why), .credentials(let why): message = why
        case .server: message = "\(error)"
        case .http: message = "Prometheus at \(url) answered \(error)"
        case .malformed: message = "Prometheus at \(url): \(error)"
        }
    }

    public var description: String { message }
}

extension Double {
    /// Self when finite, else nil.
    var finiteValue: Double? { isFinite ? self : nil }
}
