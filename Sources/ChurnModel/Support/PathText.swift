/// File path arithmetic on plain strings, as full Foundation's `NSString` path methods did it (FoundationEssentials
/// has them only on URL, which resolves relative paths against the working directory and may add a slash).
enum PathText {
    /// The last component: `"runs/model.json"` -> `"model.json"`, trailing slashes ignored, `"/"` -> `"/"`.
    static func lastComponent(_ path: String) -> String {
        let trimmed = withoutTrailingSlashes(path)
        if trimmed == "/" || trimmed.isEmpty { return trimmed }
        guard let slash = trimmed.lastIndex(of: "/") else { return trimmed }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// The path without its last component: `"runs/model.json"` -> `"runs"`, `"/model.json"` -> `"/"`,
    /// `"model.json"` -> `""`.
    static func parent(_ path: String) -> String {
        let trimmed = withoutTrailingSlashes(path)
        if trimmed == "/" { return "/" }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        let head = withoutTrailingSlashes(String(trimmed[..<slash]))
        return head.isEmpty ? "/" : head
    }

    private static func withoutTrailingSlashes(_ path: String) -> String {
        var s = Substring(path)
        while s.count > 1 && s.hasSuffix("/") { s = s.dropLast() }
        return String(s)
    }
}
