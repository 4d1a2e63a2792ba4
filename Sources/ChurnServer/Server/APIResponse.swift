import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird

/// Building JSON and text responses.
enum APIResponse {
    static func json(_ status: HTTPResponse.Status, _ writer: ByteWriter) -> Response {
        let buffer = writer.withBytes { ByteBuffer(bytes: $0) }
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: buffer))
    }

    static func json<T: Encodable>(_ status: HTTPResponse.Status, encoding value: T) -> Response {
        do {
            let data = try WireJSON.encoder().encode(value)
            return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        } catch {
            return self.error(.internalServerError, code: "encoding_failed", message: "could not encode the response")
        }
    }

    static func text(_ status: HTTPResponse.Status, _ text: String, contentType: String = "text/plain; charset=utf-8") -> Response {
        Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// `[{"field": ..., "problem": ...}, ...]`
    static func writeFields(_ fields: [FieldProblem], to w: ByteWriter) {
        w.append("[")
        for (i, f) in fields.enumerated() {
            if i > 0 { w.append(",") }
            w.append("{\"field\":")
            w.appendJSONString(f.field)
            w.append(",\"problem\":")
            w.appendJSONString(f.problem)
            w.append("}")
        }
        w.append("]")
    }

    /// `{"error": {"code": ..., "message": ..., "fields": [...]}}`
    static func error(_ status: HTTPResponse.Status, code: String, message: String, fields: [FieldProblem]? = nil,
                      headers: HTTPFields = [:]) -> Response {
        let w = ByteWriter(capacity: 256)
        w.append("{\"error\":{\"code\":")
        w.appendJSONString(code)
        w.append(",\"message\":")
        w.appendJSONString(message)
        if let fields {
            w.append(",\"fields\":")
            writeFields(fields, to: w)
        }
        w.append("}}")
        var response = json(status, w)
        for field in headers { response.headers.append(field) }
        return response
    }
}
