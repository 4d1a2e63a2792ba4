import ChurnMonitor

extension DashboardUpdate {
    /// `t` / `T`: the next or previous time range, fetched at once. A poll already on its way asked for the old
    /// range, so one more poll follows when it lands.
    static func cycleRange(by delta: Int, _ s: inout DashboardState, _ effects: inout [DashboardEffect]) {
        s.range = s.range.cycled(by: delta)
        if s.poll.inFlight {
            s.rangeRepoll = true
        } else if !s.poll.paused {
            pollNow(&s, &effects)
        }
    }

    /// After a poll lands: poll again if the range changed while it was on its way.
    static func rangeLanded(_ s: inout DashboardState, _ effects: inout [DashboardEffect]) {
        guard s.rangeRepoll else { return }
        s.rangeRepoll = false
        if !s.poll.paused { pollNow(&s, &effects) }
    }
}
