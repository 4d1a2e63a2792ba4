/// Encoded rows waiting to be scored together, with what their output lines need (id bytes, line number).
///
/// Batch scoring gathers a few dozen rows before scoring them: tree models score a group in one pass, much
/// faster per row than one at a time. The id is copied because a record's fields are valid only while it is
/// being handled.
final class PendingRows {
    static let capacity = 64
    let width: Int
    private(set) var count = 0
    let values: UnsafeMutablePointer<Double>
    let probabilities: UnsafeMutablePointer<Double>
    private(set) var lines = [Int](repeating: 0, count: PendingRows.capacity)
    /// Where each row's record lies in its block's bytes (for the highest-risk list, which keeps the text).
    private(set) var records = [Range<Int>](repeating: 0..<0, count: PendingRows.capacity)
    private var idEnds = [Int](repeating: 0, count: PendingRows.capacity)
    private var idBytes: [UInt8] = []

    init(width: Int) {
        self.width = width
        values = .allocate(capacity: max(width, 1) * PendingRows.capacity)
        probabilities = .allocate(capacity: PendingRows.capacity)
        idBytes.reserveCapacity(PendingRows.capacity * 16)
    }

    deinit {
        values.deallocate()
        probabilities.deallocate()
    }

    var isFull: Bool { count == PendingRows.capacity }

    /// Adds a row (its `width` values), its source line, its record's place in the block and the id bytes to echo.
    func add(_ row: UnsafePointer<Double>, id: UnsafeBufferPointer<UInt8>, line: Int, record: Range<Int>) {
        (values + count * width).update(from: row, count: width)
        idBytes.append(contentsOf: id)
        idEnds[count] = idBytes.count
        lines[count] = line
        records[count] = record
        count += 1
    }

    /// The id bytes of pending row `k`, valid until the next `add` or `removeAll`.
    func withID<R>(_ k: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let start = k == 0 ? 0 : idEnds[k - 1]
        return idBytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<idEnds[k]])) }
    }

    func removeAll() {
        count = 0
        idBytes.removeAll(keepingCapacity: true)
    }
}
