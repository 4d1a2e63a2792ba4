import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The JSON form of a `MonitorSnapshot` on the wire (`GET /api/v1/stats`) and in `churn snapshot --json`:
/// `WireJSON`'s settings on both sides (ISO 8601 dates; NaN and ±infinity as strings).
public enum SnapshotJSON {
    public static func decode(_ data: Data) throws -> MonitorSnapshot {
        try WireJSON.decoder().decode(MonitorSnapshot.self, from: data)
    }

    public static func encode(_ snapshot: MonitorSnapshot, pretty: Bool = true) throws -> Data {
        try WireJSON.encoder(pretty: pretty).encode(snapshot)
    }

    /// A decoding error as one line: what was wrong and where in the document.
    public static func describe(_ error: Error) -> String {
        guard let e = error as? DecodingError else { return "\(error)" }
        func path(_ c: [CodingKey]) -> String {
            c.isEmpty ? "the top level" : "'" + c.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".") + "'"
        }
        switch e {
        case .keyNotFound(let key, let ctx): return "field '\(key.stringValue)' is missing at \(path(ctx.codingPath))"
        case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx): return "wrong type at \(path(ctx.codingPath)): \(ctx.debugDescription)"
        case .dataCorrupted(let ctx): return "not valid at \(path(ctx.codingPath)): \(ctx.debugDescription)"
        @unknown default: return "\(e)"
        }
    }
}
