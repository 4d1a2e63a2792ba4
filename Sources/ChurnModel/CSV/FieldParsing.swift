#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Conversions of raw field bytes to values, shared by training and scoring so both read a file the same way.
public enum FieldParsing {
    /// Exact powers of ten representable in a Double (10^0 ... 10^22).
    /// Written out as literals so the optimizer lays the table out statically: a computed table is a lazily
    /// initialised global, whose every read went through a `swift_once` call on the per-field path.
    @usableFromInline static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22,
    ]

    /// The field without leading and trailing ASCII spaces and tabs.
    @inline(__always)
    public static func trim(_ f: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard let base = f.baseAddress else { return f }
        // Most fields start and end with neither: one test for both ends.
        if f.count == 0 || (base[0] > 0x20 && base[f.count - 1] > 0x20) { return f }
        var s = 0
        var e = f.count
        while s < e && (base[s] == 0x20 || base[s] == 0x09) { s += 1 }
        while e > s && (base[e - 1] == 0x20 || base[e - 1] == 0x09) { e -= 1 }
        return UnsafeBufferPointer(start: base + s, count: e - s)
    }

    /// True when the (trimmed) field means "no value": empty, `?`, `-`, or NA / N/A / NaN / null / None in any case.
    public static func isMissing(_ raw: UnsafeBufferPointer<UInt8>) -> Bool {
        let f = trim(raw)
        if f.count == 0 { return true }
        if f.count == 1 { return f[0] == 0x3F || f[0] == 0x2D } // "?" and "-", common in exported files
        if f.count > 4 { return false }
        var key: UInt32 = 0
        for b in f { key = (key << 8) | UInt32(b >= 0x41 && b <= 0x5A ? b | 0x20 : b) }
        switch key {
        case 0x6E61, 0x6E2F61, 0x6E616E, 0x6E756C6C, 0x6E6F6E65: return true // na, n/a, nan, null, none
        default: return false
        }
    }

    /// Parses a decimal number ("12", "-3.5", "1e-3", " 29.85 "); nil when the field is not a finite number.
    /// Up to 19 significant digits with a decimal exponent (from the point and an `e`) of at most 22 either way
    /// take an exact fast path: the digits are an exact integer below 2^53 and the power of ten is exact, so one
    /// IEEE multiplication or division rounds once, correctly (Clinger's fast path). The rest go to strtod.
    @inline(__always)
    public static func parseDouble(_ raw: UnsafeBufferPointer<UInt8>) -> Double? {
        let f = trim(raw)
        let n = f.count
        guard n > 0, let p = f.baseAddress else { return nil }
        var i = 0
        var negative = false
        if p[0] == 0x2D { negative = true; i = 1 } else if p[0] == 0x2B { i = 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var fraction = 0
        var sawDot = false
        var sawDigit = false
        var exponent = 0
        while i < n {
            let c = p[i]
            if c >= 0x30 && c <= 0x39 {
                sawDigit = true
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(c &- 0x30)
                    if mantissa != 0 { digits += 1 }
                    if sawDot { fraction += 1 }
                } else {
                    return slowParse(f)
                }
            } else if c == 0x2E && !sawDot {
                sawDot = true
            } else if (c == 0x65 || c == 0x45) && sawDigit {
                // An exponent: sign and one to three digits, then the end of the field; anything else is strtod's.
                i += 1
                var expNegative = false
                if i < n && (p[i] == 0x2D || p[i] == 0x2B) { expNegative = p[i] == 0x2D; i += 1 }
                let first = i
                while i < n && p[i] >= 0x30 && p[i] <= 0x39 && i - first < 3 {
                    exponent = exponent * 10 + Int(p[i] &- 0x30)
                    i += 1
                }
                guard i == n && i > first else { return slowParse(f) }
                if expNegative { exponent = -exponent }
                break
            } else {
                return slowParse(f)
            }
            i += 1
        }
        guard sawDigit else { return nil }
        let scale = exponent - fraction
        if mantissa < (1 << 53) && scale >= -22 && scale <= 22 {
            var v = Double(mantissa)
            if scale < 0 { v /= powersOfTen[-scale] } else if scale > 0 { v *= powersOfTen[scale] }
            return negative ? -v : v
        }
        if mantissa == 0 { return negative ? -0.0 : 0 }
        return slowParse(f)
    }

    /// `parseDouble` for a plain decimal of one to eight bytes ("15", "24.8", "324.15": digits with at most one
    /// '.', no sign, space or exponent), or nil for anything else (the caller then asks `parseDouble`, so nil
    /// says nothing about the field). The caller guarantees that the eight bytes from the field's start may be
    /// read. The bytes are checked and turned into an integer eight at a time, without a branch per byte: the
    /// '.' is found among them and the digits after it moved down one byte, then pairs, quads and halves of the
    /// digits are combined with three multiplications. The value is what `parseDouble` computes from the same
    /// digits and decimal places: one exact integer, divided once by an exact power of ten.
    @inline(__always)
    static func paddedPlainDecimal(_ f: UnsafeBufferPointer<UInt8>) -> Double? {
        let n = f.count
        guard n >= 1 && n <= 8 else { return nil }
        let zeros: UInt64 = 0x3030_3030_3030_3030
        // Masks of the low `k` bytes (1 ≤ k ≤ 8) as one shift of all ones, not a test of k against 8.
        let inField = ~UInt64(0) &>> UInt64(64 &- n &* 8)
        let w = UInt64(littleEndian: UnsafeRawPointer(f.baseAddress!).loadUnaligned(as: UInt64.self)) & inField
        // The '.', if any (at most one), and the digits without it: those above it moved down one byte. Its mark
        // (0x80 in its byte) moved to its byte's lowest bit, less one, masks the bytes below it (all of them
        // without a '.').
        let dots = ByteScanner.zeroBytes(w ^ 0x2E2E_2E2E_2E2E_2E2E) & inField
        guard dots & (dots &- 1) == 0 else { return nil }
        let below = (dots &>> 7) &- 1
        let digits = (w & below) | ((w &>> 8) & ~below)
        let count = dots == 0 ? n : n &- 1
        guard count >= 1 else { return nil }
        let inDigits = ~UInt64(0) &>> UInt64(64 &- count &* 8)
        // Each digit byte in '0'...'9': not at or above 0x80, its low seven bits neither ≥ 0x3A nor < 0x30 (each
        // sum stays within its byte).
        let low = digits & ByteScanner.low7
        let bad = (digits | ((low &+ 0x4646_4646_4646_4646) | ~(low &+ 0x5050_5050_5050_5050))) & ByteScanner.highs & inDigits
        guard bad == 0 else { return nil }
        // Right-aligned (leading zero digits in the low bytes, the first digit the most significant), then pairs,
        // quads and halves combined.
        var v = ((digits ^ zeros) & inDigits) &<< UInt64((8 &- count) &* 8)
        v = (v &* (10 &* 256 &+ 1)) &>> 8
        v = ((v & 0x00FF_00FF_00FF_00FF) &* (100 &* 65536 &+ 1)) &>> 16
        v = ((v & 0x0000_FFFF_0000_FFFF) &* (10000 &* (1 << 32) &+ 1)) &>> 32
        let value = Double(v & 0xFFFF_FFFF)
        if dots == 0 { return value }
        let fraction = count &- (dots.trailingZeroBitCount &>> 3)
        return fraction == 0 ? value : value / powersOfTen[fraction]
    }

    static func slowParse(_ f: UnsafeBufferPointer<UInt8>) -> Double? {
        // strtod accepts "inf", "nan" and hex; a column of numbers should not, so check the alphabet first.
        for b in f {
            switch b {
            case 0x30...0x39, 0x2B, 0x2D, 0x2E, 0x45, 0x65: continue
            default: return nil
            }
        }
        // A NUL-terminated copy on the stack (heap only for very long fields) for strtod.
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: f.count + 1) { buffer -> Double? in
            let cs = buffer.baseAddress!
            for (k, b) in f.enumerated() { cs[k] = CChar(bitPattern: b) }
            cs[f.count] = 0
            var endp: UnsafeMutablePointer<CChar>?
            let v = strtod(cs, &endp)
            guard let endp, endp - cs == f.count, v.isFinite else { return nil }
            return v
        }
    }

    /// Parses a label value into churned (true) / stayed (false); nil when it is neither.
    public static func parseLabel(_ raw: UnsafeBufferPointer<UInt8>, positive: [UInt8]? = nil) -> Bool? {
        let f = trim(raw)
        if let positive { return f.elementsEqual(positive) }
        var lower = [UInt8]()
        lower.reserveCapacity(f.count)
        for b in f { lower.append(b >= 0x41 && b <= 0x5A ? b | 0x20 : b) }
        switch String(decoding: lower, as: UTF8.self) {
        case "yes", "y", "1", "true", "t", "churn", "churned", "1.0": return true
        case "no", "n", "0", "false", "f", "0.0", "stayed", "retained": return false
        default: return nil
        }
    }
}
