import ChurnModel

/// The Batch panel's lists after sorting and filtering, shared by rendering and key handling.
public enum BatchResultRows {
    /// Highest-risk customers of a finished batch in the chosen order, keeping ids that contain `filter`.
    public static func rows(_ summary: BatchSummary, sort: ResultSort, filter: String) -> [ScoredCustomer] {
        sort.sorted(summary.topRisk.filter { PanelRows.matches($0.id, filter) })
    }

    /// The browser's lines: ".." below the root, then directories, then CSV files, each matching `filter`.
    public static func browserEntries(_ b: FileBrowserState, filter: String) -> [DirectoryEntry] {
        var out: [DirectoryEntry] = []
        if b.parent != nil { out.append(DirectoryEntry(name: "..", isDirectory: true)) }
        out += b.entries.filter { PanelRows.matches($0.name, filter) }
        return out
    }
}
