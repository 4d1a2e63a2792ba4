#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The body of Prometheus's `/api/v1/rules?type=alert`: every alerting rule with its state and active alerts.
///
/// Standalone like `PromQLResponse`: any bytes either decode or throw `PromQLError`.
public enum PrometheusRulesResponse {
    public static func decode(_ data: Data) throws(PromQLError) -> [PrometheusAlertRule] {
        let top = try PromQLJSON.object(data)
        let status = try PromQLJSON.string(top["status"], "status")
        if status == "error" {
            throw .server(type: top["errorType"]?.stringValue ?? "unknown", message: top["error"]?.stringValue ?? "(no message)")
        }
        guard status == "success" else { throw .malformed("status is '\(PromQLJSON.excerpt(status))'") }
        guard let groups = top["data"]?["groups"]?.arrayValue else { throw .malformed("'data.groups' is missing or not an array") }
        var rules: [PrometheusAlertRule] = []
        for (g, group) in groups.enumerated() {
            guard let list = group["rules"]?.arrayValue else { throw .malformed("data.groups[\(g)].rules is not an array") }
            let groupName = group["name"]?.stringValue ?? ""
            for (r, rule) in list.enumerated() {
                let where_ = "data.groups[\(g)].rules[\(r)]"
                // Recording rules share the list when the server ignores ?type=alert (older versions).
                guard rule["type"]?.stringValue ?? "alerting" == "alerting" else { continue }
                let name = try PromQLJSON.string(rule["name"], "\(where_).name")
                var alerts: [PrometheusAlertRule.Alert] = []
                for (a, alert) in (rule["alerts"]?.arrayValue ?? []).enumerated() {
                    let state = try PromQLJSON.string(alert["state"], "\(where_).alerts[\(a)].state")
                    alerts.append(PrometheusAlertRule.Alert(
                        labels: try PromQLJSON.labels(alert["labels"], "\(where_).alerts[\(a)].labels"),
                        state: state,
                        activeAt: alert["activeAt"]?.stringValue.flatMap(RFC3339.parse),
                        value: alert["value"]?.stringValue.flatMap(PromQLJSON.value)))
                }
                rules.append(PrometheusAlertRule(
                    group: groupName, name: name, query: rule["query"]?.stringValue ?? "",
                    holdSeconds: { if case .number(let d)? = rule["duration"], d.isFinite { return d } else { return nil } }(),
                    state: rule["state"]?.stringValue, summary: rule["annotations"]?["summary"]?.stringValue,
                    health: rule["health"]?.stringValue, lastError: rule["lastError"]?.stringValue, alerts: alerts))
            }
        }
        return rules
    }
}

/// One alerting rule as Prometheus reports it.
public struct PrometheusAlertRule: Sendable, Equatable {
    /// One active (pending or firing) instance of the rule, e.g. one per replica.
    public struct Alert: Sendable, Equatable {
        public var labels: [String: String]
        public var state: String
        public var activeAt: Date?
        public var value: Double?

        public init(labels: [String: String], state: String, activeAt: Date?, value: Double?) {
            self.labels = labels
            self.state = state
            self.activeAt = activeAt
            self.value = value
        }

        public static func == (a: Alert, b: Alert) -> Bool {
            a.labels == b.labels && a.state == b.state && a.activeAt == b.activeAt
                && (a.value == b.value || (a.value?.isNaN == true && b.value?.isNaN == true))
        }
    }

    public var group: String
    public var name: String
    public var query: String
    /// The rule's `for:` hold time in seconds.
    public var holdSeconds: Double?
    /// "inactive", "pending" or "firing" (absent from old servers; then the alerts decide).
    public var state: String?
    public var summary: String?
    public var health: String?
    public var lastError: String?
    public var alerts: [Alert]

    public init(group: String, name: String, query: String, holdSeconds: Double? = nil, state: String?, summary: String?, health: String?,
                lastError: String?, alerts: [Alert]) {
        self.group = group
        self.name = name
        self.query = query
        self.holdSeconds = holdSeconds
        self.state = state
        self.summary = summary
        self.health = health
        self.lastError = lastError
        self.alerts = alerts
    }
}

/// RFC 3339 timestamps as Prometheus writes them: any number of fraction digits (it uses nanoseconds) and a zone.
enum RFC3339 {
    static func parse(_ text: String) -> Date? {
        // The fraction (up to nanoseconds) is cut out, parsed as a number and added back, so no digit is lost.
        var base = text
        var fraction = 0.0
        if let dot = text.firstIndex(of: ".") {
            var end = text.index(after: dot)
            while end < text.endIndex, text[end].isASCII, text[end].isNumber { end = text.index(after: end) }
            fraction = Double("0" + text[dot..<end]) ?? 0
            base = String(text[..<dot]) + String(text[end...])
        }
        return (try? Date.ISO8601FormatStyle().parse(base)).map { $0.addingTimeInterval(fraction) }
    }
}
