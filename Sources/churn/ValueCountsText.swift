import ChurnModel

/// The summary lines that say how many values were missing or outside the model's categories, per column.
struct ValueCountsText {
    var summary: BatchSummary

    var lines: [String] {
        var out: [String] = []
        if let missing = summary.missingValues, !missing.isEmpty {
            out.append("  missing values by column: " + list(missing))
        }
        if let unseen = summary.unseenValues, !unseen.isEmpty {
            out.append("  unseen categories by column (scored as unseen or \"other\"): " + list(unseen))
        }
        return out
    }

    func list(_ counts: [String: Int]) -> String {
        let sorted = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        return sorted.prefix(8).map { "\($0.key) \(grouped($0.value))" }.joined(separator: ", ")
            + (sorted.count > 8 ? ", … (\(sorted.count) columns; see --summary-json)" : "")
    }
}
