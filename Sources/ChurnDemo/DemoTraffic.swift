import ChurnHTTP
import ChurnModel
import Foundation
import Synchronization

/// `churn dashboard --demo`: replays generated customers through the real HTTP API so every tile moves.
///
/// The rate swings between about 4 and 30 requests a second; after the first minute drift creeps in (full
/// after four) and outcomes sent to /feedback agree less with the model, so live F1 falls; about one request
/// in fifty is malformed or misses a field. Runs until cancelled; never throws.
public struct DemoTraffic: Sendable {
    public let base: URL
    public let customers: DemoCustomers
    public let token: String?
    /// Seconds until drift starts, and until it is full.
    public var driftStart = 60.0
    public var driftFull = 240.0

    public init(base: URL, model: ModelArtifact, token: String?) {
        self.base = base
        customers = DemoCustomers(model: model)
        self.token = token
    }

    /// Drift (0–1) after `elapsed` seconds.
    public func drift(at elapsed: Double) -> Double {
        min(1, max(0, (elapsed - driftStart) / (driftFull - driftStart)))
    }

    /// Requests per second after `elapsed` seconds.
    public static func rate(at elapsed: Double) -> Double {
        17 + 13 * sin(elapsed / 25) + 3 * sin(elapsed / 4.3)
    }

    public func run() async {
        let client = HTTPTransport(timeout: 5)
        let start = ContinuousClock.now
        let inFlight = InFlight()
        var rng = SystemRandomNumberGenerator()
        var n = 0
        while !Task.isCancelled {
            let elapsed = (ContinuousClock.now - start).inSeconds
            try? await Task.sleep(for: .milliseconds(Int(1000 / max(1, Self.rate(at: elapsed)))))
            // Bounded: a slow server gets fewer requests, not a growing pile of them.
            guard inFlight.count < 16 else { continue }
            n += 1
            let id = String(format: "DEMO-%07d", n)
            let d = drift(at: elapsed)
            let body: Data
            let roll = Double.random(in: 0..<1, using: &rng)
            if roll < 0.01 {
                body = Data("{\"customerID\": \"\(id)\", \"tenure\": ".utf8) // malformed JSON: 400
            } else {
                var c = customers.customer(id: id, drift: d, using: &rng)
                if roll < 0.02, let drop = customers.schema.features.first?.name { c[drop] = nil } // 422
                body = (try? JSONSerialization.data(withJSONObject: c)) ?? Data()
            }
            let label = Double.random(in: 0..<1, using: &rng)
            inFlight.change(1)
            let traffic = self
            Task {
                defer { inFlight.change(-1) }
                guard let p = await traffic.predict(body, client: client) else { return }
                // Outcomes for a third of customers; with drift they agree less with the model.
                guard label < 0.33 else { return }
                let truth = p * (1 - 0.8 * d) + (1 - p) * 0.8 * d
                await traffic.feedback(id: id, churned: Double.random(in: 0..<1) < truth, client: client)
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
              let obj = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any] else { return nil }
        return obj["churn_probability"] as? Double
    }

    func feedback(id: String, churned: Bool, client: HTTPTransport) async {
        let body = Data("{\"customerID\":\"\(id)\",\"churned\":\(churned)}".utf8)
        _ = try? await client.post(base.appendingPathComponent("feedback"), body: body, headers: headers)
    }
}
