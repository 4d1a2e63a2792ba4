/// Row index → customer ID like "7590-VHVEG" (4 digits, a dash, 5 capital letters, as in the real Telco file).
///
/// The ID is a keyed permutation of the whole ID space (10⁴ × 26⁵ ≈ 1.19·10¹¹ values) applied to the index:
/// a 4-round Feistel network over 38 bits with cycle-walking back into the space. So IDs look random, never
/// repeat within one seed (a permutation has no collisions, unlike random draws, which would collide a few
/// times in a million rows), and any row's ID is computed from its index alone.
struct CustomerIDPermutation: Sendable {
    /// How many distinct IDs exist: 10,000 × 26⁵.
    static let space: UInt64 = 10_000 * 11_881_376
    /// Bytes of the text form, "NNNN-LLLLL".
    static let textLength = 10

    private static let halfBits: UInt64 = 19
    private static let halfMask: UInt64 = (1 << 19) - 1
    private let keys: (UInt64, UInt64, UInt64, UInt64)

    init(seed: UInt64) {
        let base = CustomerRandom.mix(seed ^ 0x5EED_1D5E_ED1D_5EED)
        keys = (CustomerRandom.mix(base &+ 1), CustomerRandom.mix(base &+ 2),
                CustomerRandom.mix(base &+ 3), CustomerRandom.mix(base &+ 4))
    }

    /// The position in the ID space of row `index` (index < `space`).
    @inline(__always)
    func number(for index: UInt64) -> UInt64 {
        var x = index
        repeat { x = encrypt(x) } while x >= CustomerIDPermutation.space
        return x
    }

    @inline(__always)
    private func encrypt(_ x: UInt64) -> UInt64 {
        let mask = CustomerIDPermutation.halfMask
        var left = x >> CustomerIDPermutation.halfBits
        var right = x & mask
        @inline(__always) func round(_ key: UInt64) {
            (left, right) = (right, left ^ (CustomerRandom.mix(right ^ key) & mask))
        }
        round(keys.0)
        round(keys.1)
        round(keys.2)
        round(keys.3)
        return (left << CustomerIDPermutation.halfBits) | right
    }

    /// Writes the ten bytes of ID number `number` at `out`.
    @inline(__always)
    static func write(_ number: UInt64, to out: UnsafeMutablePointer<UInt8>) {
        var digits = number % 10_000
        var letters = number / 10_000
        for i in stride(from: 3, through: 0, by: -1) {
            out[i] = 0x30 &+ UInt8(digits % 10)
            digits /= 10
        }
        out[4] = 0x2D
        for i in stride(from: 9, through: 5, by: -1) {
            out[i] = 0x41 &+ UInt8(letters % 26)
            letters /= 26
        }
    }

    static func text(_ number: UInt64) -> String {
        String(unsafeUninitializedCapacity: textLength) { buffer in
            write(number, to: buffer.baseAddress!)
            return textLength
        }
    }
}
