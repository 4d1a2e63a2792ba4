import ChurnModel
import ChurnTestSupport
import Foundation
import Testing

/// Ids sent as JSON numbers come back exactly as sent, even past a Double's 53 bits (issue 14, item 9).
@Suite("Numeric customer ids", .serialized)
struct NumericIDTests {
    @Test("POST /predict with a 20-digit numeric customerID answers the same digits", arguments: [
        "12345678901234567890", "9007199254740993", "42", "-7", "1.50",
    ])
    func exactIDs(_ id: String) async throws {
        try await TestServer.with { server in
            var body = TelcoFixture.json(3)
            body = body.replacingOccurrences(of: "\"customerID\":\"0003-TEST\"", with: "\"customerID\":\(id)")
            try #require(body.contains("\"customerID\":\(id)"))
            let r = try await server.client.post("/predict", json: body)
            #expect(r.status == 200)
            // Read the raw text: a JSON parser on this side would round the number the same way the bug did.
            let text = String(decoding: r.body, as: UTF8.self)
            #expect(text.contains("\"customerID\":\"\(id)\""), "\(text)")
            let batch = try await server.client.post("/predict/batch", json: "[\(body),\(body)]")
            #expect(String(decoding: batch.body, as: UTF8.self).components(separatedBy: "\"customerID\":\"\(id)\"").count == 3)
        }
    }
}
