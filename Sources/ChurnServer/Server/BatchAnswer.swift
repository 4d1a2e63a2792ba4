import ChurnModel
import ChurnMonitor

/// The answer to `POST /predict/batch` as it is written: `{"model_version":…,"results":[…],"scored":…,
/// "rejected":…}`, one result per input item in input order, and the prediction events to record.
final class BatchAnswer {
    let w: ByteWriter
    let routing: ModelRouting
    let explain: ExplainChoice
    private(set) var events: [PredictionEvent] = []
    private(set) var scored = 0
    private(set) var rejected = 0
    private var canaryRows = 0
    private var first = true

    init(routing: ModelRouting, explain: ExplainChoice, capacity: Int) {
        self.routing = routing
        self.explain = explain
        w = ByteWriter(capacity: capacity)
        w.append("{\"model_version\":")
        w.appendJSONString(routing.production.engine.version)
        w.append(",\"results\":[")
    }

    private func separator() {
        if !first { w.append(",") }
        first = false
    }

    /// An item that could not be scored: its index, its line (CSV) and every problem.
    func reject(_ index: Int, line: Int?, _ problems: [FieldProblem]) {
        separator()
        rejected += 1
        w.append("{\"index\":")
        w.appendInt(index)
        if let line { w.append(",\"line\":"); w.appendInt(line) }
        w.append(",\"error\":{\"code\":\"invalid_fields\",\"fields\":")
        APIResponse.writeFields(problems, to: w)
        w.append("}}")
    }

    /// A scored item. With a canary each row says which model scored it; without one the top-level version says
    /// it for all.
    func score(_ id: String, _ row: EncodedRow, by model: ServingModel) {
        separator()
        scored += 1
        let p = model.engine.probability(row)
        let level = model.engine.risk(p)
        let version = model.engine.version
        events.append(PredictionEvent(customerID: id, probability: p, risk: level, bins: model.tally.binIndexes(row),
                                      modelVersion: version))
        var rowVersion: String?
        if let canary = routing.canary {
            if version == canary.engine.version { canaryRows += 1 }
            rowVersion = version
        }
        ScoringService.writePrediction(w, id: id, row: row, probability: p, level: level, by: model, version: rowVersion, explain: explain)
    }

    /// Closes the JSON; the model the request counts for is the one that scored most of its rows.
    func finish() -> ServingModel {
        w.append("],\"scored\":")
        w.appendInt(scored)
        w.append(",\"rejected\":")
        w.appendInt(rejected)
        w.append("}")
        return routing.canary.flatMap { canaryRows * 2 > scored ? $0 : nil } ?? routing.production
    }
}
