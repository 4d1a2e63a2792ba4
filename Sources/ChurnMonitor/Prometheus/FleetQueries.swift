/// The PromQL behind the fleet view, and how many answers travel in one request.
///
/// Every figure of a snapshot is a named expression. The instant ones are sent as one query: each expression is
/// wrapped in `label_replace(…, "churn_query", "<name>", "", "")` and the lot joined with `or`, so one round trip
/// returns every figure evaluated at the same instant (an error share whose numerator and denominator come from
/// different moments would be wrong), and the `churn_query` label says which sample answers which expression.
public struct FleetQueries: Sendable {
    /// The label that names each part of a combined query.
    public static let partLabel = "churn_query"
    /// Trailing windows of the Overview (seconds and PromQL range).
    public static let windows: [(seconds: Int, range: String)] = [(60, "1m"), (300, "5m"), (900, "15m")]
    /// Recent traffic the fleet drift is computed on, as in `churn serve` (ServiceMonitor.driftWindowSeconds).
    public static let driftWindow = "15m"
    /// Range of the rate() behind each history point: wide enough for the usual 15 s scrape interval.
    public static let historyRange = "1m"

    public let selector: PromQLSelector
    /// Version of the model whose reference profile drift is measured against (nil: no drift).
    public let modelVersion: String?

    public init(selector: PromQLSelector, modelVersion: String?) {
        self.selector = selector
        self.modelVersion = modelVersion
    }

    private func m(_ name: String, _ extra: String? = nil) -> String { selector.metric(name, extra) }

    private var errorsOnly: String { #"status=~"5..""# }

    /// Per-series increase of a counter over `range`, exact (integer) rather than extrapolated: the current value
    /// minus the value `range` ago; a series that did not exist then (a replica started since) or went backwards
    /// (a restart) counts from zero. `increase()` would scale each replica's counts by its own extrapolation
    /// factor, which skews a sum across replicas.
    public static func exactIncrease(_ series: String, over range: String) -> String {
        "(((\(series) - \(series) offset \(range)) >= 0) or \(series))"
    }

    /// The instant expressions, by name.
    public var instant: [(name: String, expression: String)] {
        var q: [(String, String)] = [
            ("up", m("up")),
            ("model_info", m("churn_model_info")),
            ("total_requests", "sum(\(m("http_requests_total")))"),
            ("total_errors", "sum(\(m("http_requests_total", errorsOnly)))"),
            ("total_by_risk", "sum by (risk_level) (\(m("predictions_total")))"),
            ("f1", m("model_f1_score")),
            ("replica_rate", "sum by (instance) (rate(\(m("http_requests_total"))[1m]))"),
            ("replica_p99", "histogram_quantile(0.99, sum by (instance, le) (rate(\(m("http_request_duration_seconds_bucket"))[1m])))"),
            ("replica_memory", m("process_resident_memory_bytes")),
            ("replica_cpu", m("process_cpu_seconds_total")),
        ]
        for (seconds, range) in FleetQueries.windows {
            let all = m("http_requests_total"), errors = m("http_requests_total", errorsOnly)
            let buckets = "sum by (le) (rate(\(m("http_request_duration_seconds_bucket"))[\(range)]))"
            q += [
                ("rate_\(seconds)", "sum(rate(\(all)[\(range)]))"),
                ("error_rate_\(seconds)", "sum(rate(\(errors)[\(range)]))"),
                ("requests_\(seconds)", "sum(increase(\(all)[\(range)]))"),
                ("errors_\(seconds)", "sum(increase(\(errors)[\(range)]))"),
                ("predictions_\(seconds)", "sum(increase(\(m("predictions_total"))[\(range)]))"),
                ("p50_\(seconds)", "histogram_quantile(0.5, \(buckets))"),
                ("p95_\(seconds)", "histogram_quantile(0.95, \(buckets))"),
                ("p99_\(seconds)", "histogram_quantile(0.99, \(buckets))"),
            ]
        }
        if let modelVersion {
            // Only the reference model's bins: another model's (a canary, a replica not yet rolled) have other edges
            // and would be noise. Servers label their bin counters with the model that scored the row.
            let version = "model_version=\(PromQLSelector.quote(modelVersion))"
            let serving = m("churn_model_info", "version=\(PromQLSelector.quote(modelVersion))")
            q += [
                ("drift_bins", "sum by (feature, bin) (\(FleetQueries.exactIncrease(m("churn_feature_bin_total", version), over: FleetQueries.driftWindow)))"),
                ("drift_replicas", "count(\(serving))"),
            ]
        }
        return q
    }

    /// The range expressions for the sparklines, by name.
    public var history: [(name: String, expression: String)] { history(window: FleetQueries.historyRange) }

    /// The sparkline expressions with each point's rate() over `window` (a PromQL duration).
    public func history(window r: String) -> [(name: String, expression: String)] {
        let all = "sum(rate(\(m("http_requests_total"))[\(r)]))"
        let buckets = "sum by (le) (rate(\(m("http_request_duration_seconds_bucket"))[\(r)]))"
        return [
            ("rate", all),
            ("error_share", "sum(rate(\(m("http_requests_total", errorsOnly))[\(r)])) / \(all)"),
            ("p95", "histogram_quantile(0.95, \(buckets))"),
            ("p99", "histogram_quantile(0.99, \(buckets))"),
        ]
    }

    /// Named expressions as one PromQL expression (see the type's comment).
    public static func combined(_ parts: [(name: String, expression: String)]) -> String {
        parts.map { "label_replace(\($0.expression), \"\(partLabel)\", \"\($0.name)\", \"\", \"\")" }.joined(separator: " or ")
    }

    /// Splits the answer of a combined query by part name, dropping the naming label.
    public static func split(_ samples: [PromQLSample]) -> [String: [PromQLSample]] {
        var out: [String: [PromQLSample]] = [:]
        for var s in samples {
            guard let name = s.labels.removeValue(forKey: partLabel) else { continue }
            out[name, default: []].append(s)
        }
        return out
    }

    /// Splits the series of a combined range query by part name.
    public static func split(_ series: [PromQLSeries]) -> [String: [PromQLSeries]] {
        var out: [String: [PromQLSeries]] = [:]
        for var s in series {
            guard let name = s.labels.removeValue(forKey: partLabel) else { continue }
            out[name, default: []].append(s)
        }
        return out
    }
}
