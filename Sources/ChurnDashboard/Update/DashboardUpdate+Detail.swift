import ChurnModel
import ChurnMonitor

extension DashboardUpdate {
    /// What a key did in a detail view: handled there, closed it, or left to the results and global keys.
    enum DetailOutcome { case handled, close, pass }

    /// `e` on the results: the rejects of the run, read back from its rejects file (nothing to read when no row
    /// was rejected: the view says so at once).
    static func openRejects(_ summary: BatchSummary, _ s: inout DashboardState, _ effects: inout [DashboardEffect]) {
        guard let path = summary.rejectsPath, summary.rejected > 0 else {
            s.batch.detail = .rejects(RejectsView(list: RejectList(path: "", rows: [], total: 0)))
            return
        }
        s.batch.detail = .rejects(RejectsView())
        effects.append(.loadRejects(path))
    }

    /// Enter on the results: the selected customer, explained by the runtime from the record the batch kept.
    static func openCustomer(_ plan: BatchPlan, _ rows: [ScoredCustomer], _ s: inout DashboardState,
                             _ effects: inout [DashboardEffect]) {
        guard !rows.isEmpty else { return }
        let c = rows[min(s.batch.selected, rows.count - 1)]
        s.batch.detail = .customer(CustomerView(customer: c))
        effects.append(.explainCustomer(c, plan))
    }

    /// Keys while a detail view is open. Returns false for keys it leaves to the global handler (panels, q, ?).
    static func detailKey(_ key: Key, _ s: inout DashboardState) -> Bool {
        switch s.batch.detail {
        case nil:
            return false
        case .rejects(var v)?:
            let outcome = rejectsKey(key, &v)
            s.batch.detail = outcome == .close ? nil : .rejects(v)
            return outcome != .pass
        case .customer(var v)?:
            let count = v.explanation?.inputs.count ?? 0
            let last = max(0, count - 1)
            switch key {
            case .escape, .enter, .backspace, .left, .char("h"):
                s.batch.detail = nil
                return true
            case .down, .char("j"): v.scroll = min(last, v.scroll + 1)
            case .up, .char("k"): v.scroll = max(0, v.scroll - 1)
            case .pageDown, .char(" "): v.scroll = min(last, v.scroll + 10)
            case .pageUp: v.scroll = max(0, v.scroll - 10)
            case .home, .char("g"): v.scroll = 0
            case .end, .char("G"): v.scroll = last
            default: return false
            }
            s.batch.detail = .customer(v)
            return true
        }
    }

    /// The rejects view: j/k and pages move, `/` types a filter (Enter keeps it, Esc clears it), Esc or `e` close.
    static func rejectsKey(_ key: Key, _ v: inout RejectsView) -> DetailOutcome {
        if v.typing {
            switch key {
            case .enter: v.typing = false
            case .escape:
                v.typing = false
                v.filter = ""
            case .backspace:
                if !v.filter.isEmpty { v.filter.removeLast() }
            case .char(let c) where !c.isNewline && v.filter.count < 40:
                v.filter.append(c)
            default:
                break
            }
            v.selected = 0
            return .handled
        }
        let last = max(0, v.visible.count - 1)
        switch key {
        case .down, .char("j"): v.selected = min(last, v.selected + 1)
        case .up, .char("k"): v.selected = max(0, v.selected - 1)
        case .pageDown, .char(" "): v.selected = min(last, v.selected + 10)
        case .pageUp: v.selected = max(0, v.selected - 10)
        case .home, .char("g"): v.selected = 0
        case .end, .char("G"): v.selected = last
        case .char("/"): v.typing = true
        case .escape, .char("e"): return .close
        default: return .pass
        }
        return .handled
    }

    static func rejectsLoaded(_ result: Result<RejectList, SourceFailure>, _ s: inout DashboardState) {
        guard case .rejects(var v)? = s.batch.detail, v.list == nil, v.error == nil else { return }
        switch result {
        case .success(let list): v.list = list
        case .failure(let f): v.error = f.message
        }
        s.batch.detail = .rejects(v)
    }

    static func customerExplained(line: Int, _ result: Result<CustomerExplanation, SourceFailure>, _ s: inout DashboardState) {
        // An answer for a customer no longer on screen is dropped.
        guard case .customer(var v)? = s.batch.detail, v.customer.line == line else { return }
        switch result {
        case .success(let e): v.explanation = e
        case .failure(let f): v.error = f.message
        }
        s.batch.detail = .customer(v)
    }
}
