import ChurnModel

/// How the Batch results table of highest-risk customers is ordered (`s` cycles).
public enum ResultSort: String, Sendable, Equatable, CaseIterable {
    case probability
    case id
    case line

    public var next: ResultSort {
        let all = ResultSort.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }

    public func sorted(_ rows: [ScoredCustomer]) -> [ScoredCustomer] {
        switch self {
        case .probability: rows.sorted { $0.probability > $1.probability || ($0.probability == $1.probability && $0.line < $1.line) }
        case .id: rows.sorted { $0.id < $1.id }
        case .line: rows.sorted { $0.line < $1.line }
        }
    }
}
