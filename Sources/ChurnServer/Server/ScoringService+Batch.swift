import ChurnBase
import ChurnModel
import ChurnMonitor
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird

/// `POST /predict/batch`: a JSON array of customers or a CSV body with a header, each row routed to production
/// or the canary like a single prediction.
extension ScoringService {
    /// Scores a JSON array of customers, or a CSV body with a header; results come back in input order, each
    /// either a prediction or the problems that kept that item from being scored.
    func predictBatch(_ body: ByteBuffer, contentType: String?, explain: ExplainChoice = .none) -> ModelAnswer {
        let answer = BatchAnswer(routing: routing, explain: explain, capacity: 64 + body.readableBytes)
        let isCSV = contentType.map { $0.lowercased().hasPrefix("text/csv") } ?? false
        if let refusal = isCSV ? scoreCSV(body, into: answer) : scoreJSON(body, into: answer) {
            return ModelAnswer(response: refusal)
        }
        let majority = answer.finish()
        monitor.recordPredictions(answer.events)
        return answered(by: majority, APIResponse.json(.ok, answer.w))
    }

    /// A CSV body: the header is read against each model's schema, then every record is scored or rejected.
    /// Returns the response refusing the whole body (no header, a header lacking columns), if any.
    private func scoreCSV(_ body: ByteBuffer, into answer: BatchAnswer) -> Response? {
        let routing = answer.routing
        let model = routing.production
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
                let header = (0..<record.count).map { record.string(at: $0).trimmingWhitespace(newlines: false) }
                do {
                    encoder = try RowEncoder(schema: model.artifact.schema, header: header, file: "body", reference: model.artifact.reference)
                    // A header the canary cannot read sends every row to production.
                    canaryEncoder = routing.canary.flatMap {
                        try? RowEncoder(schema: $0.artifact.schema, header: header, file: "body", reference: $0.artifact.reference)
                    }
                } catch let error as HeaderError {
                    headerProblem = APIResponse.error(.unprocessableContent, code: "bad_header", message: "CSV header lacks required columns",
                                                      fields: error.missing.map { FieldProblem(field: $0, problem: "is missing from the header") })
                } catch {
                    headerProblem = APIResponse.error(.badRequest, code: "bad_header", message: "\(error)")
                }
                return
            }
            defer { index += 1 }
            let id = enc.idIndex.map { String(decoding: FieldParsing.trim(record.field($0)), as: UTF8.self) } ?? ""
            if let problem = CustomerDecoder.idLengthProblem(id) {
                return answer.reject(index, line: record.line, [FieldProblem(field: enc.schema.idColumn ?? "customerID", problem: problem)])
            }
            if let canary = routing.canary, let canaryEnc = canaryEncoder, routing.model(forCustomer: id) === canary {
                if let issue = canaryEnc.encode(record, into: &canaryRow!) {
                    answer.reject(index, line: issue.line, [FieldProblem(field: issue.field ?? "(row)", problem: issue.message)])
                } else {
                    answer.score(id, canaryRow!, by: canary)
                }
            } else if let issue = enc.encode(record, into: &row) {
                answer.reject(index, line: issue.line, [FieldProblem(field: issue.field ?? "(row)", problem: issue.message)])
            } else {
                answer.score(id, row, by: model)
            }
        }
        if let headerProblem { return headerProblem }
        if encoder == nil { return APIResponse.error(.badRequest, code: "empty_body", message: "the CSV body has no header line") }
        return nil
    }

    /// A JSON array of customers. Returns the response refusing the whole body (not JSON, not an array), if any.
    private func scoreJSON(_ body: ByteBuffer, into answer: BatchAnswer) -> Response? {
        let routing = answer.routing
        let model = routing.production
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
            case .success(let id): answer.score(id, chosen === model ? row : canaryRow!, by: chosen)
            case .failure(let list): answer.reject(index, line: nil, list.problems)
            }
        }
        return nil
    }
}
