import ChurnBase
import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Customers for `churn dashboard --demo`, drawn column by column from the model's own reference profile (the
/// training data's distribution), so they fit any model's schema. `drift` (0–1) tilts the distribution of
/// some columns towards their higher bins, which is what the console's drift panel should then see.
public struct DemoCustomers: Sendable {
    public let schema: Schema
    public let profile: ReferenceProfile
    /// Indexes of the columns that drift: about 40%, so the drift score can pass a 0.3 alert threshold.
    public let drifting: Set<Int>

    public init(model: ModelArtifact) {
        schema = model.schema
        profile = model.reference
        let n = model.reference.columns.count
        drifting = Set(stride(from: 0, to: n, by: 2).prefix(max(1, (n * 2 + 4) / 5)))
    }

    /// One customer as a JSON object (fields in schema order), with id `id`.
    public func customer<R: RandomNumberGenerator>(id: String, drift: Double, using rng: inout R) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        if let idColumn = schema.idColumn { out[idColumn] = .string(id) }
        for (c, column) in schema.features.enumerated() where c < profile.columns.count {
            let p = profile.columns[c]
            let tilt = drifting.contains(c) ? drift : 0
            let bin = sample(p, tilt: tilt, using: &rng)
            switch column.kind {
            case .categorical:
                out[column.name] = .string(bin < column.categories.count ? column.categories[bin] : column.categories.first ?? "")
            case .numeric:
                out[column.name] = .number(value(p, bin: bin, using: &rng))
            }
        }
        return out
    }

    /// A bin drawn from the reference proportions (never the missing or unseen bins), tilted towards higher bins.
    func sample<R: RandomNumberGenerator>(_ p: ColumnProfile, tilt: Double, using rng: inout R) -> Int {
        let weights = Self.weights(p, tilt: tilt)
        var r = Double.random(in: 0..<1, using: &rng)
        for i in weights.indices where weights[i] > 0 {
            r -= weights[i]
            if r < 0 { return i }
        }
        return max(0, (weights.lastIndex { $0 > 0 }) ?? 0)
    }

    /// The share of each of the column's bins (summing to 1; 0 for the missing and unseen bins) under `tilt`.
    static func weights(_ p: ColumnProfile, tilt: Double) -> [Double] {
        let usable = min(p.proportions.count, p.kind == .numeric ? p.binCount - 1 : max(1, p.binCount - 2))
        var w = [Double](repeating: 0, count: p.binCount)
        for i in 0..<usable {
            let position = usable > 1 ? Double(i) / Double(usable - 1) - 0.5 : 0
            w[i] = max(p.proportions[i], 1e-3) * exp(tilt * 8 * position)
        }
        let total = w.reduce(0, +)
        return total > 0 ? w.map { $0 / total } : w
    }

    /// A number inside a numeric bin (bin i holds edges[i-1] < x <= edges[i]); whole numbers when the bin
    /// edges are whole, as for tenure or a 0/1 flag.
    func value<R: RandomNumberGenerator>(_ p: ColumnProfile, bin: Int, using rng: inout R) -> Double {
        guard let first = p.edges.first, let last = p.edges.last else { return 0 }
        let whole = p.edges.allSatisfy { $0 == $0.rounded() }
        let span = max(last - first, 1)
        let lo = bin == 0 ? (first >= 0 ? max(0, first - span * 0.1) : first - span * 0.1) : p.edges[bin - 1]
        var hi = bin >= p.edges.count ? last + span * 0.1 : p.edges[bin]
        if bin >= p.edges.count { hi = max(hi, lo + 1) }
        var v = lo < hi ? Double.random(in: lo...hi, using: &rng) : hi
        if whole {
            v = v.rounded()
            if bin > 0 && v <= lo { v = lo + 1 }
            return min(v, hi.rounded(.down))
        }
        if bin > 0 && v <= lo { v = (lo + hi) / 2 }
        return (v * 100).rounded() / 100
    }
}
