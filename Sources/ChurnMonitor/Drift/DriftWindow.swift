import ChurnModel

/// Drift bin counts of recent traffic: a ring of 10-second slots over the last `span` seconds with a running
/// sum, so adding a row and expiring old slots are both cheap; plus the counts since start for Prometheus.
struct DriftWindow {
    static let slotSeconds = 10
    let slotsCount: Int
    let binCount: Int
    private var slotEpoch: [Int]
    private var slots: [[Int]]
    private(set) var running: [Int]
    private(set) var cumulative: [Int]

    init(binCount: Int, span: Int = 900) {
        self.binCount = binCount
        slotsCount = max(1, span / DriftWindow.slotSeconds)
        slotEpoch = [Int](repeating: -1, count: slotsCount)
        slots = [[Int]](repeating: [Int](repeating: 0, count: binCount), count: slotsCount)
        running = [Int](repeating: 0, count: binCount)
        cumulative = [Int](repeating: 0, count: binCount)
    }

    /// Drops slots older than the window ending at `second`.
    mutating func expire(now second: Int) {
        let current = second / DriftWindow.slotSeconds
        for i in 0..<slotsCount where slotEpoch[i] >= 0 && slotEpoch[i] <= current - slotsCount {
            for b in 0..<binCount { running[b] -= slots[i][b] }
            slots[i] = [Int](repeating: 0, count: binCount)
            slotEpoch[i] = -1
        }
    }

    /// Adds one row given the flat bin index of each column.
    mutating func add(bins: [Int], second: Int) {
        let epoch = second / DriftWindow.slotSeconds
        let i = epoch % slotsCount
        if slotEpoch[i] != epoch {
            if slotEpoch[i] >= 0 { for b in 0..<binCount { running[b] -= slots[i][b] } }
            slots[i] = [Int](repeating: 0, count: binCount)
            slotEpoch[i] = epoch
        }
        for b in bins {
            slots[i][b] += 1
            running[b] += 1
            cumulative[b] += 1
        }
    }
}
