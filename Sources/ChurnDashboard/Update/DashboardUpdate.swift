import ChurnMonitor
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The console's one update function: `update(state, event) -> (state, effects)`. Pure: no clock, no I/O;
/// effects describe the I/O for the runtime to do.
public enum DashboardUpdate {
    public typealias Output = (state: DashboardState, effects: [DashboardEffect])

    /// Effects to run once at start: the first poll and the batch root's listing.
    public static func start(_ state: DashboardState) -> Output {
        var s = state
        s.poll.inFlight = true
        return (s, [.poll, .listDirectory("")])
    }

    public static func update(_ state: DashboardState, _ event: DashboardEvent) -> Output {
        var s = state
        var effects: [DashboardEffect] = []
        switch event {
        case .tick(let now):
            s.now = now
            tick(&s, &effects)
        case .resize(let w, let h):
            s.width = max(0, w)
            s.height = max(0, h)
        case .snapshot(let result, let at):
            s.now = max(s.now, at)
            received(result, at: at, &s)
            if case .success(let snap) = result { noteFiring(snap, &s, &effects) }
            rangeLanded(&s, &effects)
        case .key(let key):
            handleKey(key, &s, &effects)
        case .directoryListed(let listing):
            listed(listing, &s)
        case .headerChecked(let check):
            headerChecked(check, &s)
        case .batchProgress(let p):
            if case .running(let plan, _) = s.batch.phase { s.batch.phase = .running(plan, p) }
            if case .cancelling(let plan, _) = s.batch.phase { s.batch.phase = .cancelling(plan, p) }
        case .batchFinished(let result):
            batchFinished(result, &s, &effects)
        case .batchCancelled:
            if let plan = s.batch.phase.plan { s.batch.phase = .cancelled(plan) }
        case .modelActionFinished(let action, let result, let at):
            s.modelAction = ModelActionStatus(action: action, result: result, at: at)
            // Show the new state of things at once rather than at the next poll.
            pollNow(&s, &effects)
        case .rejectsLoaded(let result):
            rejectsLoaded(result, &s)
        case .customerExplained(let line, let result):
            customerExplained(line: line, result, &s)
        case .terminate:
            if s.batch.phase.isRunning { effects.append(.cancelBatch) }
            s.quitting = true
            effects.append(.quit)
        }
        return (s, effects)
    }

    // MARK: Clock and polling

    static func tick(_ s: inout DashboardState, _ effects: inout [DashboardEffect]) {
        if !s.poll.paused && !s.poll.inFlight && (s.poll.nextPollAt.map { s.now >= $0 } ?? true) {
            s.poll.inFlight = true
            effects.append(.poll)
        }
        if s.config.kiosk, let due = s.nextRotation, s.now >= due, s.overlay == nil {
            let order = Panel.kioskRotation(fleet: s.config.fleet)
            let i = order.firstIndex(of: s.panel) ?? -1
            s.panel = order[(i + 1) % order.count]
            s.nextRotation = s.now.addingTimeInterval(s.config.rotateEvery)
        }
    }

    static func received(_ result: Result<MonitorSnapshot, SourceFailure>, at: Date, _ s: inout DashboardState) {
        s.poll.inFlight = false
        switch result {
        case .success(let snap):
            if s.poll.snapshot?.takenAt != snap.takenAt || s.poll.lastAdvance == nil { s.poll.lastAdvance = at }
            s.poll.snapshot = snap
            s.poll.lastSuccess = at
            s.poll.lastError = nil
            s.poll.failures = 0
            s.poll.nextPollAt = at.addingTimeInterval(s.poll.interval)
        case .failure(let f):
            s.poll.failures += 1
            s.poll.lastError = f.message
            let wait = PollState.backoff(interval: s.poll.interval, failures: s.poll.failures, cap: s.config.maxBackoff)
            s.poll.nextPollAt = at.addingTimeInterval(wait)
        }
    }

    /// Asks for a poll now unless one is already on its way.
    static func pollNow(_ s: inout DashboardState, _ effects: inout [DashboardEffect]) {
        guard !s.poll.inFlight else { return }
        s.poll.inFlight = true
        effects.append(.poll)
    }

    static func changeInterval(by step: Int, _ s: inout DashboardState) {
        let all = DashboardConfig.intervals
        let i = all.firstIndex { $0 >= s.poll.interval } ?? all.count - 1
        let next = all[min(all.count - 1, max(0, i + step))]
        s.poll.interval = next
        if let last = s.poll.lastSuccess, s.poll.failures == 0 { s.poll.nextPollAt = last.addingTimeInterval(next) }
    }
}

extension BatchPhase {
    /// The plan of the file in play, once one passed its header check.
    var plan: BatchPlan? {
        switch self {
        case .ready(let p), .running(let p, _), .cancelling(let p, _), .finished(let p, _), .failed(let p, _), .cancelled(let p): p
        case .browsing, .checking, .rejected: nil
        }
    }
}
