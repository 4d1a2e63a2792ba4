#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The one JSON configuration for everything the product writes for other programs and reads back: API answers,
/// `/api/v1/stats` snapshots, `--json` output. Keys sorted, dates ISO 8601, and the floating-point values JSON
/// cannot spell (NaN, ±infinity) written as the strings "NaN", "Infinity" and "-Infinity", which the decoder
/// reads back as the same values, so a snapshot survives the wire unchanged.
public enum WireJSON {
    public static let nan = "NaN"
    public static let positiveInfinity = "Infinity"
    public static let negativeInfinity = "-Infinity"

    /// An encoder with the product's settings; `pretty` adds indentation for people.
    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]
        e.dateEncodingStrategy = .iso8601
        e.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: positiveInfinity, negativeInfinity: negativeInfinity, nan: nan)
        return e
    }

    /// The decoder that reads what `encoder` writes.
    public static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        d.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: positiveInfinity, negativeInfinity: negativeInfinity, nan: nan)
        return d
    }
}
