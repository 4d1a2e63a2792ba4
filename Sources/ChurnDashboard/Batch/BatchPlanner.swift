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

/// Checks a chosen file before scoring: it must be under the root and carry every column the model needs.
/// Picks output paths next to it that do not overwrite anything (`x.scored.csv`, else `x.scored-2.csv`, …).
public struct BatchPlanner: Sendable {
    public let root: BatchRoot
    public let model: ModelArtifact

    public init(root: BatchRoot, model: ModelArtifact) {
        self.root = root
        self.model = model
    }

    public func check(_ relative: String) -> HeaderCheck {
        guard let path = root.resolve(relative) else {
            return HeaderCheck(file: relative, result: .failure(BatchFailure("\(relative) is outside the batch root or not allowed")))
        }
        let header: [String]
        do {
            header = try BatchScorer.checkHeader(input: path, model: model)
        } catch {
            return HeaderCheck(file: relative, result: .failure(BatchFailure(error.description)))
        }
        let (output, rejects) = Self.freeOutputPaths(for: path)
        var st = stat()
        let size = stat(path, &st) == 0 ? Int(st.st_size) : nil
        let plan = BatchPlan(input: relative, inputPath: path, outputPath: output, rejectsPath: rejects,
                             columns: header.count, sizeBytes: size, header: header)
        return HeaderCheck(file: relative, result: .success(plan))
    }

    /// `x.scored.csv` / `x.rejects.csv`, or the first `-N` variant where neither exists.
    static func freeOutputPaths(for input: String) -> (String, String) {
        let base = BatchOptions.defaultPaths(for: input, format: .csv)
        let fm = FileManager.default
        if !fm.fileExists(atPath: base.output) && !fm.fileExists(atPath: base.rejects) { return base }
        var stem = input
        if stem.lowercased().hasSuffix(".csv") { stem.removeLast(4) }
        for n in 2... {
            let out = "\(stem).scored-\(n).csv", rej = "\(stem).rejects-\(n).csv"
            if !fm.fileExists(atPath: out) && !fm.fileExists(atPath: rej) { return (out, rej) }
        }
        return base
    }
}
