/// Per-worker memory for columnar scoring: the block's field boundaries and one batch of rows, column by column.
/// Taken from `BufferRecycler` for each block, so its pages are mapped once per worker, not once per block.
final class LinearColumns: @unchecked Sendable {
    /// Rows scored together: enough that each column's loop runs long, few enough that the batch's fields, codes
    /// and values stay in the first-level cache.
    static let batch = 64
    /// A column of at most this many drift bins is counted in lanes (`lanes`).
    static let laneBins = 64

    let split = FieldSplit()
    private(set) var columns = 0
    /// Per row of the batch: index in `split.stops` of the stop that ends its first field, and its first byte.
    let firstStop = UnsafeMutablePointer<Int>.allocate(capacity: batch)
    let rowStart = UnsafeMutablePointer<Int>.allocate(capacity: batch)
    let margin = UnsafeMutablePointer<Double>.allocate(capacity: batch)
    /// Non-zero for a row the columnar pass does not score (the record parser and the row encoder do).
    let slow = UnsafeMutablePointer<UInt8>.allocate(capacity: batch)
    /// The column at which a row turned to the per-record path (its drift counts for the columns before are
    /// taken back).
    let slowAt = UnsafeMutablePointer<Int>.allocate(capacity: batch)
    /// The rows of a column's loop whose fields it could not read plainly (`lookUp`, `readNumbers`).
    let missed = UnsafeMutablePointer<Int>.allocate(capacity: batch)
    /// The drift counts of a block's columns of few bins: four tallies per column, taken in turn row by row (column
    /// `c`'s at four times its first bin), added to the tally once, at the block's end.
    private(set) var lanes = UnsafeMutablePointer<Int>.allocate(capacity: 1)
    private var laneCapacity = 1
    /// Column `c`'s codes and numbers at `c * batch`.
    private(set) var codes = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    private(set) var values = UnsafeMutablePointer<Double>.allocate(capacity: 1)

    deinit {
        firstStop.deallocate()
        rowStart.deallocate()
        margin.deallocate()
        slow.deallocate()
        slowAt.deallocate()
        missed.deallocate()
        lanes.deallocate()
        codes.deallocate()
        values.deallocate()
    }

    /// Batch row `i`'s field, `stops` being offset by the field's index (`stops[-1]` of the block is -1, so its
    /// first field starts at 0); a line's last field (`stripReturn` where the block has "\r\n" endings) ends before
    /// the '\r', as the record parser strips it.
    @inline(__always)
    static func field(_ i: Int, firstStop: UnsafeMutablePointer<Int>, stops: UnsafePointer<Int32>, base: UnsafePointer<UInt8>,
                      stripReturn: Bool) -> UnsafeBufferPointer<UInt8> {
        let start = Int(stops[firstStop[i] &- 1]) &+ 1
        var end = Int(stops[firstStop[i]])
        if stripReturn && end > start && base[end &- 1] == 0x0D { end &-= 1 }
        return UnsafeBufferPointer(start: base + start, count: end &- start)
    }

    /// `body(a, b, c)` called with each switch as a literal, so that an inlined `body` is compiled once per
    /// combination with its tests folded away: a test of a switch inside a column loop took a register the loop's
    /// other values then spilled for.
    @inline(__always)
    static func withConstants(_ a: Bool, _ b: Bool, _ c: Bool, _ body: (Bool, Bool, Bool) -> Int) -> Int {
        switch (a, b, c) {
        case (false, false, false): return body(false, false, false)
        case (false, false, true): return body(false, false, true)
        case (false, true, false): return body(false, true, false)
        case (false, true, true): return body(false, true, true)
        case (true, false, false): return body(true, false, false)
        case (true, false, true): return body(true, false, true)
        case (true, true, false): return body(true, true, false)
        case (true, true, true): return body(true, true, true)
        }
    }

    /// `withConstants` for two switches.
    @inline(__always)
    static func withConstants(_ a: Bool, _ b: Bool, _ body: (Bool, Bool) -> Int) -> Int {
        switch (a, b) {
        case (false, false): return body(false, false)
        case (false, true): return body(false, true)
        case (true, false): return body(true, false)
        case (true, true): return body(true, true)
        }
    }

    /// One categorical column for a batch of rows: each row's field (`stops` is offset by the column's field
    /// index) found by its length (`CategoryTables.LengthTable`), its term added to the row's margin and its code
    /// counted in `tally` (lanes `laneStride` apart, taken in turn). A row whose field the table cannot tell goes to
    /// `missed`, for the caller; returns how many did. A function of its own, so that its loop holds only these
    /// values (the column loop around it holds dozens). `nearEnd`: some field of the batch may lie within
    /// `byLength` bytes of `limit` (only in a block's last batch), so each is checked.
    @inline(never)
    static func lookUp(rows count: Int, slow: UnsafeMutablePointer<UInt8>, firstStop: UnsafeMutablePointer<Int>,
                       stops: UnsafePointer<Int32>, base: UnsafePointer<UInt8>, limit: UnsafePointer<UInt8>, nearEnd: Bool,
                       stripReturn: Bool, table: CategoryTables.LengthTable, weights: UnsafePointer<Double>,
                       margin: UnsafeMutablePointer<Double>, codes: UnsafeMutablePointer<Int32>, tally: UnsafeMutablePointer<Int>?,
                       laneStride: Int, missed: UnsafeMutablePointer<Int>) -> Int {
        // The loop for each combination of the five switches (`withConstants`): the table's two, and three of the
        // batch's.
        @inline(__always)
        func loop(_ pairs: Bool, _ wide: Bool, _ nearEnd: Bool, _ stripReturn: Bool, _ tallied: Bool) -> Int {
            var misses = 0
            for i in 0..<count where slow[i] == 0 {
                let f = field(i, firstStop: firstStop, stops: stops, base: base, stripReturn: stripReturn)
                let n = f.count
                if n < CategoryTables.byLength && (!nearEnd || f.baseAddress! + CategoryTables.byLength <= limit) {
                    let k = table.codes[table.entry(of: UnsafeRawPointer(f.baseAddress!), count: n, pairs: pairs, wide: wide)]
                    if k >= 0 {
                        codes[i] = k
                        margin[i] += weights[Int(k)]
                        if tallied { tally.unsafelyUnwrapped[(i & 3) &* laneStride &+ Int(k)] &+= 1 }
                        continue
                    }
                }
                missed[misses] = i
                misses &+= 1
            }
            return misses
        }
        return withConstants(table.pairs, table.wide) { pairs, wide in
            withConstants(nearEnd, stripReturn, tally != nil) { loop(pairs, wide, $0, $1, $2) }
        }
    }

    /// One numeric column for a batch of rows, as `lookUp` for a categorical one: each row's field read as a plain
    /// decimal eight bytes at a time (`FieldParsing.paddedPlainDecimal`), its term added to the row's margin, its
    /// value kept in `values` and its bin counted; a row with any other field goes to `missed`.
    @inline(never)
    static func readNumbers(rows count: Int, slow: UnsafeMutablePointer<UInt8>, firstStop: UnsafeMutablePointer<Int>,
                            stops: UnsafePointer<Int32>, base: UnsafePointer<UInt8>, limit: UnsafePointer<UInt8>, nearEnd: Bool,
                            stripReturn: Bool, weight: Double, margin: UnsafeMutablePointer<Double>,
                            values: UnsafeMutablePointer<Double>, column: DriftTally.Column, edges: UnsafeBufferPointer<Double>,
                            tally: UnsafeMutablePointer<Int>?, laneStride: Int, missed: UnsafeMutablePointer<Int>) -> Int {
        // The loop for each combination of the three switches (`withConstants`).
        @inline(__always)
        func loop(_ nearEnd: Bool, _ stripReturn: Bool, _ tallied: Bool) -> Int {
            var misses = 0
            for i in 0..<count where slow[i] == 0 {
                let f = field(i, firstStop: firstStop, stops: stops, base: base, stripReturn: stripReturn)
                if !nearEnd || f.baseAddress! + 8 <= limit, let v = FieldParsing.paddedPlainDecimal(f) {
                    values[i] = v
                    margin[i] += weight * v
                    if tallied { tally.unsafelyUnwrapped[(i & 3) &* laneStride &+ DriftTally.numericBin(column, edges, v)] &+= 1 }
                    continue
                }
                missed[misses] = i
                misses &+= 1
            }
            return misses
        }
        return withConstants(nearEnd, stripReturn, tally != nil, loop)
    }

    /// Lanes for a tally of `bins` bins.
    func reserve(laneBins bins: Int) {
        guard 4 * bins > laneCapacity else { return }
        lanes.deallocate()
        laneCapacity = 4 * bins
        lanes = .allocate(capacity: laneCapacity)
    }

    /// Room for `count` columns.
    func reserve(columns count: Int) {
        guard count > columns else { return }
        codes.deallocate()
        values.deallocate()
        codes = .allocate(capacity: count * Self.batch)
        values = .allocate(capacity: count * Self.batch)
        columns = count
    }
}

extension RowFormatter {
    /// Scores a block of plain records (see `FieldSplit`) with a linear model column by column, in batches of
    /// rows: each schema column's fields are parsed or looked up for the whole batch in one loop, adding the
    /// column's term to each row's margin, then the rows are written in order. A column's loop holds one kind of
    /// work and rows that do not depend on each other, where a row at a time interleaved every column's branches
    /// and waited on each lookup in turn.
    ///
    /// The margins are bit for bit `linearMargin`'s: each row starts from the bias and adds its columns' terms in
    /// schema order. Every row this pass cannot score as plainly as that (a field count that is not the header's,
    /// an empty id, a number that does not parse, a category that is not found as written, a missing value
    /// training never saw, a margin that overflowed to NaN) and every line that is not a row (a blank one) goes
    /// to `record`, the per-record path, at its place in the order, so the output, the rejects and every count
    /// are what a row at a time gives. Each row it scores goes to `scored` (its trimmed id, line, probability and
    /// raw bytes), in order with those. Returns how many rows it counted in `drift` (the caller adds them to the
    /// counter's rows).
    func scoreColumns(_ block: CSVBlock, bytes: UnsafeBufferPointer<UInt8>, scratch: LinearColumns, terms: LinearScorer.Terms,
                      drift: DriftTally.Counter, scored: (_ id: UnsafeBufferPointer<UInt8>, _ line: Int, _ probability: Double,
                                                         _ record: UnsafeBufferPointer<UInt8>) -> Void,
                      record: (CSVRecord) -> Void) -> Int {
        let split = scratch.split
        let plans = encoder.plans
        scratch.reserve(columns: plans.count)
        let base = bytes.baseAddress!
        let limit = base + bytes.count
        let stops = split.stops
        let lineEnds = split.lineEnds
        let headerCount = encoder.headerCount
        let idIndex = encoder.idIndex
        let parser = CSVRecordParser(delimiter: block.delimiter)
        let batch = LinearColumns.batch
        let firstStop = scratch.firstStop, rowStart = scratch.rowStart, margin = scratch.margin
        let slow = scratch.slow, slowAt = scratch.slowAt, missed = scratch.missed
        scratch.reserve(laneBins: drift.counts.count)
        let lanes = scratch.lanes
        for col in drift.columns where col.binCount <= LinearColumns.laneBins {
            (lanes + 4 * col.firstBin).initialize(repeating: 0, count: 4 * col.binCount)
        }
        // (Without a reference profile the tally has no columns and no counts; nothing is counted then.)
        let driftColumns = drift.columns, edges = drift.edges, counts = drift.counts.baseAddress ?? lanes
        let codes = scratch.codes, values = scratch.values
        let tables = encoder.tables

        let returns = split.hasReturns
        let lastField = headerCount - 1
        /// Field `field` of batch row `i` (a row with the header's field count).
        @inline(__always)
        func bytesOf(_ i: Int, _ field: Int) -> UnsafeBufferPointer<UInt8> {
            LinearColumns.field(i, firstStop: firstStop, stops: stops + field, base: base, stripReturn: returns && field == lastField)
        }

        var counted = 0
        var line = 0
        while line < split.lineCount {
            let count = min(batch, split.lineCount - line)
            for i in 0..<count {
                let first = line + i == 0 ? 0 : Int(lineEnds[line + i - 1]) + 1
                firstStop[i] = first
                rowStart[i] = Int(stops[first - 1]) + 1
                // A blank line is one empty field, so with a single column it needs the per-record path as well.
                slow[i] = Int(lineEnds[line + i]) - first + 1 == headerCount && headerCount > 1 ? 0 : 1
                slowAt[i] = 0
                margin[i] = terms.bias
            }
            // Whether a field of the batch may lie within a lookup's reach of the block's end (the last line's end
            // is the batch's last byte).
            let nearEnd = Int(stops[Int(lineEnds[line + count - 1])]) + CategoryTables.byLength > bytes.count
            if let idIndex {
                for i in 0..<count where slow[i] == 0 && FieldParsing.trim(bytesOf(i, idIndex)).isEmpty { slow[i] = 1 }
            }
            for c in 0..<plans.count {
                let plan = plans[c]
                let code = codes + c * batch
                let value = values + c * batch
                // The column's drift bins are counted as its values are read (and taken back for a row that
                // turns to the per-record path at a later column).
                let tallied = c < driftColumns.count
                let col = tallied ? driftColumns[c] : DriftTally.Column(numeric: plan.numeric, slot: 0, firstBin: 0, binCount: 0,
                                                                         firstEdge: 0, edgeCount: 0, countEdges: false)
                // Four tallies taken in turn for a column of few bins: adding to the same count row after row
                // waited on the previous store. Others count straight into the tally.
                let laned = tallied && col.binCount <= LinearColumns.laneBins
                let tally = laned ? lanes + 4 * col.firstBin : counts + col.firstBin
                let laneStride = laned ? col.binCount : 0
                let stripReturn = returns && plan.fieldIndex == lastField
                if plan.numeric {
                    let w = terms.weights[plan.slot], m = terms.missing[plan.slot]
                    // Plain decimals eight bytes at a time; the rest as always, after.
                    let misses = LinearColumns.readNumbers(rows: count, slow: slow, firstStop: firstStop, stops: stops + plan.fieldIndex,
                                                           base: base, limit: limit, nearEnd: nearEnd, stripReturn: stripReturn, weight: w, margin: margin,
                                                           values: value, column: col, edges: edges, tally: tallied ? tally : nil,
                                                           laneStride: laneStride, missed: missed)
                    for j in 0..<misses {
                        let i = missed[j]
                        let f = bytesOf(i, plan.fieldIndex)
                        if let v = FieldParsing.parseDouble(f) {
                            value[i] = v
                            margin[i] += w * v
                        } else if plan.missingLearned && encoder.isMissing(c, f) {
                            value[i] = .nan
                            margin[i] += m
                        } else {
                            slow[i] = 1
                            slowAt[i] = c
                            continue
                        }
                        if tallied { tally[(i & 3) &* laneStride &+ DriftTally.numericBin(col, edges, value[i])] &+= 1 }
                    }
                } else {
                    let w = terms.weights + plan.slot
                    // First by length, as written (most fields); whatever that cannot tell, trimmed and hashed, after.
                    let misses = LinearColumns.lookUp(rows: count, slow: slow, firstStop: firstStop, stops: stops + plan.fieldIndex,
                                                      base: base, limit: limit, nearEnd: nearEnd, stripReturn: stripReturn,
                                                      table: tables.lengthTable(plan.table), weights: w, margin: margin, codes: code,
                                                      tally: tallied ? tally : nil, laneStride: laneStride, missed: missed)
                    for j in 0..<misses {
                        let i = missed[j]
                        let f = FieldParsing.trim(bytesOf(i, plan.fieldIndex))
                        // The padded lookup may read eight bytes before the field and sixteen from its start, and
                        // takes texts of up to 24 bytes.
                        let inside = f.count <= 24 && f.baseAddress! - base >= 8 && f.baseAddress! + 16 <= limit
                        if let k = inside ? tables.paddedIndex(of: f, in: plan.table) : tables.index(of: f, in: plan.table) {
                            code[i] = Int32(truncatingIfNeeded: k)
                            margin[i] += w[k]
                        } else if plan.missingLearned && encoder.isMissing(c, f) {
                            code[i] = RowEncoder.missing
                        } else {
                            slow[i] = 1
                            slowAt[i] = c
                            continue
                        }
                        if tallied { tally[(i & 3) &* laneStride &+ DriftTally.categoryBin(col, code[i])] &+= 1 }
                    }
                }
            }
            // Rows that turned to the per-record path after some of their columns were counted: those counts
            // go back (the record path counts the row again).
            for i in 0..<count {
                if slow[i] == 0 && margin[i].isNaN {
                    slow[i] = 1
                    slowAt[i] = plans.count
                }
                if slow[i] == 0 { counted += 1; continue }
                for c in 0..<min(slowAt[i], driftColumns.count) {
                    let col = driftColumns[c]
                    let bin = col.numeric ? DriftTally.numericBin(col, edges, values[c * batch + i])
                        : DriftTally.categoryBin(col, codes[c * batch + i])
                    counts[col.firstBin + bin] -= 1
                }
            }
            // The probabilities in a loop of their own, before the rows are written: each waits on an `exp` and a
            // division, which the loop overlaps from row to row, where the writing of each row waited on its own.
            // (A row the record path takes gets one too, of no use.)
            for i in 0..<count { margin[i] = sigmoid(margin[i]) }
            for i in 0..<count {
                if slow[i] != 0 {
                    let end = Int(stops[Int(lineEnds[line + i])])
                    parser.parseAll(bytes, range: rowStart[i]..<end + 1, firstLine: block.firstLine + line + i, file: block.file, record)
                    continue
                }
                let id = idIndex.map { FieldParsing.trim(bytesOf(i, $0)) } ?? UnsafeBufferPointer(start: nil, count: 0)
                // The record as in the file, without its line ending (the last field's end).
                let last = bytesOf(i, lastField)
                scored(id, block.firstLine + line + i, margin[i],
                       UnsafeBufferPointer(start: base + rowStart[i], count: last.baseAddress! + last.count - (base + rowStart[i])))
            }
            line += count
        }
        // The lanes into the tally.
        for col in driftColumns where col.binCount <= LinearColumns.laneBins {
            let lane = lanes + 4 * col.firstBin, stride = col.binCount
            for bin in 0..<stride {
                counts[col.firstBin + bin] += lane[bin] + lane[stride + bin] + lane[2 * stride + bin] + lane[3 * stride + bin]
            }
        }
        // A last line without a newline (the end of a file).
        let tail = split.lineCount == 0 ? 0 : Int(stops[Int(lineEnds[split.lineCount - 1])]) + 1
        if tail < bytes.count {
            parser.parseAll(bytes, range: tail..<bytes.count, firstLine: block.firstLine + split.lineCount, file: block.file, record)
        }
        return counted
    }
}
