#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Synthetic Telco-schema customers for demos, tests and benchmarks.
///
/// Customer `i` depends only on the seed, `i` and the drift level, so a file can be made in parallel blocks
/// and still be byte-identical run after run, and a replayer can ask for one customer at a time, at whatever
/// drift level the moment calls for (`customer(at:drift:)`). See `TelcoPopulation` for how customers are
/// distributed, `ChurnProcess` for who churns and `DriftShift` for what drift changes.
public struct CustomerGenerator: Sendable {
    public struct Options: Sendable, Equatable {
        public var rows = 1000
        public var seed: UInt64 = 1
        /// Include the Churn column.
        public var labelled = true
        /// 0 = the training distribution; 1 = strongly shifted (clamped into 0...1).
        public var drift = 0.0
        /// Put before every customer ID, e.g. "DEMO-" for "DEMO-7590-VHVEG"; must not contain a comma,
        /// quote or line break (IDs are written unquoted).
        public var idPrefix = ""

        public init(rows: Int = 1000, seed: UInt64 = 1, labelled: Bool = true, drift: Double = 0, idPrefix: String = "") {
            self.rows = rows
            self.seed = seed
            self.labelled = labelled
            self.drift = drift
            self.idPrefix = idPrefix
        }
    }

    /// Rows one seed can make before customer IDs would have to repeat (10,000 × 26⁵).
    public static let maximumRows = Int(CustomerIDPermutation.space)

    public let options: Options
    let ids: CustomerIDPermutation
    let encoder: CustomerCSVEncoder
    let drift: DriftShift

    public init(options: Options = Options()) {
        precondition(options.rows >= 0 && options.rows <= CustomerGenerator.maximumRows,
                     "rows must be in 0...\(CustomerGenerator.maximumRows)")
        precondition(CustomerGenerator.isValidIDPrefix(options.idPrefix), "idPrefix must not contain , \" or line breaks")
        self.options = options
        ids = CustomerIDPermutation(seed: options.seed)
        encoder = CustomerCSVEncoder(idPrefix: Array(options.idPrefix.utf8), labelled: options.labelled)
        drift = DriftShift(level: options.drift)
    }

    /// Whether `prefix` can stand before IDs in an unquoted CSV field.
    public static func isValidIDPrefix(_ prefix: String) -> Bool {
        !prefix.utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
    }

    /// The columns written, in order: `TelcoSchema.header`, without Churn when unlabelled.
    public var header: [String] {
        options.labelled ? TelcoSchema.header : Array(TelcoSchema.header.dropLast())
    }

    /// Customer number `index` (0-based, below `maximumRows`), at `drift` (default: the options' level).
    ///
    /// The same seed, index and drift always give the same customer; the same customer at a slightly different
    /// drift level is mostly unchanged, so a replayer can raise the level gradually.
    public func customer(at index: Int, drift level: Double? = nil) -> SyntheticCustomer {
        precondition(index >= 0 && index < CustomerGenerator.maximumRows, "customer index out of range")
        var customer = draw(index, drift: level.map { DriftShift(level: $0) } ?? drift)
        customer.customerID = options.idPrefix + CustomerIDPermutation.text(ids.number(for: UInt64(index)))
        return customer
    }

    /// The customer without its ID text (the CSV encoder writes the ID bytes itself).
    @inline(__always)
    func draw(_ index: Int, drift: DriftShift) -> SyntheticCustomer {
        var random = CustomerRandom(seed: options.seed, index: UInt64(index))
        return TelcoPopulation.customer(index: index, random: &random, drift: drift)
    }

    /// CSV rows (no header) for customers `indices`, exactly as `write` puts them in a file.
    public func csvRows(_ indices: Range<Int>) -> [UInt8] {
        let rowBytes = encoder.maxRowBytes
        var bytes = [UInt8](repeating: 0, count: indices.count * rowBytes)
        var used = 0
        bytes.withUnsafeMutableBufferPointer { buffer in
            var p = buffer.baseAddress!
            for i in indices {
                let n = encoder.write(draw(i, drift: drift), idNumber: ids.number(for: UInt64(i)), to: p)
                p += n
                used += n
            }
        }
        bytes.removeSubrange(used...)
        return bytes
    }

    /// The whole file (header and `options.rows` rows) in memory; for tests and small outputs.
    public func csvFile() -> [UInt8] {
        encoder.headerLine + csvRows(0..<options.rows)
    }

    /// Writes the header and `options.rows` rows to an open descriptor (e.g. 1 for standard output).
    public func write(toDescriptor fd: Int32, threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws(GenerateError) {
        try CustomerCSVWriter(generator: self, threads: threads).write(to: fd, path: fd == 1 ? "standard output" : "descriptor \(fd)")
    }

    /// Writes the file atomically: into a temporary file in the same directory, flushed, then renamed over
    /// `path`, so a reader never sees half a file. Without `overwrite` an existing file is an error.
    public func write(toFile path: String, overwrite: Bool = false,
                      threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws(GenerateError) {
        var st = stat()
        if stat(path, &st) == 0 {
            if (st.st_mode & S_IFMT) == S_IFDIR { throw GenerateError(path: path, reason: .isDirectory) }
            if !overwrite { throw GenerateError(path: path, reason: .outputExists) }
        }
        let temporary = AtomicFile.temporaryPath(for: path)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw GenerateError(path: path, reason: .system(operation: "create a file next to", code: errno)) }
        var closed = false
        do throws(GenerateError) {
            try CustomerCSVWriter(generator: self, threads: threads).write(to: fd, path: path)
            if fsync(fd) != 0 { throw GenerateError(path: path, reason: .system(operation: "flush", code: errno)) }
            closed = true
            if close(fd) != 0 { throw GenerateError(path: path, reason: .system(operation: "close", code: errno)) }
        } catch {
            if !closed { close(fd) }
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw GenerateError(path: path, reason: .system(operation: "rename the finished file to", code: code))
        }
    }
}
