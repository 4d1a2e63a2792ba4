/// Appends text to a growable byte buffer without intermediate Strings: the output side of batch scoring.
///
/// A class over raw memory rather than a `[UInt8]`, so the hot loop pays no copy-on-write checks per byte.
public final class ByteWriter {
    private var base: UnsafeMutablePointer<UInt8>
    public private(set) var count = 0
    private var capacity: Int

    public init(capacity: Int = 256) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// A copy of the bytes written so far.
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// The bytes written so far, valid during `body`.
    public func withBytes<R, E: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    /// Forgets the bytes written, keeping the memory for the next ones.
    public func removeAll() { count = 0 }

    /// Room for `n` more bytes. The check is inlined into every append; growing, rare, is not.
    @inline(__always)
    public func reserve(_ n: Int) {
        if count + n > capacity { grow(to: count + n) }
    }

    @inline(never)
    private func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        fresh.update(from: base, count: count)
        base.deallocate()
        base = fresh
        capacity = newCapacity
    }

    @inline(__always)
    public func append(_ b: UInt8) {
        if count == capacity { reserve(1) }
        base[count] = b
        count += 1
    }

    @inline(__always)
    public func append(_ buf: UnsafeBufferPointer<UInt8>) {
        guard let src = buf.baseAddress, buf.count > 0 else { return }
        reserve(buf.count)
        (base + count).update(from: src, count: buf.count)
        count += buf.count
    }

    @inline(__always)
    public func append(_ s: StaticString) {
        s.withUTF8Buffer { append($0) }
    }

    @inline(__always)
    public func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    /// A string's UTF-8. Named apart from `append(_: StaticString)` so that a literal (`w.append(",low,")`) takes
    /// the static overload: with both named `append`, every literal in the per-row writers took this one, which
    /// copies the string and asks for its UTF-8 view.
    public func appendText(_ s: String) {
        var s = s
        s.withUTF8 { append($0) }
    }

    /// A probability in [0, 1] with exactly six decimals ("0.123457"), rounded half to even.
    @inline(__always)
    public func appendProbability(_ p: Double) {
        // Rounded to the nearest integer, ties to even, by adding and taking away 2^52: the sum has no fraction
        // bits, so the addition rounds (as `rounded(.toNearestOrEven)`, which was a call to `rint` per row).
        let scaled = (min(max(p, 0), 1) * 1_000_000 + 0x1p52) - 0x1p52
        let v = Int(scaled)
        if v >= 1_000_000 {
            append("1.000000")
            return
        }
        // "0." and the six digits as one word: three pairs of digits, each split by a multiplication (t * 205 >> 11
        // is t / 10 for every t below 100), instead of six divisions by ten in turn.
        @inline(__always)
        func pair(_ t: Int) -> UInt64 {
            let tens = (t &* 205) &>> 11
            return UInt64(truncatingIfNeeded: tens) | UInt64(truncatingIfNeeded: t &- tens &* 10) &<< 8
        }
        let high = v / 10_000, rest = v % 10_000
        let word: UInt64 = 0x3030_3030_3030_2E30 | pair(high) &<< 16 | pair(rest / 100) &<< 32 | pair(rest % 100) &<< 48
        reserve(8)
        UnsafeMutableRawPointer(base + count).storeBytes(of: word.littleEndian, as: UInt64.self)
        count += 8
    }

    /// A number as JSON: rounded to `decimals` (1000: three places), no '+' sign (JSON has none), and beyond the
    /// range of a double, which extreme inputs can reach, clamped to the largest finite one (JSON has no infinity).
    public func appendJSONNumber(_ v: Double, decimals: Double) {
        if v.isNaN { append("0"); return }
        let bounded = min(max(v, -Double.greatestFiniteMagnitude), Double.greatestFiniteMagnitude)
        let rounded = (bounded * decimals).rounded() / decimals
        appendText(String(rounded.isFinite ? rounded : bounded))
    }

    public func appendInt(_ value: Int) {
        if value < 0 { append(0x2D) }
        var v = value.magnitude
        var digits: (UInt64, UInt64) = (0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { tmp in
            repeat { tmp[n] = UInt8(v % 10) + 0x30; v /= 10; n += 1 } while v > 0
            reserve(n)
            for k in 0..<n { base[count + k] = tmp[n - 1 - k] }
        }
        count += n
    }

    /// A CSV field, quoted when it holds a comma, quote, CR or LF. With `neutralizeFormula`, a value a
    /// spreadsheet would run as a formula (starting with = + - @ tab or CR) is prefixed with a single quote.
    /// `knownPlain`: the caller knows the field holds none of those four bytes, and it is not looked through.
    public func appendCSVField(_ field: UnsafeBufferPointer<UInt8>, neutralizeFormula: Bool, knownPlain: Bool = false) {
        var needsQuotes = false
        if !knownPlain {
            for b in field where b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D { needsQuotes = true; break }
        }
        let risky = neutralizeFormula && field.count > 0 && ByteWriter.isFormulaStart(field[0])
        if !needsQuotes && !risky {
            append(field)
            return
        }
        if needsQuotes { append(0x22) }
        if risky { append(0x27) }
        for b in field {
            if b == 0x22 { append(0x22) }
            append(b)
        }
        if needsQuotes { append(0x22) }
    }

    public func appendCSVField(_ s: String, neutralizeFormula: Bool = false) {
        var s = s
        s.withUTF8 { appendCSVField($0, neutralizeFormula: neutralizeFormula) }
    }

    @inline(__always)
    static func isFormulaStart(_ b: UInt8) -> Bool {
        b == 0x3D || b == 0x2B || b == 0x2D || b == 0x40 || b == 0x09 || b == 0x0D
    }

    /// A JSON string literal (quotes included); invalid UTF-8 becomes U+FFFD so the output stays valid JSON.
    public func appendJSONString(_ field: UnsafeBufferPointer<UInt8>) {
        append(0x22)
        var clean = true
        for b in field where b < 0x20 || b == 0x22 || b == 0x5C || b >= 0x80 { clean = false; break }
        if clean {
            append(field)
        } else {
            let text = String(decoding: field, as: UTF8.self)
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": append("\\\"")
                case "\\": append("\\\\")
                case "\n": append("\\n")
                case "\r": append("\\r")
                case "\t": append("\\t")
                default:
                    if scalar.value < 0x20 {
                        append("\\u00")
                        let hex: [UInt8] = Array("0123456789abcdef".utf8)
                        append(hex[Int(scalar.value >> 4)])
                        append(hex[Int(scalar.value & 15)])
                    } else {
                        appendText(String(scalar))
                    }
                }
            }
        }
        append(0x22)
    }

    public func appendJSONString(_ s: String) {
        var s = s
        s.withUTF8 { appendJSONString($0) }
    }
}
