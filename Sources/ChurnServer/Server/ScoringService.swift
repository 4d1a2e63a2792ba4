import ChurnModel
import ChurnMonitor
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird
import HTTPTypes
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The API's behaviour, independent of routing: scoring single customers and batches, taking feedback,
/// describing the model and the service. Each method turns a request body into a complete response.
public final class ScoringService: Sendable {
    public let monitor: ServiceMonitor
    public let configuration: ServerConfiguration
    /// Which models serve (production, canary); the only place that decides it.
    public let router: ModelRouter

    public init(model: ModelArtifact, configuration: ServerConfiguration, now: Date = Date()) throws {
        self.configuration = configuration
        let store = try configuration.storePath.map { try MetricsStore(path: $0) }
        let serving = ServingModel(artifact: model)
        monitor = try ServiceMonitor(model: serving.loaded, store: store, configuration: configuration.monitor, now: now)
        router = ModelRouter(ModelRouting(production: serving), monitor: monitor)
    }

    /// The production model.
    public var model: ServingModel { router.routing.production }

    /// The models requests are scored with right now (production, and a canary for a share of customers).
    public var routing: ModelRouting { router.routing }

    /// Header naming the model that answered a predict request, for clients (docs/api.md). The metrics learn
    /// the model from the request context instead (`ChurnRequestContext`).
    static let modelVersionHeader = HTTPField.Name("X-Model-Version")!

    /// A predict route's response and the model that answered it (nil when no model did: a malformed body).
    struct ModelAnswer {
        var response: Response
        var modelVersion: String?
    }

    // MARK: Prediction

    func predict(_ body: ByteBuffer, explain: ExplainChoice) -> ModelAnswer {
        let routing = self.routing
        let value: JSONValue
        do { value = try body.withUnsafeReadableBytes { raw in try JSONParser.parse(raw.bindMemory(to: UInt8.self)) } } catch {
            return ModelAnswer(response: APIResponse.error(.badRequest, code: "malformed_json", message: "\(error)"))
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
        Self.writePrediction(w, id: id, row: row, probability: p, level: level, by: model, version: model.engine.version, explain: explain)
        return answered(by: model, APIResponse.json(.ok, w))
    }

    /// The answer of `model`, with `X-Model-Version` for clients.
    func answered(by model: ServingModel, _ response: Response) -> ModelAnswer {
        var r = response
        r.headers[ScoringService.modelVersionHeader] = model.engine.version
        return ModelAnswer(response: r, modelVersion: model.engine.version)
    }

    /// One scored customer as the API writes it (with the writer `churn score --format jsonl` uses), with its
    /// explanation when asked for and the columns that were missing or unseen.
    static func writePrediction(_ w: ByteWriter, id: String, row: EncodedRow, probability p: Double, level: RiskLevel,
                                by model: ServingModel, version: String?, explain: ExplainChoice) {
        let engine = model.engine
        let gaps = engine.gaps(row)
        PredictionJSON.write(key: "customerID", id: .string(id), probability: p, level: level, version: version,
                             reasons: explain.isNone ? [] : engine.reasons(row, choice: explain), choice: explain,
                             baseValue: explain.isNone ? 0 : engine.explainer.baseValue, missing: gaps.missing, unseen: gaps.unseen, into: w)
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
