import ChurnBase
import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// Shows a training run's progress on stderr.
///
/// On a terminal: one redrawn line for the running phase (bar, percent, what it is doing, time left), replaced by
/// a line saying how long the phase took when it ends. Elsewhere (a log, a pipe): only that line per phase, so a
/// log gets one line per phase and no control characters. Nothing at all with `--quiet` (the view is not made).
final class TrainingProgressView: @unchecked Sendable {
    private let interactive: Bool
    private let write: (String) -> Void
    private let lock = Mutex(())
    private var phase: TrainingProgress.Phase?
    private var phaseStart = ContinuousClock.now
    private var lastDraw = ContinuousClock.now - .seconds(1)
    private var drawn = false

    init(interactive: Bool, write: @escaping (String) -> Void = Terminal.writeError) {
        self.interactive = interactive
        self.write = write
    }

    /// The handler to give the trainer.
    var handler: TrainingProgressHandler { { [self] in self.update($0) } }

    func update(_ p: TrainingProgress) {
        lock.withLock { _ in updateLocked(p) }
    }

    private func updateLocked(_ p: TrainingProgress) {
        let now = ContinuousClock.now
        if phase != p.phase {
            phase = p.phase
            phaseStart = now
        }
        if p.finished {
            let seconds = (now - phaseStart).inSeconds
            let line = "train: \(p.phase.rawValue) done in \(String(cFormat: "%.2f", seconds)) s" + (p.detail.isEmpty ? "" : ": \(p.detail)")
            write((drawn ? "\r\u{1B}[K" : "") + line + "\n")
            drawn = false
            phase = nil
            return
        }
        guard interactive, now - lastDraw >= .milliseconds(100) else { return }
        lastDraw = now
        drawn = true
        write("\r" + TrainingProgressView.line(p, elapsed: (now - phaseStart).inSeconds, width: 24) + "\u{1B}[K")
    }

    /// "refit on all rows [######..........]  37.5%  gbt, round 120 of 320  ETA 0:04"
    static func line(_ p: TrainingProgress, elapsed: Double, width: Int) -> String {
        let fraction = min(max(p.fraction, 0), 1)
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        // Time left from the pace so far, once there is a pace to speak of.
        let eta = fraction > 0.02 && elapsed > 0.2 ? "  ETA " + ProgressBar.duration(elapsed / fraction * (1 - fraction)) : ""
        return "\(p.phase.rawValue) [\(bar)] \(String(cFormat: "%5.1f%%", fraction * 100))  \(p.detail)\(eta)"
    }
}
