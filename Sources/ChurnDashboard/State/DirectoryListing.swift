/// The answer to a `listDirectory` effect: the entries of `directory`, or why it could not be read.
public struct DirectoryListing: Sendable, Equatable {
    /// Path relative to the browser's root ("" is the root).
    public var directory: String
    public var entries: [DirectoryEntry]
    public var error: String?

    public init(directory: String, entries: [DirectoryEntry], error: String? = nil) {
        self.directory = directory
        self.entries = entries
        self.error = error
    }
}
