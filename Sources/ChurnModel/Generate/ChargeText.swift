/// Money and counts written the way the Telco file writes them: "29.85", "1889.5", "100" (no trailing zeros).
///
/// Done by hand on bytes because the CSV writer formats millions of values and `String(format:)` would be the
/// slowest part of generation.
enum ChargeText {
    /// Longest output: 19 digits, a dot, 2 decimals.
    static let maxBytes = 22

    /// Writes non-negative `cents` as a decimal amount at `out`; returns the bytes written.
    @inline(__always)
    static func write(cents: Int, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var n = writeInteger(cents / 100, to: out)
        let fraction = cents % 100
        if fraction != 0 {
            out[n] = 0x2E
            out[n + 1] = 0x30 &+ UInt8(fraction / 10)
            n += 2
            if fraction % 10 != 0 {
                out[n] = 0x30 &+ UInt8(fraction % 10)
                n += 1
            }
        }
        return n
    }

    /// Writes a non-negative integer at `out`; returns the bytes written.
    @inline(__always)
    static func writeInteger(_ value: Int, to out: UnsafeMutablePointer<UInt8>) -> Int {
        if value < 10 {
            out[0] = 0x30 &+ UInt8(value)
            return 1
        }
        var digits = 0
        var v = value
        while v > 0 { digits += 1; v /= 10 }
        v = value
        for i in stride(from: digits - 1, through: 0, by: -1) {
            out[i] = 0x30 &+ UInt8(v % 10)
            v /= 10
        }
        return digits
    }

    static func string(cents: Int) -> String {
        String(unsafeUninitializedCapacity: maxBytes) { write(cents: cents, to: $0.baseAddress!) }
    }
}
