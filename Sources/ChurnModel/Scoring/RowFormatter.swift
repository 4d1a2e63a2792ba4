/// Scores the records of one block and writes their output and reject lines.
struct RowFormatter: Sendable {
    let engine: ScoringEngine
    let encoder: RowEncoder
    let options: BatchOptions
    let versionBytes: [UInt8]
    let idName: String

    init(engine: ScoringEngine, encoder: RowEncoder, options: BatchOptions) {
        self.engine = engine
        self.encoder = encoder
        self.options = options
        let w = ByteWriter()
        w.appendCSVField(engine.version)
        versionBytes = w.bytes
        idName = encoder.idIndex != nil ? engine.artifact.schema.idColumn! : "line"
    }

    func header() -> [UInt8] {
        let w = ByteWriter()
        switch options.format {
        case .csv:
            w.appendCSVField(idName)
            w.append(",churn_probability,risk_level,model_version")
            ExplanationWriter.csvHeader(options.explain, columns: engine.artifact.schema.features.map(\.name), into: w)
            w.append(0x0A)
        case .jsonl:
            break
        }
        return w.bytes
    }

    static func rejectsHeader() -> [UInt8] {
        Array("line,column,field,code,reason,record\n".utf8)
    }

    /// Scores a block; its output lines go to `output` (an empty writer, perhaps a recycled one). Rows at or below
    /// `topFloor` are not offered to the block's highest-risk list (see `TopRiskFloor`).
    /// `columns` is memory for the columnar pass of linear models (`scoreColumns`), reused across blocks; without
    /// it every block is scored a record at a time.
    func score(_ block: CSVBlock, output: ByteWriter, topFloor: Double = -1, columns: LinearColumns? = nil) -> BlockResult {
        // The block's bytes stay put while it is scored: the records of pending rows are found again by offset.
        block.bytes.withUnsafeBufferPointer { score(block, bytes: $0, output: output, topFloor: topFloor, columns: columns) }
    }

    private func score(_ block: CSVBlock, bytes: UnsafeBufferPointer<UInt8>, output: ByteWriter, topFloor: Double,
                       columns: LinearColumns?) -> BlockResult {
        var result = BlockResult(profile: engine.artifact.reference, layout: encoder.layout, output: output)
        result.topFloor = topFloor
        result.inputBytes = block.bytes.count
        var row = encoder.makeRow()
        let idIndex = encoder.idIndex
        let shard = options.shard
        // Rows are scored in groups (trees score a group much faster than one row at a time). A row that is
        // explained, or that has a value to average over the training data (missing where training had none, or
        // unseen), is scored alone, after the group before it, so the output keeps the input's order. A linear
        // model scores every row alone: grouping would only copy the row.
        let pending = PendingRows(width: encoder.layout.count)
        let scratch = options.explain.isNone ? nil : engine.explainer.makeScratch()
        let linear = engine.linear
        // A linear model without explanations scores from the category codes: no one-hot row to clear and fill.
        let fromCodes = scratch == nil && linear.map { encoder.canScoreFromCodes($0) } == true
        // Its terms as a plain value: binding the scorer in the loop retained and released it for every row. The
        // engine holds the scorer for longer than this block takes.
        let codeTerms = fromCodes ? linear?.terms : nil
        let scoresAlone = scratch != nil || linear != nil
        // The drift tally is counted through pointers bound once for the block (see `DriftTally.counting`).
        var tally = result.tally
        result.tally = DriftTally.empty
        tally.counting { counter in
            func scoreRecord(_ record: CSVRecord) {
                // A blank line is not a row: counted (in every shard, as it belongs to none), never rejected.
                if record.isBlankLine { result.blankLines += 1; return }
                if let shard {
                    // Rows without a readable id go to shard 0, so exactly one worker reports them.
                    let owner: Bool
                    if let idIndex, record.error == nil, idIndex < record.count {
                        owner = shard.contains(FieldParsing.trim(record.field(idIndex)))
                    } else {
                        owner = shard.index == 0
                    }
                    if !owner { result.otherShards += 1; return }
                }
                result.rows += 1
                if let issue = encoder.encode(record, into: &row, indicators: !fromCodes) {
                    result.rejected += 1
                    result.reasons[issue.code, default: 0] += 1
                    writeReject(issue, record: record, into: result.rejects)
                    return
                }
                counter.add(row)
                let id = idIndex.map { FieldParsing.trim(record.field($0)) } ?? UnsafeBufferPointer(start: nil, count: 0)
                if let codeTerms {
                    let z = row.unresolved ? .nan : encoder.linearMargin(row, codeTerms)
                    if !z.isNaN {
                        account(id: id, line: record.line, probability: sigmoid(z), record: record.raw, explaining: nil, scratch: nil,
                                into: &result)
                        return
                    }
                    // Averaged values or overflowing terms: the one-hot row's slower paths.
                    _ = encoder.encode(record, into: &row)
                }
                if scoresAlone || row.unresolved {
                    flush(pending, bytes: bytes, into: &result)
                    account(id: id, line: record.line, probability: engine.probability(row), record: record.raw, explaining: row,
                            scratch: scratch, into: &result)
                    return
                }
                row.values.withUnsafeBufferPointer {
                    pending.add($0.baseAddress!, id: id, line: record.line, record: record.rawStart..<record.rawEnd)
                }
                if pending.isFull { flush(pending, bytes: bytes, into: &result) }
            }
            // Plain records of a linear model go column by column; anything else a record at a time.
            if let codeTerms, shard == nil, let columns, bytes.count > 0,
               columns.split.split(bytes, delimiter: block.delimiter) {
                // A field of a plain block split at commas holds no comma, quote, CR or LF: its id needs no quotes.
                let plainIDs = block.delimiter == 0x2C
                // The columnar pass counts its rows' drift through a copy of the counter (the same tables); the
                // per-record path it calls for other rows counts through the counter itself.
                let drift = counter
                let counted = scoreColumns(block, bytes: bytes, scratch: columns, terms: codeTerms, drift: drift,
                                           scored: { id, line, p, raw in
                                               result.rows += 1
                                               account(id: id, line: line, probability: p, record: raw, explaining: nil,
                                                       scratch: nil, into: &result, plainID: plainIDs)
                                           }, record: scoreRecord)
                counter.rows += counted
            } else {
                block.forEachRecord(scoreRecord)
            }
        }
        result.tally = tally
        flush(pending, bytes: bytes, into: &result)
        return result
    }

    /// Scores the pending rows together and records them in order.
    func flush(_ pending: PendingRows, bytes: UnsafeBufferPointer<UInt8>, into result: inout BlockResult) {
        guard pending.count > 0 else { return }
        engine.probabilities(rows: pending.values, stride: pending.width, count: pending.count, into: pending.probabilities)
        for k in 0..<pending.count {
            pending.withID(k) { id in
                account(id: id, line: pending.lines[k], probability: pending.probabilities[k],
                        record: UnsafeBufferPointer(rebasing: bytes[pending.records[k]]), explaining: nil, scratch: nil,
                        into: &result)
            }
        }
        pending.removeAll()
    }

    /// Counts a scored row and writes its output line (with its explanation when `row` and `scratch` are given).
    /// `record` is the row as in the file, copied only for a customer who enters the highest-risk list. `plainID`:
    /// the id is known to hold no byte that CSV quotes.
    @inline(__always)
    func account(id: UnsafeBufferPointer<UInt8>, line: Int, probability p: Double, record: UnsafeBufferPointer<UInt8>,
                 explaining row: EncodedRow?,
                 scratch: ExplainScratch?, into result: inout BlockResult, plainID: Bool = false) {
        let level = engine.risk(p)
        result.scored += 1
        result.risk[level.rank] += 1
        result.probabilitySum += p
        if p > result.topFloor && (p > result.topMin || result.top.count < options.topCount) {
            let name = encoder.idIndex != nil ? String(decoding: id, as: UTF8.self) : String(line)
            result.offerTop(ScoredCustomer(id: name, probability: p, risk: level, line: line,
                                           record: String(decoding: record, as: UTF8.self)), topCount: options.topCount)
        }
        writeScored(id: id, line: line, probability: p, level: level, row: row, scratch: scratch, into: result.output, plainID: plainID)
    }

    /// One output line; `id` is the trimmed id field (unused without an id column, where the line number is the id).
    @inline(__always)
    func writeScored(id: UnsafeBufferPointer<UInt8>, line: Int, probability p: Double, level: RiskLevel, row: EncodedRow?,
                     scratch: ExplainScratch?, into w: ByteWriter, plainID: Bool = false) {
        // Every column in CSV needs no text: the contributions are written straight from the scratch.
        let direct = options.explain == .all && options.format == .csv
        var reasons: [ScoreReason] = []
        if !direct, let row, let scratch { reasons = engine.reasons(row, choice: options.explain, scratch: scratch) }
        // Only an explanation needs the explainer (built on first use; a forest's tables cost megabytes).
        let baseValue = options.explain.isNone ? 0 : engine.explainer.baseValue
        switch options.format {
        case .csv:
            if encoder.idIndex != nil {
                w.appendCSVField(id, neutralizeFormula: true, knownPlain: plainID)
            } else {
                w.appendInt(line)
            }
            w.append(0x2C)
            w.appendProbability(p)
            switch level {
            case .low: w.append(",low,")
            case .medium: w.append(",medium,")
            case .high: w.append(",high,")
            }
            w.append(versionBytes)
            if direct, let row, let scratch {
                engine.explain(row, scratch: scratch)
                ExplanationWriter.csvAll(scratch.columns.prefix(engine.artifact.schema.features.count), baseValue: baseValue, into: w)
            } else if !options.explain.isNone {
                ExplanationWriter.csvFields(reasons, options.explain, baseValue: baseValue, into: w)
            }
            w.append(0x0A)
        case .jsonl:
            PredictionJSON.write(key: idName, id: encoder.idIndex != nil ? .bytes(id) : .line(line), probability: p, level: level,
                                 version: engine.version, reasons: reasons, choice: options.explain,
                                 baseValue: baseValue, into: w)
            w.append(0x0A)
        }
    }

    func writeReject(_ issue: RowIssue, record: CSVRecord, into w: ByteWriter) {
        w.appendInt(issue.line)
        w.append(0x2C)
        w.appendInt(issue.column)
        w.append(0x2C)
        w.appendCSVField(issue.field ?? "")
        w.append(0x2C)
        w.appendText(issue.code)
        w.append(0x2C)
        w.appendCSVField(issue.message, neutralizeFormula: true)
        w.append(0x2C)
        w.appendCSVField(record.raw, neutralizeFormula: true)
        w.append(0x0A)
    }
}
