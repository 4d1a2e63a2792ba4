import ChurnModel
import ChurnMonitor
import Foundation
import Hummingbird
import HTTPTypes
import Synchronization

/// The API's behaviour, independent of routing: scoring single customers and batches, taking feedback,
/// describing the model and the service. Each method turns a request body into a complete response.
public final class ScoringService: Sendable {
    public let monitor: ServiceMonitor
    public let configuration: ServerConfiguration
    private let current: Mutex<ModelRouting>

    public init(model: ModelArtifact, configuration: ServerConfiguration, now: Date = Date()) throws {
        self.configuration = configuration
        let store = try configuration.storePath.map { try MetricsStore(path: $0) }
        let serving = ServingModel(artifact: model)
        monitor = try ServiceMonitor(engine: serving.engine, store: store, configuration: configuration.monitor, now: now)
        current = Mutex(ModelRouting(production: serving))
    }

    /// The production model.
    public var model: ServingModel { current.withLock { $0.production } }

    /// The models requests are scored with right now (production, and a canary for a share of customers).
    public var routing: ModelRouting { current.withLock { $0 } }

    /// Replaces the routing in one step: requests that already took the old routing finish on its models;
    /// every later request gets the new one. The monitor follows (see `ServiceMonitor.replaceProduction`).
    /// Called by one writer at a time (the `ModelFollower`, or start-up).
    public func install(_ next: ModelRouting, now: Date = Date()) {
        let previous = routing
        // The monitor learns of the new models first, so rows the old ones still score in the meantime are
        // already counted as the retired model's, and none of the new model's rows is missed.
        if previous.production.engine.version != next.production.engine.version {
            monitor.replaceProduction(with: next.production.engine, now: now)
        }
        if previous.canary?.engine.version != next.canary?.engine.version || previous.canaryShare != next.canaryShare {
            monitor.setCanary(next.canary?.engine, share: next.canaryShare, now: now)
        }
        current.withLock { $0 = next }
    }

    /// Header naming the model that answered a predict request; the metrics middleware labels the request with it.
    static let modelVersionHeader = HTTPField.Name("X-Model-Version")!

    // MARK: Prediction

    func predict(_ body: ByteBuffer, explain: ExplainChoice) -> Response {
        let routing = self.routing
        let value: JSONValue
        do { value = try body.withUnsafeReadableBytes { raw in try JSONParser.parse(raw.bindMemory(to: UInt8.self)) } } catch {
            return APIResponse.error(.badRequest, code: "malformed_json", message: "\(error)")
        }
        let model = routing.canary == nil ? routing.production
            : routing.model(forCustomer: routing.production.decoder.customerID(in: value))
        var row = model.decoder.makeRow()
        let id: String
        switch model.decoder.decode(value, into: &row) {
        case .success(let decoded): id = decoded
        case .failure(let list):
            return answered(by: model, APIResponse.error(.unprocessableContent, code: "invalid_fields",
                                     message: "\(list.problems.count) field\(list.problems.count == 1 ? "" : "s") cannot be used", fields: list.problems))
        }
        let p = model.engine.probability(row)
        let level = model.engine.risk(p)
        monitor.recordPredictions([PredictionEvent(customerID: id, probability: p, risk: level, bins: model.tally.binIndexes(row),
                                                   modelVersion: model.engine.version)])
        let w = ByteWriter(capacity: 192)
        writeResult(w, id: id, probability: p, level: level, version: model.engine.version)
        if !explain.isNone {
            ExplanationWriter.jsonFields(model.engine.reasons(row, choice: explain), explain,
                                         baseValue: model.engine.explainer.baseValue, into: w)
        }
        ScoringService.writeGaps(w, model.engine.gaps(row))
        w.append("}")
        return answered(by: model, APIResponse.json(.ok, w))
    }

    /// Marks a response with the model that answered it (`X-Model-Version`).
    private func answered(by model: ServingModel, _ response: Response) -> Response {
        var r = response
        r.headers[ScoringService.modelVersionHeader] = model.engine.version
        return r
    }

    /// `{"customerID":…,"churn_probability":…,"risk_level":…,"model_version":…` (the caller closes it, after
    /// any explanation).
    private func writeResult(_ w: ByteWriter, id: String, probability: Double, level: RiskLevel, version: String) {
        w.append("{\"customerID\":")
        w.appendJSONString(id)
        w.append(",\"churn_probability\":")
        w.appendProbability(probability)
        w.append(",\"risk_level\":\"")
        w.append(level.rawValue)
        w.append("\",\"model_version\":")
        w.appendJSONString(version)
    }

    /// `"missing"` and `"unseen"`: the columns whose value was missing or not one of the model's categories (each
    /// only when not empty, so a complete customer's answer is unchanged).
    static func writeGaps(_ w: ByteWriter, _ gaps: (missing: [String], unseen: [String])) {
        for (key, names) in [("missing", gaps.missing), ("unseen", gaps.unseen)] where !names.isEmpty {
            w.append(",\"\(key)\":[")
            for (k, name) in names.enumerated() {
                if k > 0 { w.append(",") }
                w.appendJSONString(name)
            }
            w.append("]")
        }
    }

    /// Scores a JSON array of customers, or a CSV body with a header; results come back in input order, each
    /// either a prediction or the problems that kept that item from being scored.
    func predictBatch(_ body: ByteBuffer, contentType: String?, explain: ExplainChoice = .none) -> Response {
        let routing = self.routing
        let model = routing.production
        let canaryVersion = routing.canary?.engine.version
        var canaryRows = 0
        let isCSV = contentType.map { $0.lowercased().hasPrefix("text/csv") } ?? false
        let w = ByteWriter(capacity: 64 + body.readableBytes)
        var events: [PredictionEvent] = []
        var scored = 0
        var rejected = 0
        w.append("{\"model_version\":")
        w.appendJSONString(model.engine.version)
        w.append(",\"results\":[")
        var first = true
        func separator() { if !first { w.append(",") }; first = false }
        func writeProblems(_ index: Int, line: Int?, _ problems: [FieldProblem]) {
            separator()
            rejected += 1
            w.append("{\"index\":")
            w.appendInt(index)
            if let line { w.append(",\"line\":"); w.appendInt(line) }
            w.append(",\"error\":{\"code\":\"invalid_fields\",\"fields\":")
            APIResponse.writeFields(problems, to: w)
            w.append("}}")
        }
        // With a canary each row says which model scored it; without one the top-level version says it for all.
        func writeScored(_ id: String, _ row: EncodedRow, by model: ServingModel) {
            separator()
            scored += 1
            let p = model.engine.probability(row)
            let level = model.engine.risk(p)
            let version = model.engine.version
            events.append(PredictionEvent(customerID: id, probability: p, risk: level, bins: model.tally.binIndexes(row),
                                          modelVersion: version))
            w.append("{\"customerID\":")
            w.appendJSONString(id)
            w.append(",\"churn_probability\":")
            w.appendProbability(p)
            w.append(",\"risk_level\":\"")
            w.append(level.rawValue)
            w.append("\"")
            if let canaryVersion {
                if version == canaryVersion { canaryRows += 1 }
                w.append(",\"model_version\":")
                w.appendJSONString(version)
            }
            if !explain.isNone {
                ExplanationWriter.jsonFields(model.engine.reasons(row, choice: explain), explain,
                                             baseValue: model.engine.explainer.baseValue, into: w)
            }
            ScoringService.writeGaps(w, model.engine.gaps(row))
            w.append("}")
        }

        if isCSV {
            var bytes = body.getBytes(at: body.readerIndex, length: body.readableBytes) ?? []
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
            let block = CSVBlock(bytes: bytes, firstLine: 1, firstRecordIndex: 0, file: "body", isFinal: true)
            var encoder: RowEncoder?
            var canaryEncoder: RowEncoder?
            var headerProblem: Response?
            var row = model.decoder.makeRow()
            var canaryRow = routing.canary?.decoder.makeRow()
            var index = 0
            block.forEachRecord { record in
                if headerProblem != nil { return }
                guard let enc = encoder else {
                    let header = (0..<record.count).map { record.string(at: $0).trimmingCharacters(in: .whitespaces) }
                    do {
                        encoder = try RowEncoder(schema: model.artifact.schema, header: header, file: "body",
                                                 reference: model.artifact.reference)
                        // A header the canary cannot read sends every row to production.
                        canaryEncoder = routing.canary.flatMap { try? RowEncoder(schema: $0.artifact.schema, header: header, file: "body",
                                                                                            reference: $0.artifact.reference) }
                    } catch let error as HeaderError {
                        headerProblem = APIResponse.error(.unprocessableContent, code: "bad_header",
                                                          message: "CSV header lacks required columns",
                                                          fields: error.missing.map { FieldProblem(field: $0, problem: "is missing from the header") })
                    } catch {
                        headerProblem = APIResponse.error(.badRequest, code: "bad_header", message: "\(error)")
                    }
                    return
                }
                defer { index += 1 }
                let id = enc.idIndex.map { String(decoding: FieldParsing.trim(record.field($0)), as: UTF8.self) } ?? ""
                if let problem = CustomerDecoder.idLengthProblem(id) {
                    return writeProblems(index, line: record.line, [FieldProblem(field: enc.schema.idColumn ?? "customerID", problem: problem)])
                }
                if let canary = routing.canary, let canaryEnc = canaryEncoder, routing.model(forCustomer: id) === canary {
                    if let issue = canaryEnc.encode(record, into: &canaryRow!) {
                        writeProblems(index, line: issue.line, [FieldProblem(field: issue.field ?? "(row)", problem: issue.message)])
                    } else {
                        writeScored(id, canaryRow!, by: canary)
                    }
                } else if let issue = enc.encode(record, into: &row) {
                    writeProblems(index, line: issue.line, [FieldProblem(field: issue.field ?? "(row)", problem: issue.message)])
                } else {
                    writeScored(id, row, by: model)
                }
            }
            if let headerProblem { return headerProblem }
            if encoder == nil { return APIResponse.error(.badRequest, code: "empty_body", message: "the CSV body has no header line") }
        } else {
            let value: JSONValue
            do { value = try body.withUnsafeReadableBytes { raw in try JSONParser.parse(raw.bindMemory(to: UInt8.self)) } } catch {
                return APIResponse.error(.badRequest, code: "malformed_json", message: "\(error)")
            }
            guard case .array(let items) = value else {
                return APIResponse.error(.unprocessableContent, code: "invalid_body",
                                         message: "expected a JSON array of customers (or a text/csv body), got \(value.typeName)")
            }
            var row = model.decoder.makeRow()
            var canaryRow = routing.canary?.decoder.makeRow()
            for (index, item) in items.enumerated() {
                let chosen = routing.canary == nil ? model : routing.model(forCustomer: model.decoder.customerID(in: item))
                let result = chosen === model ? model.decoder.decode(item, into: &row) : chosen.decoder.decode(item, into: &canaryRow!)
                switch result {
                case .success(let id): writeScored(id, chosen === model ? row : canaryRow!, by: chosen)
                case .failure(let list): writeProblems(index, line: nil, list.problems)
                }
            }
        }
        w.append("],\"scored\":")
        w.appendInt(scored)
        w.append(",\"rejected\":")
        w.appendInt(rejected)
        w.append("}")
        monitor.recordPredictions(events)
        // The request is counted for the model that scored most of its rows.
        let majority = routing.canary.flatMap { canaryRows * 2 > scored ? $0 : nil } ?? model
        return answered(by: majority, APIResponse.json(.ok, w))
    }

    // MARK: Feedback

    /// Takes `{"customerID": "...", "churned": true}` or an array of them.
    func feedback(_ body: ByteBuffer) -> Response {
        let value: JSONValue
        do { value = try body.withUnsafeReadableBytes { raw in try JSONParser.parse(raw.bindMemory(to: UInt8.self)) } } catch {
            return APIResponse.error(.badRequest, code: "malformed_json", message: "\(error)")
        }
        let items: [JSONValue]
        if case .array(let list) = value { items = list } else { items = [value] }
        var problems: [FieldProblem] = []
        var outcomes: [(String, Bool)] = []
        for (i, item) in items.enumerated() {
            let prefix = items.count > 1 || { if case .array = value { return true } else { return false } }() ? "[\(i)]." : ""
            guard case .object = item else {
                problems.append(FieldProblem(field: prefix.isEmpty ? "(body)" : String(prefix.dropLast()), problem: "expected an object, got \(item.typeName)"))
                continue
            }
            var id: String?
            switch item["customerID"] {
            case .string(let s)? where !s.isEmpty:
                if let problem = CustomerDecoder.idLengthProblem(s) { problems.append(FieldProblem(field: prefix + "customerID", problem: problem)) } else { id = s }
            case nil: problems.append(FieldProblem(field: prefix + "customerID", problem: "is missing"))
            default: problems.append(FieldProblem(field: prefix + "customerID", problem: "must be a non-empty string"))
            }
            var churned: Bool?
            switch item["churned"] {
            case .bool(let b)?: churned = b
            case .number(let n, _)? where n == 0 || n == 1: churned = n == 1
            case .string(var s)?:
                churned = s.withUTF8 { FieldParsing.parseLabel($0) }
                if churned == nil { problems.append(FieldProblem(field: prefix + "churned", problem: "must be true/false (or Yes/No), got \"\(s)\"")) }
            case nil: problems.append(FieldProblem(field: prefix + "churned", problem: "is missing"))
            default: problems.append(FieldProblem(field: prefix + "churned", problem: "must be true or false"))
            }
            if let id, let churned { outcomes.append((id, churned)) }
        }
        if !problems.isEmpty {
            return APIResponse.error(.unprocessableContent, code: "invalid_fields", message: "feedback not recorded", fields: problems)
        }
        var matched = 0
        var unmatched: [String] = []
        do {
            for (id, churned) in outcomes {
                if case .matched = try monitor.recordFeedback(customerID: id, churned: churned) { matched += 1 } else { unmatched.append(id) }
            }
        } catch {
            return APIResponse.error(.serviceUnavailable, code: "store_unavailable", message: "the metrics store cannot be read: \(error)")
        }
        let w = ByteWriter(capacity: 128)
        w.append("{\"accepted\":")
        w.appendInt(outcomes.count)
        w.append(",\"matched\":")
        w.appendInt(matched)
        w.append(",\"unmatched\":[")
        for (k, id) in unmatched.prefix(100).enumerated() {
            if k > 0 { w.append(",") }
            w.appendJSONString(id)
        }
        w.append("]}")
        return APIResponse.json(.ok, w)
    }

    // MARK: Status

    func readiness() -> Response {
        var storeState = "memory"
        if let store = monitor.store {
            storeState = access(store.path, W_OK) == 0 ? "writable" : "not writable"
        }
        let ready = storeState != "not writable"
        let w = ByteWriter(capacity: 128)
        w.append("{\"status\":")
        w.appendJSONString(ready ? "ready" : "not ready")
        w.append(",\"model\":")
        w.appendJSONString(model.engine.version)
        w.append(",\"store\":")
        w.appendJSONString(storeState)
        w.append("}")
        return APIResponse.json(ready ? .ok : .serviceUnavailable, w)
    }
}
