/// The console's screens, in key order (`1`–`5`).
public enum Panel: Int, Sendable, Equatable, CaseIterable, Hashable {
    case overview = 1
    case drift
    case model
    case alerts
    case batch

    public var title: String {
        switch self {
        case .overview: "Overview"
        case .drift: "Drift"
        case .model: "Model"
        case .alerts: "Alerts"
        case .batch: "Batch"
        }
    }

    /// The name `churn snapshot --panel` accepts.
    public var name: String { title.lowercased() }

    public init?(name: String) {
        guard let p = Panel.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = p
    }

    public var next: Panel { Panel(rawValue: rawValue % Panel.allCases.count + 1)! }
    public var previous: Panel { Panel(rawValue: (rawValue + Panel.allCases.count - 2) % Panel.allCases.count + 1)! }

    /// Panels a kiosk rotates through (Batch needs an operator).
    public static let kioskRotation: [Panel] = [.overview, .drift, .alerts, .model]
}
