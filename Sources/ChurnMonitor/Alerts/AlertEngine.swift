#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Evaluates alert rules over time: ok → pending when a rule is breached, pending → firing once it has been
/// breached for its hold time, back to ok as soon as it is not. Not thread-safe; `ServiceMonitor` guards it.
struct AlertEngine {
    let rules: [AlertRule]
    private(set) var states: [AlertStatus]
    private(set) var transitions: [AlertTransition] = []
    /// When each rule's current breach began.
    private var breachStart: [Date?]
    static let keptTransitions = 100

    init(rules: [AlertRule], now: Date) {
        self.rules = rules
        states = rules.map { AlertStatus(name: $0.name, state: .ok, value: nil, threshold: $0.threshold, since: now, summary: $0.summary) }
        breachStart = rules.map { _ in nil }
    }

    /// Re-evaluates every rule; returns the transitions this evaluation made.
    @discardableResult
    mutating func evaluate(_ inputs: AlertInputs, now: Date) -> [AlertTransition] {
        var made: [AlertTransition] = []
        for (i, rule) in rules.enumerated() {
            let value = rule.measure(inputs)
            states[i].value = value
            let next: AlertStatus.State
            if rule.breached(value) {
                let start = breachStart[i] ?? now
                breachStart[i] = start
                next = now.timeIntervalSince(start) >= rule.holdSeconds ? .firing : .pending
            } else {
                breachStart[i] = nil
                next = .ok
            }
            if next != states[i].state {
                let t = AlertTransition(name: rule.name, from: states[i].state, to: next, at: now, value: value)
                made.append(t)
                states[i].state = next
                states[i].since = now
            }
        }
        transitions.insert(contentsOf: made.reversed(), at: 0)
        if transitions.count > AlertEngine.keptTransitions { transitions.removeLast(transitions.count - AlertEngine.keptTransitions) }
        return made
    }

    /// Restores states remembered by the store (after a restart), so "since" survives.
    mutating func restore(_ saved: [AlertStatus], transitions saved2: [AlertTransition]) {
        for s in saved {
            if let i = states.firstIndex(where: { $0.name == s.name }) {
                states[i].state = s.state
                states[i].since = s.since
                states[i].value = s.value
                if s.state != .ok { breachStart[i] = s.state == .firing ? s.since.addingTimeInterval(-rules[i].holdSeconds) : s.since }
            }
        }
        transitions = Array(saved2.prefix(AlertEngine.keptTransitions))
    }
}
