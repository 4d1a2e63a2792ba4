extension KeyBar {
    /// Keys of a finished batch: the results table, or the rejects or customer view opened over it.
    static func finishedKeys(_ s: DashboardState, filter: (String, String)) -> [(String, String)] {
        switch s.batch.detail {
        case .rejects(let v)?:
            if v.typing { return [("Enter", "keep filter"), ("Esc", "clear")] }
            return [("j/k", "scroll"), ("/", "filter"), ("Esc", "close")]
        case .customer?:
            return [("j/k", "scroll"), ("Esc", "back")]
        case nil:
            return [("Enter", "customer"), ("e", "rejects"), ("j/k", "scroll"), ("s", "sort"), filter, ("Esc", "back")]
        }
    }
}
