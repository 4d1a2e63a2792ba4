#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The random numbers of one generated customer: a SplitMix64 stream keyed by (seed, index).
///
/// Each customer has a stream of its own, so customer `i` comes out the same whichever block, thread or
/// order makes it. The population model draws a fixed count of numbers per customer in a fixed order, so
/// the same customer drawn at two drift levels uses the same numbers: drift moves it, it does not reshuffle it.
struct CustomerRandom {
    private var state: UInt64

    init(seed: UInt64, index: UInt64) {
        state = CustomerRandom.mix(seed &* 0xD1B5_4A32_D192_ED03 &+ CustomerRandom.mix(index &+ 0x632B_E59B_D9B4_E019))
    }

    /// SplitMix64's finaliser: a bijective 64-bit mix whose outputs pass BigCrush as a stream.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return CustomerRandom.mix(state)
    }

    /// Uniform in [0, 1), 53 random bits.
    @inline(__always)
    mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// Standard normal (Box–Muller; uses two numbers of the stream and keeps one result, for a fixed draw count).
    @inline(__always)
    mutating func normal() -> Double {
        let u1 = 1 - uniform() // (0, 1]: log stays finite
        let u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
