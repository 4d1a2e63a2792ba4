/// Finds the first of two bytes in a buffer eight bytes at a time (SWAR: one `UInt64` word per step).
///
/// The CSV parser uses it for the end of a quoted field ('"' or '\n', which it must count), after junk that
/// follows a closing quote, and for the last bytes of a block that `StopWindow` cannot cover. Testing byte by
/// byte costs a branch per byte; one word per step costs a handful of integer operations per 8 bytes. Words are
/// loaded only while all 8 bytes lie inside the buffer; the last few bytes are tested one at a time, so nothing
/// outside the buffer is ever read.
struct ByteScanner {
    let first: UInt8
    let second: UInt8
    /// Each byte broadcast to the eight bytes of a word (`StopWindow` compares with the same words).
    let firstWord: UInt64
    let secondWord: UInt64

    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highs: UInt64 = 0x8080_8080_8080_8080

    init(_ first: UInt8, _ second: UInt8) {
        self.first = first
        self.second = second
        firstWord = UInt64(first) &* Self.ones
        secondWord = UInt64(second) &* Self.ones
    }

    static let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F

    /// 0x80 in every byte of `x` that is zero, nothing elsewhere: exact for each byte, unlike the borrow test
    /// (`lowestZeroByte`), since adding 0x7F to a byte's low seven bits never carries into the next byte.
    @inline(__always)
    static func zeroBytes(_ x: UInt64) -> UInt64 {
        ~(((x & low7) &+ low7) | x) & highs
    }

    /// 0x80 set in the lowest zero byte of `x` (and possibly in bytes above it, which the caller never
    /// looks at): a borrow only starts at a zero byte, so every byte below the first zero is left clear.
    @inline(__always)
    private static func lowestZeroByte(_ x: UInt64) -> UInt64 {
        (x &- ones) & ~x & highs
    }

    /// Offset of the first byte in `start..<end` equal to `first` or `second`, or `end` when there is none.
    @inline(__always)
    func next(in base: UnsafePointer<UInt8>, from start: Int, end: Int) -> Int {
        var p = start
        let raw = UnsafeRawPointer(base)
        while p &+ 8 <= end {
            // Little-endian view: the byte at the lowest address is the least significant, so the lowest set
            // bit of the mask names the earliest match.
            let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: p, as: UInt64.self))
            let hits = Self.lowestZeroByte(w ^ firstWord) | Self.lowestZeroByte(w ^ secondWord)
            if hits != 0 { return p &+ (hits.trailingZeroBitCount &>> 3) }
            p &+= 8
        }
        while p < end {
            let b = base[p]
            if b == first || b == second { return p }
            p &+= 1
        }
        return end
    }

    /// Number of '\n' bytes in `buf`, 32 at a time: byte-wise compares summed into 8-bit lane counters,
    /// widened into the total before any lane can pass 255.
    static func countNewlines(_ buf: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = buf.baseAddress else { return 0 }
        let raw = UnsafeRawPointer(base)
        let n = buf.count
        let newline = SIMD32<UInt8>(repeating: 0x0A)
        var total = 0
        var i = 0
        while i &+ 32 <= n {
            var lanes = SIMD32<UInt8>(repeating: 0)
            let stop = min(n &- 31, i &+ 255 &* 32)
            while i < stop {
                let v = raw.loadUnaligned(fromByteOffset: i, as: SIMD32<UInt8>.self)
                // A true lane of the mask is all ones (0xFF, i.e. -1): subtracting it adds one.
                lanes &-= unsafeBitCast(v .== newline, to: SIMD32<UInt8>.self)
                i &+= 32
            }
            total &+= Int(SIMD32<UInt16>(truncatingIfNeeded: lanes).wrappedSum())
        }
        while i < n {
            if base[i] == 0x0A { total &+= 1 }
            i &+= 1
        }
        return total
    }
}
