/// The console's screens, in key order (`1`–`6`). Fleet (6) exists only for a Prometheus source.
public enum Panel: Int, Sendable, Equatable, CaseIterable, Hashable {
    case overview = 1
    case drift
    case model
    case alerts
    case batch
    case fleet

    public var title: String {
        switch self {
        case .overview: "Overview"
        case .drift: "Drift"
        case .model: "Model"
        case .alerts: "Alerts"
        case .batch: "Batch"
        case .fleet: "Fleet"
        }
    }

    /// The name `churn snapshot --panel` accepts.
    public var name: String { title.lowercased() }

    public init?(name: String) {
        guard let p = Panel.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = p
    }

    public var next: Panel { next(fleet: true) }
    public var previous: Panel { previous(fleet: true) }

    /// The panel after this one, skipping Fleet when the source has no fleet.
    public func next(fleet: Bool) -> Panel {
        let order = Panel.order(fleet: fleet)
        return order[((order.firstIndex(of: self) ?? -1) + 1) % order.count]
    }

    public func previous(fleet: Bool) -> Panel {
        let order = Panel.order(fleet: fleet)
        return order[((order.firstIndex(of: self) ?? 0) + order.count - 1) % order.count]
    }

    /// The panels a session has, in key order.
    public static func order(fleet: Bool) -> [Panel] { fleet ? allCases : allCases.filter { $0 != .fleet } }

    /// Panels a kiosk rotates through (Batch needs an operator).
    public static let kioskRotation: [Panel] = [.overview, .drift, .alerts, .model]

    /// The kiosk rotation of a session: with a fleet, the replicas follow the overview.
    public static func kioskRotation(fleet: Bool) -> [Panel] { fleet ? [.overview, .fleet, .drift, .alerts, .model] : kioskRotation }
}
