import ChurnBase
import ChurnHTTP
import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// `churn dashboard --demo`: replays generated customers through the real HTTP API so every tile moves.
///
/// It plays `DemoScript`: the rate swings between about 7 and 29 requests a second; drift rises on some
/// features within the first minute and recovers after three, outcomes sent to /feedback agree less with the
/// model meanwhile (live F1 falls, then climbs back), and it repeats; about one request in fifty is malformed or
/// misses a field. Runs until cancelled; never throws.
public struct DemoTraffic: Sendable {
    public let base: URL
    public let customers: DemoCustomers
    public let token: String?
    public let script = DemoScript()
    /// The model's decision threshold: outcomes agree or disagree with the prediction it implies.
    let decisionThreshold: Double

    public init(base: URL, model: ModelArtifact, token: String?) {
        self.base = base
        customers = DemoCustomers(model: model)
        self.token = token
        decisionThreshold = model.decisionThreshold
    }

    public func run() async {
        let client = HTTPTransport(timeout: 5)
        let start = ContinuousClock.now
        let inFlight = InFlight()
        var rng = SystemRandomNumberGenerator()
        var n = 0
        while !Task.isCancelled {
            let elapsed = (ContinuousClock.now - start).inSeconds
            try? await Task.sleep(for: .milliseconds(Int(1000 / max(1, script.rate(at: elapsed)))))
            // Bounded: a slow server gets fewer requests, not a growing pile of them.
            guard inFlight.count < 16 else { continue }
            n += 1
            let id = String(cFormat: "DEMO-%07ld", n)
            let d = script.drift(at: elapsed)
            let agreement = script.agreement(at: elapsed)
            let body: Data
            let roll = Double.random(in: 0..<1, using: &rng)
            if roll < 0.01 {
                body = Data("{\"customerID\": \"\(id)\", \"tenure\": ".utf8) // malformed JSON: 400
            } else {
                var c = customers.customer(id: id, drift: d, using: &rng)
                if roll < 0.02, let drop = customers.schema.features.first?.name { c[drop] = nil } // 422
                body = (try? JSONValue.object(c).serialized()) ?? Data()
            }
            let label = Double.random(in: 0..<1, using: &rng)
            inFlight.change(1)
            let traffic = self
            let agrees = Double.random(in: 0..<1, using: &rng) < agreement
            Task {
                defer { inFlight.change(-1) }
                guard let p = await traffic.predict(body, client: client) else { return }
                // Outcomes for a third of customers; with drift they agree less with the model.
                guard label < 0.33 else { return }
                let predicted = p >= traffic.decisionThreshold
                await traffic.feedback(id: id, churned: agrees ? predicted : !predicted, client: client)
            }
        }
    }

    /// Requests on their way, shared with the request tasks.
    final class InFlight: Sendable {
        private let value = Atomic<Int>(0)
        var count: Int { value.load(ordering: .relaxed) }
        func change(_ by: Int) { value.add(by, ordering: .relaxed) }
    }

    var headers: [String: String] {
        var h = ["Content-Type": "application/json"]
        if let token { h["Authorization"] = "Bearer \(token)" }
        return h
    }

    /// The churn probability the API answered, or nil. Requests to the local API go over plain http, which the
    /// transport sends through its socket client: no session to tear down when the console quits mid-request.
    func predict(_ body: Data, client: HTTPTransport) async -> Double? {
        guard let response = try? await client.post(base.appendingPathComponent("predict"), body: body, headers: headers),
              let obj = try? JSONValue.parse(response.body) else { return nil }
        return obj["churn_probability"]?.number
    }

    func feedback(id: String, churned: Bool, client: HTTPTransport) async {
        let body = Data("{\"customerID\":\"\(id)\",\"churned\":\(churned)}".utf8)
        _ = try? await client.post(base.appendingPathComponent("feedback"), body: body, headers: headers)
    }
}
