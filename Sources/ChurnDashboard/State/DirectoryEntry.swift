/// One line of the Batch panel's file browser: a directory or a CSV file.
public struct DirectoryEntry: Sendable, Equatable {
    public var name: String
    public var isDirectory: Bool
    /// File size in bytes (nil for directories).
    public var size: Int?

    public init(name: String, isDirectory: Bool, size: Int? = nil) {
        self.name = name
        self.isDirectory = isDirectory
        self.size = size
    }
}
