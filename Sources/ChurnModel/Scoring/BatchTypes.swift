#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// How scored rows are written.
public enum OutputFormat: String, Codable, Sendable, CaseIterable {
    case csv
    case jsonl
}

/// What to score and where to put the results.
public struct BatchOptions: Sendable {
    public var input: String
    /// Output path, or "-" for standard output.
    public var output: String
    /// Where rejected rows go (CSV: line, column, field, code, reason, record).
    public var rejects: String
    public var format: OutputFormat = .csv
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    /// Explain each score: the top N input columns by absolute contribution, or every column.
    public var explain = ExplainChoice.none
    /// What an unknown category does: scored as unseen (default) or rejected.
    public var unknownCategories = UnknownCategoryMode.score
    /// Replace existing output files.
    public var force = false
    /// The rejects file is the output's side file (the default, not a path the user named): it may replace an
    /// earlier run's side file without `force`, and a stale one is removed when this run rejects nothing.
    public var rejectsIsSideFile = false
    /// PSI at or above which a feature counts as drifted.
    public var driftThreshold = DriftReport.defaultThreshold
    /// How many highest-risk customers the summary keeps.
    public var topCount = 100
    /// Bytes of input per work unit. Half a megabyte: the blocks in flight and their recycled buffers are most of
    /// the anonymous memory of a run, and 1 MiB blocks measured no faster (1M rows, 2 threads).
    public var blockSize = 1 << 19
    /// Score only rows whose id hashes to shard `index` of `count` (see `Shard`).
    public var shard: Shard?
    /// The input's field separator (',' unless --delimiter says otherwise).
    public var delimiter: UInt8 = 0x2C

    public init(input: String, output: String, rejects: String) {
        self.input = input
        self.output = output
        self.rejects = rejects
    }

    /// Default output paths next to the input: `x.csv` → `x.scored.csv` / `x.rejects.csv`.
    public static func defaultPaths(for input: String, format: OutputFormat) -> (output: String, rejects: String) {
        var stem = input
        if stem.hasSuffix(".csv") { stem.removeLast(4) }
        return (stem + ".scored." + format.rawValue, stem + ".rejects.csv")
    }

    /// The rejects file that goes with an output: beside it, named after it, so two runs with different outputs
    /// (other models, other shards) never share one. `part-1.csv` → `part-1.rejects.csv`, `x.scored.csv` →
    /// `x.rejects.csv`. With the output on standard output there is no folder to follow: the rejects go to the
    /// current directory, named after the input's file name (and the shard, so parallel shards stay apart).
    public static func rejectsPath(forOutput output: String, input: String, shard: Shard? = nil) -> String {
        if output == "-" {
            var name = input == "-" ? "stdin" : String(input.split(separator: "/").last ?? "stdin")
            for ext in [".csv", ".tsv", ".txt"] where name.hasSuffix(ext) { name.removeLast(ext.count); break }
            if let shard { name += ".shard-\(shard.index)-of-\(shard.count)" }
            return name + ".rejects.csv"
        }
        let nameStart = output.lastIndex(of: "/").map { output.index(after: $0) } ?? output.startIndex
        var name = output[nameStart...]
        // Drop a short extension (".csv", ".jsonl"), not a leading dot of a hidden file's name.
        if let dot = name.lastIndex(of: "."), dot > name.startIndex, name[dot...].count <= 6 { name = name[..<dot] }
        if name.hasSuffix(".scored") && name.count > ".scored".count { name = name.dropLast(".scored".count) }
        return String(output[..<nameStart]) + name + ".rejects.csv"
    }
}

/// A slice of the input chosen by a stable hash of the customer id, so n independent workers split a file.
///
/// Shard of an id = FNV-1a 64-bit hash of its UTF-8 bytes (trimmed) modulo `count`.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Parses "i/n" with 0 <= i < n.
    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, i >= 0, i < n else { return nil }
        self.init(index: i, count: n)
    }

    public var description: String { "\(index)/\(count)" }

    @inline(__always)
    public static func hash(_ id: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in id { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }

    @inline(__always)
    public func contains(_ id: UnsafeBufferPointer<UInt8>) -> Bool {
        Int(Shard.hash(id) % UInt64(count)) == index
    }
}

/// Where a running batch is, for progress bars.
public struct BatchProgress: Sendable, Equatable {
    public var rows: Int
    public var bytesRead: Int
    /// Input size when known (regular files).
    public var totalBytes: Int?
    public var elapsed: Double

    public var fraction: Double? {
        guard let totalBytes, totalBytes > 0 else { return nil }
        return min(1, Double(bytesRead) / Double(totalBytes))
    }

    public var rowsPerSecond: Double { elapsed > 0 ? Double(rows) / elapsed : 0 }

    /// Seconds left, estimated from the bytes still to read at the rate so far.
    public var eta: Double? {
        guard let f = fraction, f > 0, elapsed > 0 else { return nil }
        return elapsed * (1 - f) / f
    }
}

/// A flag another thread (a key handler, a signal handler) sets to stop a batch.
public final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    public func cancel() { flag.store(true, ordering: .relaxed) }

    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

/// The outcome of a batch: counts that add up (read = scored + rejected), risk mix, drift, speed.
public struct BatchSummary: Codable, Sendable, Equatable {
    public var input: String
    public var output: String
    /// The rejects file, or nil when no row was rejected (no file is written then).
    public var rejectsPath: String?
    public var format: OutputFormat
    public var modelVersion: String
    /// Data rows read (header excluded; with a shard, only this shard's rows).
    public var rows: Int
    public var scored: Int
    public var rejected: Int
    /// Rows left to other shards.
    public var otherShards: Int
    /// Empty or whitespace-only lines skipped: not rows, so in neither `rows` nor `rejected`.
    public var blankLines: Int
    /// Rejected rows by reason code.
    public var rejectReasons: [String: Int]
    public var risk: [String: Int]
    public var highRisk: Int
    public var meanProbability: Double
    public var seconds: Double
    public var rowsPerSecond: Double
    public var drift: DriftReport
    /// The highest-risk customers, highest first.
    public var topRisk: [ScoredCustomer]
    public var shard: String?
    /// Scored rows with a missing value, per column (columns with none left out).
    public var missingValues: [String: Int]?
    /// Scored rows with a value outside the model's categories, per categorical column: unseen values (and, in a
    /// column with an "other" level, the rare values training folded there).
    public var unseenValues: [String: Int]?
    /// What unknown categories did: "score" or "reject".
    public var unknownCategories: String?
}

/// Why a batch did not run or stopped.
public enum BatchError: Error, CustomStringConvertible, Sendable {
    case header(HeaderError)
    case input(CSVError)
    case io(POSIXFailure)
    case outputExists(String)
    case sameAsInput(String)
    case cancelled

    public var description: String {
        switch self {
        case .header(let e): return e.description
        case .input(let e): return e.description
        case .io(let e): return e.description
        case .outputExists(let p): return "\(p) already exists; pass --force to replace it"
        case .sameAsInput(let p): return "\(p) is the input file; choose another output path"
        case .cancelled: return "cancelled; no output was written"
        }
    }
}
