/// Everything the Batch panel shows: the browser, the current phase, and how results are viewed.
public struct BatchState: Sendable, Equatable {
    public var browser = FileBrowserState()
    public var phase: BatchPhase = .browsing
    public var sort: ResultSort = .probability
    /// Selected row of the results table.
    public var selected = 0
    /// The rejects or a customer, opened over the results (`e`, Enter); nil shows the results.
    public var detail: BatchDetail?

    public init() {}
}
