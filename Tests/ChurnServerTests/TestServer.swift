import ChurnModel
import ChurnMonitor
@testable import ChurnServer
import Foundation
import Logging

/// A real `churn serve` application on a free loopback port, for one test.
final class TestServer: @unchecked Sendable {
    let service: ScoringService
    let port: Int
    let client: HTTPTestClient
    private let task: Task<Void, any Error>

    static let model: ModelArtifact = {
        // A small logistic model on the Telco columns, trained once per test process.
        let dir = NSTemporaryDirectory() + "churn-server-model-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/train.csv"
        try! TelcoFixture.csv(rows: 600, seed: 3).write(toFile: path, atomically: true, encoding: .utf8)
        var options = TrainingOptions()
        options.learner = .logistic
        let artifact = ModelTrainer.train(try! TrainingTable.load(path: path), options: options).artifact
        try? FileManager.default.removeItem(atPath: dir)
        return artifact
    }()

    init(configure: (inout ServerConfiguration) -> Void = { _ in }) async throws {
        var config = ServerConfiguration()
        config.port = 0
        config.flushInterval = 0.2
        configure(&config)
        service = try ScoringService(model: TestServer.model, configuration: config)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let app = ChurnAPI.application(service: service, logger: logger) { port in continuation.yield(port) }
        task = Task { try await app.run() }
        var bound = 0
        for await p in stream { bound = p; break }
        port = bound
        client = HTTPTestClient(port: bound)
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}

/// Telco-schema rows with a simple churn signal, generated deterministically for tests.
enum TelcoFixture {
    static func customer(_ i: Int, rng: inout SplitMix64) -> [String: String] {
        func pick(_ xs: [String]) -> String { xs[Int(rng.next() % UInt64(xs.count))] }
        let internet = pick(["Fiber optic", "DSL", "No"])
        let addon = { (r: inout SplitMix64) -> String in internet == "No" ? "No internet service" : (r.next() % 2 == 0 ? "Yes" : "No") }
        let phone = rng.next() % 10 == 0 ? "No" : "Yes"
        let tenure = Int(rng.next() % 73)
        let monthly = 20 + Double(rng.next() % 9000) / 100
        let contract = pick(["Month-to-month", "Month-to-month", "One year", "Two year"])
        let risk = (contract == "Month-to-month" ? 1.2 : -0.8) + (internet == "Fiber optic" ? 0.6 : 0) - Double(tenure) / 30
        let churn = Double(rng.next() % 1000) / 1000 < 1 / (1 + exp(-risk))
        return [
            "customerID": String(format: "%04d-TEST", i), "gender": pick(["Male", "Female"]), "SeniorCitizen": rng.next() % 6 == 0 ? "1" : "0",
            "Partner": pick(["Yes", "No"]), "Dependents": pick(["Yes", "No"]), "tenure": String(tenure), "PhoneService": phone,
            "MultipleLines": phone == "No" ? "No phone service" : pick(["Yes", "No"]), "InternetService": internet,
            "OnlineSecurity": addon(&rng), "OnlineBackup": addon(&rng), "DeviceProtection": addon(&rng), "TechSupport": addon(&rng),
            "StreamingTV": addon(&rng), "StreamingMovies": addon(&rng), "Contract": contract, "PaperlessBilling": pick(["Yes", "No"]),
            "PaymentMethod": pick(["Electronic check", "Mailed check", "Bank transfer (automatic)", "Credit card (automatic)"]),
            "MonthlyCharges": String(format: "%.2f", monthly), "TotalCharges": tenure == 0 ? " " : String(format: "%.2f", monthly * Double(tenure)),
            "Churn": churn ? "Yes" : "No",
        ]
    }

    static func csv(rows: Int, seed: UInt64) -> String {
        var rng = SplitMix64(seed: seed)
        var lines = [TelcoSchema.header.joined(separator: ",")]
        for i in 0..<rows {
            let c = customer(i, rng: &rng)
            lines.append(TelcoSchema.header.map { c[$0]! }.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One customer as a JSON body (numbers as JSON numbers, blank TotalCharges as a string).
    static func json(_ i: Int, seed: UInt64 = 9, overrides: [String: String] = [:]) -> String {
        var rng = SplitMix64(seed: seed &+ UInt64(i))
        var c = customer(i, rng: &rng)
        c.removeValue(forKey: "Churn")
        for (k, v) in overrides { c[k] = v }
        let numeric: Set<String> = ["SeniorCitizen", "tenure", "MonthlyCharges", "TotalCharges"]
        let members = c.sorted { $0.key < $1.key }.map { k, v in
            numeric.contains(k) && Double(v) != nil ? "\"\(k)\":\(v)" : "\"\(k)\":\"\(v)\""
        }
        return "{" + members.joined(separator: ",") + "}"
    }
}
