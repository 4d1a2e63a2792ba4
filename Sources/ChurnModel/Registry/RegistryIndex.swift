import ChurnBase
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The registry's index file, `registry.json`: every version, which one is in production, the promotion stack
/// rollback walks back through, and the history of stage changes. Replaced whole (temporary file + rename) on
/// every change, so a reader sees the old index or the new one, never a mix.
public struct RegistryIndex: Codable, Sendable, Equatable {
    public static let formatName = "churnops-registry"
    public static let currentFormatVersion = 1

    public var format: String
    public var formatVersion: Int
    /// Versions in registration order.
    public var versions: [RegistryEntry]
    /// The production version (`RegistryEntry.version`), nil before the first promotion.
    public var production: String?
    /// Versions that were production, oldest first; the last is the current one. Rollback pops it.
    public var productionHistory: [String]
    /// Stage changes, oldest first (the last 1,000 are kept).
    public var history: [StageChange]

    public init() {
        format = RegistryIndex.formatName
        formatVersion = RegistryIndex.currentFormatVersion
        versions = []
        production = nil
        productionHistory = []
        history = []
    }

    /// The entry of the production version.
    public var productionEntry: RegistryEntry? { production.flatMap(entry(version:)) }

    public func entry(version: String) -> RegistryEntry? { versions.first { $0.version == version } }

    /// Finds a version by registration number (`3`, `#3`), exact version id, or a prefix of exactly one id.
    public func resolve(_ reference: String) throws(RegistryError) -> RegistryEntry {
        let ref = reference.trimmingWhitespace(newlines: false)
        let digits = ref.hasPrefix("#") ? String(ref.dropFirst()) : ref
        if let n = Int(digits), let e = versions.first(where: { $0.number == n }) { return e }
        if let e = entry(version: ref) { return e }
        let matches = ref.isEmpty ? [] : versions.filter { $0.version.hasPrefix(ref) }
        if matches.count == 1 { return matches[0] }
        if matches.count > 1 {
            throw RegistryError.ambiguous(reference: ref, matches: matches.map(\.version))
        }
        throw RegistryError.unknownVersion(reference: ref, known: versions.map { "#\($0.number) \($0.version)" })
    }
}
