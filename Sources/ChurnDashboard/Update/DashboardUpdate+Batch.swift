import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension DashboardUpdate {
    /// Keys on the Batch panel. Returns false for keys it leaves to the global handler (panel switches, q, …).
    static func batchKey(_ key: Key, _ s: inout DashboardState, _ effects: inout [DashboardEffect]) -> Bool {
        switch s.batch.phase {
        case .browsing:
            return browserKey(key, &s, &effects)
        case .checking:
            if key == .escape { s.batch.phase = .browsing; return true }
            return false
        case .ready(let plan):
            switch key {
            case .enter, .char("s"):
                s.batch.phase = .running(plan, nil)
                s.batch.selected = 0
                effects.append(.startBatch(plan))
                return true
            case .escape:
                s.batch.phase = .browsing
                return true
            default:
                return false
            }
        case .running(let plan, let p):
            if key == .escape {
                s.batch.phase = .cancelling(plan, p)
                effects.append(.cancelBatch)
                return true
            }
            return false
        case .cancelling:
            return false
        case .rejected, .failed, .cancelled:
            if key == .escape || key == .enter {
                s.batch.phase = .browsing
                effects.append(.listDirectory(s.batch.browser.directory))
                return true
            }
            return false
        case .finished(let plan, let summary):
            if s.batch.detail != nil { return detailKey(key, &s) }
            let rows = BatchResultRows.rows(summary, sort: s.batch.sort, filter: s.filters[.batch] ?? "")
            switch key {
            case .char("e"): openRejects(summary, &s, &effects)
            case .enter: openCustomer(plan, rows, &s, &effects)
            case .down, .char("j"): s.batch.selected = min(max(0, rows.count - 1), s.batch.selected + 1)
            case .up, .char("k"): s.batch.selected = max(0, s.batch.selected - 1)
            case .pageDown, .char(" "): s.batch.selected = min(max(0, rows.count - 1), s.batch.selected + 10)
            case .pageUp: s.batch.selected = max(0, s.batch.selected - 10)
            case .home, .char("g"): s.batch.selected = 0
            case .end, .char("G"): s.batch.selected = max(0, rows.count - 1)
            case .char("s"):
                s.batch.sort = s.batch.sort.next
                s.batch.selected = 0
            case .escape:
                if !(s.filters[.batch] ?? "").isEmpty { s.filters[.batch] = nil; return true }
                s.batch.phase = .browsing
                effects.append(.listDirectory(s.batch.browser.directory))
            default:
                return false
            }
            return true
        }
    }

    static func browserKey(_ key: Key, _ s: inout DashboardState, _ effects: inout [DashboardEffect]) -> Bool {
        let visible = BatchResultRows.browserEntries(s.batch.browser, filter: s.filters[.batch] ?? "")
        var b = s.batch.browser
        defer { s.batch.browser = b }
        switch key {
        case .down, .char("j"):
            b.selected = min(max(0, visible.count - 1), b.selected + 1)
        case .up, .char("k"):
            b.selected = max(0, b.selected - 1)
        case .pageDown: b.selected = min(max(0, visible.count - 1), b.selected + 10)
        case .pageUp: b.selected = max(0, b.selected - 10)
        case .home, .char("g"): b.selected = 0
        case .end, .char("G"): b.selected = max(0, visible.count - 1)
        case .enter, .right, .char("l"):
            guard b.selected < visible.count else { return true }
            let entry = visible[b.selected]
            if entry.isDirectory {
                if entry.name == ".." {
                    goUp(&b, &s, &effects)
                } else {
                    b.loading = true
                    s.filters[.batch] = nil
                    effects.append(.listDirectory(b.child(entry.name)))
                }
            } else if key == .enter {
                s.batch.phase = .checking(file: b.child(entry.name))
                effects.append(.checkHeader(b.child(entry.name)))
            }
        case .backspace, .left, .char("h"):
            goUp(&b, &s, &effects)
        case .escape:
            if !(s.filters[.batch] ?? "").isEmpty {
                s.filters[.batch] = nil
            } else if b.parent != nil {
                goUp(&b, &s, &effects)
            } else {
                return false
            }
        case .char("r"):
            effects.append(.listDirectory(b.directory))
        case .char("/"):
            s.editingFilter = true
        default:
            return false
        }
        return true
    }

    static func goUp(_ b: inout FileBrowserState, _ s: inout DashboardState, _ effects: inout [DashboardEffect]) {
        guard let parent = b.parent else { return }
        b.loading = true
        s.filters[.batch] = nil
        effects.append(.listDirectory(parent))
    }

    static func listed(_ listing: DirectoryListing, _ s: inout DashboardState) {
        var b = s.batch.browser
        let previous = b.directory
        b.loading = false
        if let error = listing.error {
            b.error = error
        } else {
            b.error = nil
            b.directory = listing.directory
            b.entries = listing.entries
            // Coming back up, keep the directory we left selected.
            let shown = BatchResultRows.browserEntries(b, filter: "")
            if previous.hasPrefix(listing.directory), previous != listing.directory,
               let name = previous.split(separator: "/").last.map(String.init),
               let i = shown.firstIndex(where: { $0.name == name }) {
                b.selected = i
            } else if previous != listing.directory {
                b.selected = 0
            } else {
                b.selected = min(b.selected, max(0, shown.count - 1))
            }
        }
        s.batch.browser = b
    }

    static func headerChecked(_ check: HeaderCheck, _ s: inout DashboardState) {
        guard case .checking(let file) = s.batch.phase, file == check.file else { return }
        switch check.result {
        case .success(let plan): s.batch.phase = .ready(plan)
        case .failure(let f): s.batch.phase = .rejected(file: check.file, message: f.message)
        }
    }

    static func batchFinished(_ result: Result<BatchSummary, BatchFailure>, _ s: inout DashboardState,
                              _ effects: inout [DashboardEffect]) {
        guard let plan = s.batch.phase.plan else { return }
        switch result {
        case .success(let summary):
            s.batch.phase = .finished(plan, summary)
            s.batch.selected = 0
            s.batch.detail = nil
            s.batch.sort = .probability
            s.filters[.batch] = nil
        case .failure(let f):
            s.batch.phase = .failed(plan, message: f.message)
        }
    }
}
