/// A file that passed the header check, and where its results will go.
public struct BatchPlan: Sendable, Equatable {
    /// Input path relative to the browser root, for display.
    public var input: String
    public var inputPath: String
    public var outputPath: String
    public var rejectsPath: String
    /// Columns in the file's header.
    public var columns: Int
    public var sizeBytes: Int?
    /// The header's names, to read a kept record again when a customer is opened.
    public var header: [String]

    public init(input: String, inputPath: String, outputPath: String, rejectsPath: String, columns: Int, sizeBytes: Int?,
                header: [String] = []) {
        self.input = input
        self.inputPath = inputPath
        self.outputPath = outputPath
        self.rejectsPath = rejectsPath
        self.columns = columns
        self.sizeBytes = sizeBytes
        self.header = header
    }
}
