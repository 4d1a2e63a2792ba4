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

    func score(_ block: CSVBlock) -> BlockResult {
        var result = BlockResult(profile: engine.artifact.reference, layout: encoder.layout, outputCapacity: block.bytes.count / 2)
        result.inputBytes = block.bytes.count
        var row = encoder.makeRow()
        let idIndex = encoder.idIndex
        let shard = options.shard
        let scratch = options.explain.isNone ? nil : engine.explainer.makeScratch()
        block.forEachRecord { record in
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
            if let issue = encoder.encode(record, into: &row) {
                result.rejected += 1
                result.reasons[issue.code, default: 0] += 1
                writeReject(issue, record: record, into: result.rejects)
                return
            }
            let p = engine.probability(row)
            let level = engine.risk(p)
            result.scored += 1
            result.risk[level.rank] += 1
            result.probabilitySum += p
            result.tally.add(row)
            if p > result.topMin || result.top.count < options.topCount {
                let id = idIndex.map { String(decoding: FieldParsing.trim(record.field($0)), as: UTF8.self) } ?? String(record.line)
                result.offerTop(ScoredCustomer(id: id, probability: p, risk: level, line: record.line), topCount: options.topCount)
            }
            writeScored(record, probability: p, level: level, row: row, scratch: scratch, into: result.output)
        }
        return result
    }

    @inline(__always)
    func writeScored(_ record: CSVRecord, probability p: Double, level: RiskLevel, row: EncodedRow, scratch: ExplainScratch?,
                     into w: ByteWriter) {
        // Every column in CSV needs no text: the contributions are written straight from the scratch.
        let direct = options.explain == .all && options.format == .csv
        let reasons = direct ? [] : scratch.map { engine.reasons(row, choice: options.explain, scratch: $0) } ?? []
        switch options.format {
        case .csv:
            if let idIndex = encoder.idIndex {
                w.appendCSVField(FieldParsing.trim(record.field(idIndex)), neutralizeFormula: true)
            } else {
                w.appendInt(record.line)
            }
            w.append(0x2C)
            w.appendProbability(p)
            switch level {
            case .low: w.append(",low,")
            case .medium: w.append(",medium,")
            case .high: w.append(",high,")
            }
            w.append(versionBytes)
            if direct, let scratch {
                engine.explain(row, scratch: scratch)
                ExplanationWriter.csvAll(scratch.columns.prefix(engine.explainer.columnCount), baseValue: engine.explainer.baseValue, into: w)
            } else {
                ExplanationWriter.csvFields(reasons, options.explain, baseValue: engine.explainer.baseValue, into: w)
            }
            w.append(0x0A)
        case .jsonl:
            w.append("{")
            w.appendJSONString(idName)
            w.append(":")
            if let idIndex = encoder.idIndex {
                w.appendJSONString(FieldParsing.trim(record.field(idIndex)))
            } else {
                w.appendInt(record.line)
            }
            w.append(",\"churn_probability\":")
            w.appendProbability(p)
            w.append(",\"risk_level\":\"")
            w.append(level.rawValue)
            w.append("\",\"model_version\":")
            w.appendJSONString(engine.version)
            ExplanationWriter.jsonFields(reasons, options.explain, baseValue: engine.explainer.baseValue, into: w)
            w.append("}\n")
        }
    }

    func writeReject(_ issue: RowIssue, record: CSVRecord, into w: ByteWriter) {
        w.appendInt(issue.line)
        w.append(0x2C)
        w.appendInt(issue.column)
        w.append(0x2C)
        w.appendCSVField(issue.field ?? "")
        w.append(0x2C)
        w.append(issue.code)
        w.append(0x2C)
        w.appendCSVField(issue.message, neutralizeFormula: true)
        w.append(0x2C)
        w.appendCSVField(record.raw, neutralizeFormula: true)
        w.append(0x0A)
    }
}
