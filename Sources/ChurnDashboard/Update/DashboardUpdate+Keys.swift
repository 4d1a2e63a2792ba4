#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ChurnMonitor

extension DashboardUpdate {
    static func handleKey(_ key: Key, _ s: inout DashboardState, _ effects: inout [DashboardEffect]) {
        if key == .interrupt {
            askToQuit(&s, &effects, force: true)
            return
        }
        if let overlay = s.overlay {
            overlayKey(key, overlay, &s, &effects)
            return
        }
        if s.editingFilter {
            filterKey(key, &s)
            return
        }
        if s.config.kiosk {
            // A kiosk ignores stray keys: only quitting (with confirmation) and help get through.
            if key == .char("q") { s.overlay = .confirmQuit(reason: "Leave the kiosk console?") }
            if key == .char("?") { s.overlay = .help }
            return
        }
        // Keys the Batch panel claims before the global ones.
        if s.panel == .batch && s.config.batchUnavailable == nil && batchKey(key, &s, &effects) { return }
        if s.panel == .model && modelKey(key, &s) { return }
        switch key {
        case .char("q"):
            askToQuit(&s, &effects, force: false)
        case .char("?"):
            s.overlay = .help
        case .char(let c) where c.isNumber:
            if let n = c.wholeNumberValue, let p = Panel(rawValue: n), p != .fleet || s.config.fleet { switchPanel(to: p, &s) }
        case .tab:
            switchPanel(to: s.panel.next(fleet: s.config.fleet), &s)
        case .backTab:
            switchPanel(to: s.panel.previous(fleet: s.config.fleet), &s)
        case .char("p"):
            s.poll.paused.toggle()
            s.poll.pausedAt = s.poll.paused ? s.now : nil
            if !s.poll.paused { pollNow(&s, &effects) }
        case .char("r"):
            pollNow(&s, &effects)
        case .char("t"), .char("T"):
            cycleRange(by: key == .char("t") ? 1 : -1, &s, &effects)
        case .char("+"), .char("="):
            changeInterval(by: 1, &s)
        case .char("-"), .char("_"):
            changeInterval(by: -1, &s)
        case .char("/") where s.panel != .overview:
            s.editingFilter = true
            s.scroll[s.panel] = 0
        case .escape:
            if !s.filter.isEmpty { s.filters[s.panel] = nil; s.scroll[s.panel] = 0 }
        case .down, .char("j"):
            scroll(by: 1, &s)
        case .up, .char("k"):
            scroll(by: -1, &s)
        case .pageDown, .char(" "):
            scroll(by: 10, &s)
        case .pageUp:
            scroll(by: -10, &s)
        case .home, .char("g"):
            s.scroll[s.panel] = 0
        case .end, .char("G"):
            scroll(by: Int.max / 2, &s)
        default:
            break
        }
    }

    static func switchPanel(to panel: Panel, _ s: inout DashboardState) {
        s.panel = panel
        s.editingFilter = false
        if s.config.kiosk { s.nextRotation = s.now.addingTimeInterval(s.config.rotateEvery) }
    }

    static func askToQuit(_ s: inout DashboardState, _ effects: inout [DashboardEffect], force: Bool) {
        if s.batch.phase.isRunning && !force {
            s.overlay = .confirmQuit(reason: "A batch is still scoring. Quit and discard it?")
            return
        }
        if s.config.kiosk && !force {
            s.overlay = .confirmQuit(reason: "Leave the kiosk console?")
            return
        }
        if s.batch.phase.isRunning { effects.append(.cancelBatch) }
        s.quitting = true
        effects.append(.quit)
    }

    static func overlayKey(_ key: Key, _ overlay: Overlay, _ s: inout DashboardState, _ effects: inout [DashboardEffect]) {
        switch overlay {
        case .help:
            if key == .escape || key == .char("?") || key == .char("q") || key == .enter { s.overlay = nil }
        case .confirmQuit:
            switch key {
            case .char("y"), .char("Y"):
                s.overlay = nil
                if s.batch.phase.isRunning { effects.append(.cancelBatch) }
                s.quitting = true
                effects.append(.quit)
            case .char("n"), .char("N"), .escape, .char("q"):
                s.overlay = nil
            default:
                break
            }
        case .confirmModel(let action):
            switch key {
            case .char("y"), .char("Y"):
                s.overlay = nil
                s.modelAction = ModelActionStatus(action: action, result: nil, at: s.now)
                effects.append(.modelAction(action))
            case .char("n"), .char("N"), .escape, .char("q"):
                s.overlay = nil
            default:
                break
            }
        }
    }

    /// `P` promotes the canary on screen, `B` rolls production back; both ask first. Only where the console can
    /// change models (`DashboardConfig.modelControl`) and no action is still running.
    static func modelKey(_ key: Key, _ s: inout DashboardState) -> Bool {
        guard key == .char("P") || key == .char("B") else { return false }
        guard s.config.modelControl != nil else {
            s.modelAction = ModelActionStatus(action: .rollback(current: ""), result: .failure(SourceFailure(
                "this console cannot change models: run it with --registry DIR, or --api URL of a churn serve --registry with a token")), at: s.now)
            return true
        }
        if let running = s.modelAction, running.result == nil { return true }
        let models = s.snapshot?.models ?? []
        if key == .char("P") {
            guard let canary = models.first(where: { $0.role == .canary }) else {
                s.modelAction = ModelActionStatus(action: .promote(version: ""), result: .failure(SourceFailure(
                    "no canary to promote: serve one with --canary VERSION, or use churn model promote VERSION")), at: s.now)
                return true
            }
            s.overlay = .confirmModel(.promote(version: canary.version))
        } else {
            guard let production = models.first(where: { $0.role == .production })?.version ?? s.snapshot?.model?.version else { return true }
            s.overlay = .confirmModel(.rollback(current: production))
        }
        return true
    }

    static func filterKey(_ key: Key, _ s: inout DashboardState) {
        var text = s.filter
        switch key {
        case .enter:
            s.editingFilter = false
        case .escape:
            s.editingFilter = false
            text = ""
        case .backspace:
            if !text.isEmpty { text.removeLast() }
        case .char(let c) where !c.isNewline && text.count < 40:
            text.append(c)
        default:
            break
        }
        s.filters[s.panel] = text.isEmpty ? nil : text
        s.scroll[s.panel] = 0
        if s.panel == .batch { s.batch.browser.selected = 0; s.batch.selected = 0 }
    }

    static func scroll(by delta: Int, _ s: inout DashboardState) {
        let rows = PanelRows.count(s)
        let current = s.scroll[s.panel] ?? 0
        s.scroll[s.panel] = max(0, min(max(0, rows - 1), current + delta))
    }
}
