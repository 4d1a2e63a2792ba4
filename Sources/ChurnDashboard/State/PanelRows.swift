import ChurnModel
import ChurnMonitor
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The rows of each panel's scrollable list after filtering, shared by rendering and key handling so that
/// scrolling stops where the list ends.
public enum PanelRows {
    /// Rows in the current panel's list.
    public static func count(_ s: DashboardState) -> Int {
        switch s.panel {
        case .overview: 0
        case .drift: driftFeatures(s.snapshot, filter: s.filters[.drift] ?? "").count
        case .model: importance(s.snapshot, filter: s.filters[.model] ?? "").count
        case .alerts: transitions(s.snapshot, filter: s.filters[.alerts] ?? "").count
        case .batch: 0
        case .fleet: s.snapshot?.replicas.count ?? 0
        }
    }

    /// PSI per feature, worst first, keeping the features whose name contains `filter`.
    public static func driftFeatures(_ snap: MonitorSnapshot?, filter: String) -> [DriftReport.Feature] {
        guard let snap else { return [] }
        return snap.drift.features
            .filter { matches($0.name, filter) }
            .sorted { $0.psi > $1.psi || ($0.psi == $1.psi && $0.name < $1.name) }
    }

    public static func importance(_ snap: MonitorSnapshot?, filter: String) -> [FeatureImportance] {
        guard let model = snap?.model else { return [] }
        return model.importance.filter { matches($0.column, filter) }
    }

    public static func alerts(_ snap: MonitorSnapshot?, filter: String) -> [AlertStatus] {
        (snap?.alerts ?? []).filter { matches($0.name, filter) || matches($0.summary, filter) }
    }

    public static func transitions(_ snap: MonitorSnapshot?, filter: String) -> [AlertTransition] {
        (snap?.alertTransitions ?? []).filter { matches($0.name, filter) }
    }

    /// Case-insensitive substring match; an empty filter matches everything.
    public static func matches(_ text: String, _ filter: String) -> Bool {
        filter.isEmpty || text.lowercased().contains(filter.lowercased())
    }
}
