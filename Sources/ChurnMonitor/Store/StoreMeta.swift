import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What the store's `meta` table says about its writer and model.
struct StoreMeta {
    var model: ModelSummary?
    var reference: ReferenceProfile?
    var lastFlush: Date?
    /// Drift bins before this belong to an earlier model's profile (see `writeModel`).
    var referenceSince: Int
    var writerStarted: Date?
    var resources: Resources

    init(_ db: SQLiteConnection) throws {
        func meta(_ key: String) throws -> String? {
            try db.one("SELECT value FROM meta WHERE key = ?", "reading the store's \(key)", key) { $0.text(0) }
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        model = try meta("model").flatMap { try? decoder.decode(ModelSummary.self, from: Data($0.utf8)) }
        reference = try meta("reference").flatMap { try? decoder.decode(ReferenceProfile.self, from: Data($0.utf8)) }
        lastFlush = try meta("last_flush").flatMap(Double.init).map { Date(timeIntervalSince1970: $0) }
        referenceSince = try meta("reference_since").flatMap(Int.init) ?? Int.min
        writerStarted = try meta("writer_started").flatMap(Double.init).map { Date(timeIntervalSince1970: $0) }
        resources = Resources(residentBytes: try meta("resident_bytes").flatMap(Int.init),
                              cpuSeconds: try meta("cpu_seconds").flatMap(Double.init))
    }
}
