/// Hands the big buffers of a batch run (each block's input bytes and its output writer) back for reuse.
///
/// Batch scoring allocates a megabyte or so per block for the input and half that for the output. Above
/// `LargeBuffers`' threshold each one is a fresh mapping, so every block used to pay a page fault and a kernel
/// page clear per 4 KiB, then an unmap: about a tenth of `churn score`'s time on 1M rows. Reused buffers keep
/// their pages. The pool holds at most `limit` of each kind, so memory stays what the blocks in flight need.
final class BufferRecycler: @unchecked Sendable {
    private let lock = ThreadCondition()
    private var inputs: [[UInt8]] = []
    private var writers: [ByteWriter] = []
    private var columnSets: [LinearColumns] = []
    let limit: Int

    init(limit: Int) { self.limit = max(1, limit) }

    /// An array of exactly `count` bytes whose contents are whatever they were (the caller overwrites them): a
    /// returned one when there is one, else a new one of zeros. A returned block is about that long already, so
    /// only the difference is filled, where emptying it and appending `count` zeros cleared half a megabyte per
    /// block (1.2% of a logistic run's CPU) just to have the bytes to read into.
    func takeInput(count: Int) -> [UInt8] {
        lock.lock()
        let bytes = inputs.popLast() ?? []
        lock.unlock()
        return BufferRecycler.resized(consume bytes, to: count)
    }

    /// `bytes` cut or zero-extended to exactly `count` bytes (a new array of zeros from an empty one).
    /// Takes the caller's array (`consuming`): working on a copy of a borrowed one left two references to the
    /// storage, so the first change copied the whole block into new pages (11% of a logistic run's CPU, in the
    /// copy and its page faults).
    static func resized(_ bytes: consuming [UInt8], to count: Int) -> [UInt8] {
        if bytes.count > count {
            bytes.removeLast(bytes.count - count)
        } else if bytes.count < count {
            // With room to spare: the next block's carried-over tail may be a few bytes longer than this one's,
            // and a buffer a few bytes short was copied whole into new pages (3.5% of a logistic run's CPU, in
            // page faults and the copy).
            if bytes.capacity < count { bytes.reserveCapacity(count + count / 8) }
            bytes.append(contentsOf: repeatElement(0, count: count - bytes.count))
        }
        return bytes
    }

    /// Returns a block's input bytes once nothing else reads them.
    func give(input: [UInt8]) {
        lock.lock()
        if inputs.count < limit { inputs.append(input) }
        lock.unlock()
    }

    /// An empty writer (a returned one when there is one, else one with room for `capacity` bytes).
    func takeWriter(capacity: Int) -> ByteWriter {
        lock.lock()
        let writer = writers.popLast()
        lock.unlock()
        guard let writer else { return ByteWriter(capacity: capacity) }
        writer.removeAll()
        return writer
    }

    /// Memory for the columnar pass of a block (a returned one when there is one).
    func takeColumns() -> LinearColumns {
        lock.lock()
        let columns = columnSets.popLast()
        lock.unlock()
        return columns ?? LinearColumns()
    }

    /// Returns a block's columnar memory once its block is scored.
    func give(columns: LinearColumns) {
        lock.lock()
        if columnSets.count < limit { columnSets.append(columns) }
        lock.unlock()
    }

    /// Returns a writer whose bytes have been written out.
    func give(writer: ByteWriter) {
        lock.lock()
        if writers.count < limit { writers.append(writer) }
        lock.unlock()
    }
}
