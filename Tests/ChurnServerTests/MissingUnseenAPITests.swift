import ChurnModel
import ChurnTestSupport
import Foundation
import Testing

/// /predict with missing and unseen values over a real socket: scored like an average customer, and named.
@Suite("API: missing and unseen values")
struct MissingUnseenAPITests {
    @Test("every field null scores near the base rate and lists every column as missing; an unseen category is named")
    func nullsAndUnseen() async throws {
        try await TestServer.with { server in
            let schema = TestServer.model.schema
            let nulls = "{" + schema.features.map { "\"\($0.name)\":null" }.joined(separator: ",") + "}"
            let r = try await server.client.post("/predict", json: nulls)
            #expect(r.status == 200, "\(r.text)")
            let json = try #require(try r.json() as? [String: Any])
            let p = try #require(json["churn_probability"] as? Double)
            let training = try #require(TestServer.model.training)
            let base = Double(training.positives) / Double(training.rows)
            func logit(_ q: Double) -> Double { log(q / (1 - q)) }
            #expect(abs(logit(p) - logit(base)) < 1, "all-null customer \(p), base rate \(base)")
            #expect((json["missing"] as? [String]) == schema.features.map(\.name))
            #expect(json["unseen"] == nil)

            let markers = TelcoFixture.json(4, overrides: ["tenure": "?", "TotalCharges": "100", "PaymentMethod": "Carrier pigeon"])
            let m = try await server.client.post("/predict", json: markers)
            #expect(m.status == 200, "\(m.text)")
            let answer = try #require(try m.json() as? [String: Any])
            #expect((answer["missing"] as? [String]) == ["tenure"])
            #expect((answer["unseen"] as? [String]) == ["PaymentMethod"])

            let complete = try await server.client.post("/predict", json: TelcoFixture.json(4))
            let plain = try #require(try complete.json() as? [String: Any])
            #expect(plain["missing"] == nil && plain["unseen"] == nil, "a complete customer's answer keeps its shape")
        }
    }
}
