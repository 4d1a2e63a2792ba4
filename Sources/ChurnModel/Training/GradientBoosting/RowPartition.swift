/// The rows of a growing tree, kept so that every leaf owns one contiguous range of `rows`.
///
/// Splitting a leaf reorders only its own range, stably, so rows stay ascending inside every leaf and the
/// histogram passes over a leaf read its codes and gradients front to back.
struct RowPartition: Sendable {
    private(set) var rows: [Int32]
    private var scratch: [Int32]

    init(rows: [Int32]) {
        self.rows = rows
        self.scratch = [Int32](repeating: 0, count: rows.count)
    }

    /// Moves the rows of `range` that go left (bin code `<= bin`, or missing when `missingLeft`) to its front and
    /// returns where the right-hand rows begin.
    mutating func split(_ range: Range<Int>, column: UnsafePointer<UInt8>, bin: UInt8, missingCode: UInt8,
                        missingLeft: Bool) -> Int {
        // A 0/1 table per code turns the test into a load, and the loop below has no branch to mispredict on a
        // coin-flip split.
        var goesLeft = [Int](repeating: 0, count: 256)
        for code in 0...Int(bin) { goesLeft[code] = 1 }
        if missingLeft { goesLeft[Int(missingCode)] = 1 }
        var write = range.lowerBound
        var spilled = 0
        rows.withUnsafeMutableBufferPointer { rows in
            scratch.withUnsafeMutableBufferPointer { scratch in
                goesLeft.withUnsafeBufferPointer { goesLeft in
                    for k in range {
                        let r = rows[k]
                        let left = goesLeft[Int(column[Int(r)])]
                        // Write both ways, advance one (`write <= k`, so rows[k] was read before anything lands on it).
                        rows[write] = r
                        scratch[spilled] = r
                        write += left
                        spilled += 1 - left
                    }
                }
                for k in 0..<spilled { rows[write + k] = scratch[k] }
            }
        }
        return write
    }
}
