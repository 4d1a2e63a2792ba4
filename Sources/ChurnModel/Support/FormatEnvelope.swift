#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The `format` and `formatVersion` members of a JSON document of ours, read before the whole document is decoded,
/// so a foreign or newer file gets a plain answer rather than a decoding path. Decoding fails only when the text is
/// not a JSON object; a member that is missing or of another type reads as nil.
struct FormatEnvelope: Decodable {
    var format: String?
    var formatVersion: Int?

    private enum Key: String, CodingKey { case format, formatVersion }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        format = try? c.decode(String.self, forKey: .format)
        formatVersion = try? c.decode(Int.self, forKey: .formatVersion)
    }

    /// The envelope of `data`, or nil when it is not a JSON object.
    static func read(_ data: Data) -> FormatEnvelope? { try? JSONDecoder().decode(FormatEnvelope.self, from: data) }
}
