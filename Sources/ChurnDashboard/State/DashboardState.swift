import ChurnMonitor
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The console's whole state, as one value. Rendering reads it; only `DashboardUpdate.update` makes a new one.
public struct DashboardState: Sendable, Equatable {
    public var config: DashboardConfig
    public var width: Int
    public var height: Int
    /// The console's clock, advanced by tick events (rendering never reads the system clock).
    public var now: Date
    public var panel: Panel = .overview
    public var overlay: Overlay?
    public var poll: PollState
    /// Selected line of each panel's list (the list scrolls to keep it visible).
    public var scroll: [Panel: Int] = [:]
    /// Table filter per panel (`/`).
    public var filters: [Panel: String] = [:]
    /// Keys go to the current panel's filter until Enter or Esc.
    public var editingFilter = false
    public var batch = BatchState()
    /// The last promote or roll back asked for on the Model panel.
    public var modelAction: ModelActionStatus?
    /// Alerts firing at the last successful poll (`--bell` rings for names new to this set).
    public var firing: Set<String> = []
    /// Kiosk mode: when the next panel is due.
    public var nextRotation: Date?
    /// Set when the console should exit.
    public var quitting = false
    /// The time range the histories cover (`t` / `T` cycle it).
    public var range: HistoryRange
    /// The range changed while a poll for the old one was on its way: poll again when it lands.
    public var rangeRepoll = false

    public init(config: DashboardConfig, width: Int, height: Int, now: Date) {
        self.config = config
        self.width = width
        self.height = height
        self.now = now
        poll = PollState(interval: config.interval)
        range = config.range
        if config.kiosk { nextRotation = now.addingTimeInterval(config.rotateEvery) }
    }

    public var theme: Theme { config.theme }
    public var snapshot: MonitorSnapshot? { poll.snapshot }

    public var isTooSmall: Bool { width < DashboardConfig.minimumWidth || height < DashboardConfig.minimumHeight }

    public var filter: String { filters[panel] ?? "" }

    /// Whether the data on screen is live, paused, stale or not there yet (see `Freshness`).
    public var freshness: Freshness {
        guard poll.snapshot != nil, let advanced = poll.lastAdvance else { return .waiting(error: poll.lastError) }
        if poll.paused { return .paused(since: poll.pausedAt ?? advanced) }
        if now.timeIntervalSince(advanced) > poll.staleAfter {
            return .stale(since: advanced, error: poll.lastError)
        }
        return .live
    }
}
