#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Turns Prometheus's alerting rules into the console's `AlertStatus` list, and remembers states between polls
/// so it can report transitions (Prometheus's API gives only the current state).
///
/// A rule is shown when its expression mentions one of ChurnOps's metrics or one of the selector's matchers, so
/// a Prometheus shared with other services does not flood the Alerts panel with theirs.
public struct FleetAlertBook: Sendable {
    /// Metric names whose rules belong to the scoring fleet.
    public static let fleetMetrics = ["http_request", "predictions_total", "model_f1_score", "data_drift_score", "churn_"]

    private var known: [String: (state: AlertStatus.State, since: Date)] = [:]
    /// State changes seen, newest first (at most `keep`).
    public private(set) var transitions: [AlertTransition] = []
    let keep = 20

    public init() {}

    /// Whether a rule is about the fleet `selector` picks.
    public static func concerns(_ rule: PrometheusAlertRule, selector: PromQLSelector) -> Bool {
        fleetMetrics.contains { rule.query.contains($0) }
            || selector.matchers.split(separator: ",").contains { rule.query.contains($0) }
    }

    /// The current statuses (firing first, then pending, then ok; by name within each), recording transitions.
    public mutating func update(_ rules: [PrometheusAlertRule], selector: PromQLSelector, now: Date) -> [AlertStatus] {
        var out: [AlertStatus] = []
        for rule in rules where FleetAlertBook.concerns(rule, selector: selector) {
            let firing = rule.alerts.filter { $0.state == "firing" }
            let pending = rule.alerts.filter { $0.state == "pending" }
            let state: AlertStatus.State
            switch rule.state {
            case "firing"?: state = .firing
            case "pending"?: state = .pending
            case "inactive"?: state = .ok
            default: state = !firing.isEmpty ? .firing : !pending.isEmpty ? .pending : .ok
            }
            let active = state == .firing ? firing : state == .pending ? pending : []
            let worst = active.max { ($0.value ?? -.infinity) < ($1.value ?? -.infinity) }
            // Prometheus's activeAt is when the alert became pending; it fires a hold time later.
            var since: Date
            if let first = active.compactMap(\.activeAt).min() {
                since = state == .firing ? min(now, first.addingTimeInterval(rule.holdSeconds ?? 0)) : first
            } else {
                since = now
            }
            if let previous = known[rule.name] {
                if previous.state != state {
                    transitions.insert(AlertTransition(name: rule.name, from: previous.state, to: state, at: now,
                                                       value: worst?.value), at: 0)
                    if transitions.count > keep { transitions.removeLast(transitions.count - keep) }
                    if state == .ok { since = now }
                } else if state == .ok {
                    since = previous.since
                }
            }
            known[rule.name] = (state, since)
            out.append(AlertStatus(name: rule.name, state: state, value: worst?.value, threshold: FleetAlertBook.threshold(rule),
                                   since: since, summary: rule.summary ?? rule.query))
        }
        let rank: (AlertStatus.State) -> Int = { $0 == .firing ? 0 : $0 == .pending ? 1 : 2 }
        return out.sorted { rank($0.state) < rank($1.state) || (rank($0.state) == rank($1.state) && $0.name < $1.name) }
    }

    /// The number the rule compares with: the last `op number` outside quotes in its expression (`> 0.05`), else
    /// the threshold of the in-process rule of that name, else 0.
    public static func threshold(_ rule: PrometheusAlertRule) -> Double {
        let scalars = Array(rule.query.unicodeScalars)
        var found: Double?
        var i = 0
        var inQuote = false
        while i < scalars.count {
            let c = scalars[i]
            if c == "\"" { inQuote.toggle(); i += 1; continue }
            if inQuote { if c == "\\" { i += 1 }; i += 1; continue }
            if c == ">" || c == "<" || ((c == "=" || c == "!") && i + 1 < scalars.count && scalars[i + 1] == "=") {
                var j = i + 1
                if j < scalars.count && scalars[j] == "=" { j += 1 }
                while j < scalars.count && scalars[j] == " " { j += 1 }
                if String(String.UnicodeScalarView(scalars[j..<min(scalars.count, j + 4)])) == "bool" { j += 4 }
                while j < scalars.count && (scalars[j] == " " || scalars[j] == "\n") { j += 1 }
                var k = j
                while k < scalars.count && (("0"..."9").contains(scalars[k]) || scalars[k] == "." || scalars[k] == "e"
                                            || ((scalars[k] == "-" || scalars[k] == "+") && k == j)) { k += 1 }
                if k > j, let v = Double(String(String.UnicodeScalarView(scalars[j..<k]))) { found = v }
                i = j
                continue
            }
            i += 1
        }
        if let found { return found }
        return AlertRule.standard().first { $0.name == rule.name }?.threshold ?? 0
    }
}
