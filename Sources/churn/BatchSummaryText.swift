import ChurnBase
import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The summary `churn score` prints when it finishes.
struct BatchSummaryText {
    var summary: BatchSummary

    var text: String {
        let s = summary
        var out: [String] = []
        out.append("Scored \(s.input) with model \(s.modelVersion)" + (s.shard.map { " (shard \($0))" } ?? ""))
        out.append("  rows \(grouped(s.rows))   scored \(grouped(s.scored))   rejected \(grouped(s.rejected))" +
                   (s.otherShards > 0 ? "   other shards \(grouped(s.otherShards))" : ""))
        if s.blankLines > 0 {
            out.append("  \(grouped(s.blankLines)) blank line\(s.blankLines == 1 ? "" : "s") skipped (not rows)")
        }
        if !s.rejectReasons.isEmpty {
            out.append("  rejects by reason: " + s.rejectReasons.sorted { $0.value > $1.value }.map { "\($0.key) \(grouped($0.value))" }.joined(separator: ", "))
        }
        out.append("  \(String(cFormat: "%.2f", s.seconds)) s, \(grouped(Int(s.rowsPerSecond))) rows/s")
        out.append(contentsOf: ValueCountsText(summary: s).lines)
        out.append("Risk")
        let total = max(s.scored, 1)
        for level in ["high", "medium", "low"] {
            let n = s.risk[level] ?? 0
            let share = Double(n) / Double(total)
            out.append("  \(level.padded(to: 7)) \(grouped(n).leftPadded(11)) \(String(cFormat: "%5.1f%%", share * 100)) \(String(repeating: "#", count: Int((share * 40).rounded())))")
        }
        out.append("  high-risk customers: \(grouped(s.highRisk)); mean churn probability \(String(cFormat: "%.3f", s.meanProbability))")
        let d = s.drift
        if let why = d.notMeasuredReason {
            out.append("Drift against the training data: not measured (\(why))")
        } else {
            out.append("Drift against the training data: data_drift_score \(String(cFormat: "%.2f", d.score)) (\(d.drifted.count) of \(d.features.count) features with PSI >= \(d.threshold))")
        }
        for f in d.worstFirst.prefix(5) where d.isMeasured {
            let mark = f.psi >= d.threshold ? "major" : f.psi >= DriftReport.moderate ? "moderate" : "stable"
            out.append("  \(f.name.padded(to: 18)) PSI \(String(cFormat: "%.3f", f.psi))  \(mark)")
        }
        out.append("Output \(s.output)   rejects \(s.rejectsPath ?? "none (no row rejected, no file written)")")
        return out.joined(separator: "\n")
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
