import ChurnBase
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Checks column names given on the command line against a file's header: comma lists are split, every name must
/// be in the header, and a miss names the option, lists the header and suggests the nearest name.
public enum ColumnNames {
    /// Values of a repeatable option, each possibly a comma list, as one list of names (empty parts dropped).
    /// A value that is itself a header name is kept whole, so a column whose name holds a comma still works.
    public static func split(_ values: [String], header: [String] = []) -> [String] {
        var out: [String] = []
        for value in values {
            if header.contains(value) { out.append(value); continue }
            for part in value.split(separator: ",", omittingEmptySubsequences: true) {
                let name = part.trimmingWhitespace(newlines: false)
                if !name.isEmpty && !out.contains(name) { out.append(name) }
            }
        }
        return out
    }

    /// The first name not in `header`, as a message for the user, or nil when all are present.
    public static func problem(_ names: [String], option: String, header: [String], file: String) -> String? {
        guard let bad = names.first(where: { !header.contains($0) }) else { return nil }
        var message = "\(file):1: \(option) names column '\(bad)', which is not in the header"
        if let near = suggestion(for: bad, in: header) { message += "; did you mean '\(near)'?" }
        message += "\n  the file's columns: \(header.joined(separator: ", "))"
        return message
    }

    /// The header name closest to `name`: the same ignoring case, or within a small edit distance.
    public static func suggestion(for name: String, in header: [String]) -> String? {
        let lower = name.lowercased()
        if let same = header.first(where: { $0.lowercased() == lower }) { return same }
        let scored = header.map { ($0, distance(lower, $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        // Allow about one slip per four characters (at least one).
        return best.1 <= max(1, min(name.count, best.0.count) / 4) ? best.0 : nil
    }

    /// Levenshtein distance between two strings (by Unicode scalar).
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars)
        let y = Array(b.unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[y.count]
    }
}
