/// The Batch panel's file browser: where it is (relative to its root), what it lists, which line is selected.
public struct FileBrowserState: Sendable, Equatable {
    /// Relative to the root; "" is the root itself. Never contains "..".
    public var directory = ""
    public var entries: [DirectoryEntry] = []
    public var selected = 0
    public var loading = true
    public var error: String?

    public init() {}

    /// The directory above `directory`, or nil at the root (the browser cannot go higher).
    public var parent: String? {
        guard !directory.isEmpty else { return nil }
        guard let slash = directory.lastIndex(of: "/") else { return "" }
        return String(directory[..<slash])
    }

    /// The relative path of `name` inside the current directory.
    public func child(_ name: String) -> String {
        directory.isEmpty ? name : directory + "/" + name
    }
}
