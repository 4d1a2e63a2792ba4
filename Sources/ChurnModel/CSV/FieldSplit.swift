import CByteClasses

/// The field boundaries of a whole block found in one pass, for blocks whose records are plain: no '"', and no
/// '\r' but in "\r\n" line endings (most exported files). Then a record is one line and its fields are the bytes
/// between delimiters (the last one ending before a '\r'), so where every delimiter and newline is says
/// everything the record parser would find.
///
/// Each 64-byte window's delimiters and newlines are found with four 16-byte vector compares turned into bit
/// masks (`churn_classify64`, in C for SSE2's move mask) and their offsets written out with one
/// `trailingZeroBitCount` each, so a field costs a handful of instructions and no branch that depends on the data.
/// Columnar scoring (`LinearColumns`) then reads any field of any record by index. A block holding a quote or a
/// carriage return is left to `CSVRecordParser`, which knows RFC 4180.
final class FieldSplit {
    /// Offsets of the delimiters and newlines, in order; `stops[-1]` is -1, so that field `f` of the line whose
    /// first stop is `s` starts at `stops[s + f - 1] + 1` for every line and field, the block's first too.
    private(set) var stops: UnsafeMutablePointer<Int32>
    /// For each newline, its index in `stops` (so line `k` ends at `stops[lineEnds[k]]`).
    private(set) var lineEnds: UnsafeMutablePointer<Int32>
    private(set) var stopCount = 0
    private(set) var lineCount = 0
    /// Some line ends in "\r\n" (whose '\r' is no part of the last field).
    private(set) var hasReturns = false
    private var capacity = 0
    /// The last block's lines averaged more than a window (64 bytes): a window then holds at most one newline, so
    /// one slot for it is written unconditionally, not two (the next block is taken to be like the last).
    private var longLines = false

    init() {
        stops = FieldSplit.allocateStops(1)
        lineEnds = .allocate(capacity: 1)
    }

    deinit {
        (stops - 1).deallocate()
        lineEnds.deallocate()
    }

    /// Room for `count` stops after the sentinel.
    private static func allocateStops(_ count: Int) -> UnsafeMutablePointer<Int32> {
        let memory = UnsafeMutablePointer<Int32>.allocate(capacity: count + 1)
        memory.initialize(to: -1)
        return memory + 1
    }

    /// Splits `buf`; false (and nothing usable) when it holds a '"' or a '\r' that does not end a line, or is too
    /// long for 32-bit offsets.
    func split(_ buf: UnsafeBufferPointer<UInt8>, delimiter: UInt8) -> Bool {
        stopCount = 0
        lineCount = 0
        hasReturns = false
        let n = buf.count
        guard let base = buf.baseAddress, n > 0, n < Int(Int32.max) else { return n == 0 }
        // Every byte is at most one stop.
        if capacity < n + 64 {
            (stops - 1).deallocate()
            lineEnds.deallocate()
            // Blocks differ in length by a record or so: room to spare, so the next is not a new allocation; and
            // 64 more, for the slots written past the last stop.
            capacity = n + 64 + n / 8
            stops = FieldSplit.allocateStops(capacity)
            lineEnds = .allocate(capacity: capacity)
        }
        var quoteBits: UInt64 = 0
        // Carriage returns not followed by a newline (as bits), and a window's last byte being one (to be followed
        // by the next window's first).
        var strayReturns: UInt64 = 0
        var returnAtEnd: UInt64 = 0
        var sawReturn = false
        var k = 0
        var lines = 0
        let stops = self.stops
        let lineEnds = self.lineEnds
        @inline(__always)
        func window(_ raw: UnsafeRawPointer, at offset: Int, newlineSlots: Int) {
            let classes = churn_classify64(raw.assumingMemoryBound(to: UInt8.self), delimiter)
            let stopBits = classes.stops, lineBits = classes.lines
            quoteBits |= classes.quotes
            // A "\r\n" line ending is plain (the last field ends before the '\r'); any other '\r' is not.
            if returnAtEnd != 0 && lineBits & 1 == 0 { strayReturns |= 1 }
            returnAtEnd = 0
            let returnBits = classes.returns
            if returnBits != 0 {
                sawReturn = true
                returnAtEnd = returnBits &>> 63
                strayReturns |= returnBits & ~(lineBits &>> 1) & ~(1 &<< 63)
            }
            // The stops' offsets without a test per stop: sixteen slots unconditionally (a window of most files holds
            // fewer; a loop's exit after a varying number of stops was mispredicted once a window), then eight at a
            // time past that. Up to fifteen slots past the last are written and overwritten by the next window.
            let total = stopBits.nonzeroBitCount
            var bits = stopBits
            for j in 0..<16 {
                stops[k &+ j] = Int32(truncatingIfNeeded: offset &+ bits.trailingZeroBitCount)
                bits &= bits &- 1
            }
            var written = 16
            while written < total {
                for j in 0..<8 {
                    stops[k &+ written &+ j] = Int32(truncatingIfNeeded: offset &+ bits.trailingZeroBitCount)
                    bits &= bits &- 1
                }
                written &+= 8
            }
            // Each newline's index among the stops is the window's first plus the stops below it. The first one or
            // two unconditionally (a window of most files holds one or none), the count moving only for real ones:
            // whether a window holds a newline is a coin toss for a branch.
            var newlines = lineBits
            for _ in 0..<newlineSlots {
                let lowest = newlines & (0 &- newlines)
                lineEnds[lines] = Int32(truncatingIfNeeded: k &+ (stopBits & (lowest &- 1)).nonzeroBitCount)
                lines &+= Int(truncatingIfNeeded: (lowest | (0 &- lowest)) &>> 63)
                newlines &= newlines &- 1
            }
            while newlines != 0 {
                let lowest = newlines & (0 &- newlines)
                lineEnds[lines] = Int32(truncatingIfNeeded: k &+ (stopBits & (lowest &- 1)).nonzeroBitCount)
                lines &+= 1
                newlines &= newlines &- 1
            }
            k &+= total
        }
        // The whole windows, with the slot count as a literal in each copy of the loop.
        var offset = 0
        if longLines {
            while offset &+ 64 <= n {
                window(UnsafeRawPointer(base + offset), at: offset, newlineSlots: 1)
                offset &+= 64
            }
        } else {
            while offset &+ 64 <= n {
                window(UnsafeRawPointer(base + offset), at: offset, newlineSlots: 2)
                offset &+= 64
            }
        }
        if offset < n {
            // The last bytes through a zeroed copy: a zero byte is no stop, and nothing past the buffer is read.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { tail in
                tail.initialize(repeating: 0)
                tail.baseAddress!.update(from: base + offset, count: n - offset)
                window(UnsafeRawPointer(tail.baseAddress!), at: offset, newlineSlots: 2)
            }
        }
        stopCount = k
        lineCount = lines
        hasReturns = sawReturn
        longLines = lines &* 64 < n
        // A '\r' as the block's last byte has no newline after it.
        return quoteBits == 0 && strayReturns == 0 && returnAtEnd == 0
    }
}
