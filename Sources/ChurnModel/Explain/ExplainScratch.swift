/// Working memory for `ColumnExplainer.explain`, reused row after row so explaining allocates nothing.
/// One per thread: it is not safe to share.
public final class ExplainScratch {
    /// Contributions per encoded feature.
    public let features: UnsafeMutableBufferPointer<Double>
    /// Contributions per input column (the result).
    public let columns: UnsafeMutableBufferPointer<Double>
    let path: UnsafeMutableBufferPointer<ShapPathElement>
    let goesLeft: UnsafeMutableBufferPointer<Bool>

    init(features: Int, columns: Int, path: Int, nodes: Int) {
        self.features = .allocate(capacity: max(1, features))
        self.features.initialize(repeating: 0)
        self.columns = .allocate(capacity: max(1, columns))
        self.columns.initialize(repeating: 0)
        self.path = .allocate(capacity: max(1, path))
        self.path.initialize(repeating: ShapPathElement())
        goesLeft = .allocate(capacity: max(1, nodes))
        goesLeft.initialize(repeating: false)
    }

    deinit {
        features.deallocate()
        columns.deallocate()
        path.deallocate()
        goesLeft.deallocate()
    }
}
