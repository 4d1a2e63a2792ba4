import ChurnBase
import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A one-line progress bar on stderr: bar, percent, rows, rows/s, ETA. Redrawn at most ten times a second.
final class ProgressBar {
    let enabled: Bool
    private var lastDraw = ContinuousClock.now - .seconds(1)
    private var drawn = false

    init(enabled: Bool) { self.enabled = enabled }

    func update(_ p: BatchProgress) {
        guard enabled, ContinuousClock.now - lastDraw >= .milliseconds(100) else { return }
        lastDraw = .now
        drawn = true
        Terminal.writeError("\r" + ProgressBar.line(p, width: 30) + "\u{1B}[K")
    }

    func finish() {
        if drawn { Terminal.writeError("\r\u{1B}[K") }
        drawn = false
    }

    static func line(_ p: BatchProgress, width: Int) -> String {
        let fraction = p.fraction ?? 0
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let eta = p.eta.map { "ETA " + duration($0) } ?? ""
        return "[\(bar)] \(String(cFormat: "%5.1f%%", fraction * 100))  \(grouped(p.rows)) rows  \(grouped(Int(p.rowsPerSecond))) rows/s  \(eta)"
    }

    static func duration(_ s: Double) -> String {
        let t = Int(s.rounded())
        return t >= 3600 ? String(cFormat: "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60) : String(cFormat: "%ld:%02ld", t / 60, t % 60)
    }
}

/// 1234567 → "1,234,567".
func grouped(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (i, c) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return n < 0 ? "-" + out : out
}
