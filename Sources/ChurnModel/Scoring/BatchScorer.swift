#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Scores a customer file in parallel, streaming: blocks of whole records are parsed, encoded and scored on
/// every core, and their results written in input order to a temporary file renamed into place at the end.
///
/// Every data row lands in exactly one of the output or the rejects file (or, with a shard, is left to another
/// shard), so `rows == scored + rejected`. Memory stays flat: at most `2 × threads` blocks are in flight.
public struct BatchScorer: Sendable {
    public let engine: ScoringEngine
    public let options: BatchOptions

    public init(engine: ScoringEngine, options: BatchOptions) {
        self.engine = engine
        self.options = options
    }

    /// Checks that the input opens and its header carries every column the model needs; writes nothing.
    public static func checkHeader(input: String, model: ModelArtifact, delimiter: UInt8 = 0x2C) throws(BatchError) -> [String] {
        let reader: CSVReader
        do { reader = try CSVReader(path: input, delimiter: delimiter) } catch { throw .input(error) }
        do { _ = try RowEncoder(schema: model.schema, header: reader.header, file: input) } catch { throw .header(error) }
        return reader.header
    }

    /// Runs the batch. `progress` is called from the calling thread after each wave of blocks.
    public func run(cancel: CancellationFlag = CancellationFlag(), progress: (BatchProgress) -> Void = { _ in }) throws(BatchError) -> BatchSummary {
        let start = ContinuousClock.now
        LargeBuffers.mapSeparately()
        let reader: CSVReader
        do { reader = try CSVReader(path: options.input, chunkSize: options.blockSize, delimiter: options.delimiter) } catch { throw .input(error) }
        let encoder: RowEncoder
        do {
            encoder = try RowEncoder(schema: engine.artifact.schema, header: reader.header, file: options.input,
                                     reference: engine.artifact.reference, unknownCategories: options.unknownCategories)
        } catch { throw .header(error) }
        try checkPaths()

        let out: OutputFile
        let rejects: OutputFile
        do {
            out = options.output == "-" ? .standardOutput() : try OutputFile(path: options.output)
            rejects = try OutputFile(path: options.rejects)
        } catch { throw .io(error) }

        let formatter = RowFormatter(engine: engine, encoder: encoder, options: options)
        var totals = BlockResult(profile: engine.artifact.reference, layout: encoder.layout)
        do {
            try out.write(formatter.header())
            try rejects.write(RowFormatter.rejectsHeader())
            let source = UncheckedBox(reader)
            var consumedBytes = 0
            var lastProgress = ContinuousClock.now
            let window = options.threads * 2
            let pipeline = BlockPipeline<CSVBlock, BlockResult>(workers: options.threads, window: window)
            // Blocks in flight, the one being read and one being written: enough buffers that none is mapped anew.
            let recycler = BufferRecycler(limit: window + 2)
            reader.recycler = recycler
            let floor = TopRiskFloor()
            try pipeline.run(
                next: { () throws -> CSVBlock? in cancel.isCancelled ? nil : try source.value.nextBlock() },
                work: { block in
                    let columns = recycler.takeColumns()
                    let result = formatter.score(block, output: recycler.takeWriter(capacity: block.bytes.count / 2),
                                                 topFloor: floor.value, columns: columns)
                    recycler.give(columns: columns)
                    recycler.give(input: block.bytes)
                    return result
                },
                consume: { (r: BlockResult) throws in
                    if cancel.isCancelled { throw BatchError.cancelled }
                    try r.output.withBytes { (b) throws(POSIXFailure) in try out.write(b) }
                    recycler.give(writer: r.output)
                    try r.rejects.withBytes { (b) throws(POSIXFailure) in try rejects.write(b) }
                    totals.merge(r, topCount: options.topCount)
                    if totals.top.count == options.topCount { floor.raise(to: totals.topMin) }
                    consumedBytes += r.inputBytes
                    if ContinuousClock.now - lastProgress >= .milliseconds(50) {
                        lastProgress = .now
                        progress(BatchProgress(rows: totals.rows, bytesRead: min(consumedBytes, reader.fileSize ?? Int.max),
                                               totalBytes: reader.fileSize, elapsed: (ContinuousClock.now - start).inSeconds))
                    }
                })
            if cancel.isCancelled { throw BatchError.cancelled }
            try out.commit()
            // A rejects file only when something was rejected; an earlier run's file at that path would
            // describe other output, so it goes (only where we may replace it: our side file, or --force).
            if totals.rejected > 0 {
                try rejects.commit()
            } else {
                rejects.abort()
                if options.rejectsIsSideFile || options.force { unlink(options.rejects) }
            }
        } catch let error as BatchError {
            out.abort(); rejects.abort()
            throw error
        } catch let error as CSVError {
            out.abort(); rejects.abort()
            throw .input(error)
        } catch let error as POSIXFailure {
            out.abort(); rejects.abort()
            throw .io(error)
        } catch {
            out.abort(); rejects.abort()
            throw .io(POSIXFailure(operation: "score", path: options.input, code: EIO))
        }
        let seconds = (ContinuousClock.now - start).inSeconds
        progress(BatchProgress(rows: totals.rows, bytesRead: reader.fileSize ?? reader.bytesRead, totalBytes: reader.fileSize, elapsed: seconds))
        let drift = DriftReport(counts: totals.drift, profile: engine.artifact.reference, threshold: options.driftThreshold)
        // The drift bins already count every missing and unseen value per column; no extra work in the row loop.
        var missingValues: [String: Int] = [:]
        var unseenValues: [String: Int] = [:]
        for (c, column) in engine.artifact.schema.features.enumerated() where c < totals.drift.bins.count {
            let bins = totals.drift.bins[c]
            if let m = bins.last, m > 0 { missingValues[column.name] = m }
            if column.kind == .categorical && bins.count >= 2 && bins[bins.count - 2] > 0 { unseenValues[column.name] = bins[bins.count - 2] }
        }
        var summary = BatchSummary(
            input: options.input, output: options.output, rejectsPath: totals.rejected > 0 ? options.rejects : nil, format: options.format,
            modelVersion: engine.version, rows: totals.rows, scored: totals.scored, rejected: totals.rejected,
            otherShards: totals.otherShards, blankLines: totals.blankLines, rejectReasons: totals.reasons,
            risk: ["low": totals.risk[0], "medium": totals.risk[1], "high": totals.risk[2]], highRisk: totals.risk[2],
            meanProbability: totals.scored > 0 ? totals.probabilitySum / Double(totals.scored) : 0,
            seconds: seconds, rowsPerSecond: seconds > 0 ? Double(totals.rows) / seconds : 0, drift: drift,
            topRisk: totals.top.sorted { $0.probability > $1.probability || ($0.probability == $1.probability && $0.line < $1.line) },
            shard: options.shard?.description)
        summary.missingValues = missingValues
        summary.unseenValues = unseenValues
        summary.unknownCategories = options.unknownCategories.rawValue
        return summary
    }

    /// Refuses to write over the input, or over existing files without `force`.
    func checkPaths() throws(BatchError) {
        let inputID = FileIdentity(options.input)
        for path in [options.output, options.rejects] where path != "-" {
            if let inputID, FileIdentity(path) == inputID { throw .sameAsInput(path) }
            let replaceable = options.force || (path == options.rejects && options.rejectsIsSideFile)
            if !replaceable && access(path, F_OK) == 0 { throw .outputExists(path) }
        }
        if options.output != "-" && options.output == options.rejects { throw .sameAsInput(options.rejects) }
    }
}

/// The lowest probability in the highest-risk list merged so far, once that list is full: every row of a block
/// still to be scored comes later in the file, so one at or below it would lose to all of the list's customers
/// (to a tie, by its later line) and never enter. Workers read it when they start a block and skip those rows
/// without building the strings a list entry keeps; blocks merge in order, so it only rises.
final class TopRiskFloor: Sendable {
    private let bits = Atomic<UInt64>((-1.0).bitPattern)

    var value: Double { Double(bitPattern: bits.load(ordering: .relaxed)) }

    func raise(to p: Double) {
        if p > value { bits.store(p.bitPattern, ordering: .relaxed) }
    }
}

/// Device and inode of a path, to tell whether two paths name the same file.
struct FileIdentity: Equatable {
    var device: UInt64
    var inode: UInt64

    init?(_ path: String) {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
    }
}

/// What one block produced, and the running totals (the same shape, merged in order).
struct BlockResult {
    let output: ByteWriter
    let rejects = ByteWriter()
    /// Bytes of input this result covers.
    var inputBytes = 0
    var rows = 0
    var scored = 0
    var rejected = 0
    var otherShards = 0
    /// Empty or whitespace-only lines: not rows, so neither scored nor rejected.
    var blankLines = 0
    var reasons: [String: Int] = [:]
    var risk = [0, 0, 0]
    var probabilitySum = 0.0
    var tally: DriftTally
    var drift: DriftCounts
    var top: [ScoredCustomer] = []
    var topMin = -1.0
    /// No row at or below this probability can enter the final list (`TopRiskFloor`); -1 admits every row.
    var topFloor = -1.0

    init(profile: ReferenceProfile, layout: FeatureLayout, output: ByteWriter = ByteWriter()) {
        tally = DriftTally(profile: profile, layout: layout)
        drift = DriftCounts(profile: profile)
        self.output = output
    }

    mutating func merge(_ r: BlockResult, topCount: Int) {
        rows += r.rows
        scored += r.scored
        rejected += r.rejected
        otherShards += r.otherShards
        blankLines += r.blankLines
        for (k, v) in r.reasons { reasons[k, default: 0] += v }
        for i in 0..<3 { risk[i] += r.risk[i] }
        probabilitySum += r.probabilitySum
        drift.merge(r.tally.driftCounts)
        for c in r.top { offerTop(c, topCount: topCount) }
    }

    /// Keeps the `topCount` highest probabilities (earlier lines win ties, as blocks merge in order).
    ///
    /// `top` is a binary heap with the customer to drop next at its root (the lowest probability, the latest line
    /// among equals): a block offers a few hundred customers, and finding the one to replace by a scan of the
    /// whole list, as before, cost a hundred comparisons and an array each time.
    mutating func offerTop(_ c: ScoredCustomer, topCount: Int) {
        guard topCount > 0 else { return }
        if top.count < topCount {
            top.append(c)
            var i = top.count - 1
            while i > 0 {
                let parent = (i - 1) / 2
                guard BlockResult.dropsFirst(top[i], top[parent]) else { break }
                top.swapAt(i, parent)
                i = parent
            }
            if top.count == topCount { topMin = top[0].probability }
            return
        }
        guard c.probability > topMin else { return }
        top[0] = c
        var i = 0
        while true {
            var worst = i
            let left = 2 * i + 1
            if left < top.count && BlockResult.dropsFirst(top[left], top[worst]) { worst = left }
            if left + 1 < top.count && BlockResult.dropsFirst(top[left + 1], top[worst]) { worst = left + 1 }
            if worst == i { break }
            top.swapAt(i, worst)
            i = worst
        }
        topMin = top[0].probability
    }

    /// Whether `a` leaves the highest-risk list before `b`: a lower probability, or the same one on a later line.
    @inline(__always)
    static func dropsFirst(_ a: ScoredCustomer, _ b: ScoredCustomer) -> Bool {
        a.probability < b.probability || (a.probability == b.probability && a.line > b.line)
    }
}
