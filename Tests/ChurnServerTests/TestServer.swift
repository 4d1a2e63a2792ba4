import ChurnModel
import ChurnMonitor
@testable import ChurnServer
import ChurnTestSupport
import Foundation

/// A real `churn serve` process on a free loopback port, for one test.
///
/// The server runs as its own process (the binary this package builds), exactly as deployed: tests talk to it
/// over sockets only, and CPU-heavy tests running in parallel in this process cannot starve its threads.
final class TestServer: @unchecked Sendable {
    let port: Int
    let client: HTTPTestClient
    let process: Process
    let directory: String
    private let errors: StderrCollector

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

    /// The scoring engine of the same model, to compare the server's answers with in-process results.
    static let serving = ServingModel(artifact: model)

    /// The `churn` binary built next to this test bundle.
    static let binary = ChurnBinary.path

    /// Starts `churn serve` with the configuration's settings (store in memory unless `storePath` is set).
    /// `logLevel` is the server's --log-level (warning keeps test output quiet); `arguments` are added to the
    /// command line (e.g. `--registry DIR`); `model` replaces the default model.
    init(logLevel: String = "warning", model: ModelArtifact = TestServer.model, arguments: [String] = [],
         configure: (inout ServerConfiguration) -> Void = { _ in }) async throws {
        var config = ServerConfiguration()
        configure(&config)
        directory = NSTemporaryDirectory() + "churn-serve-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let modelPath = directory + "/model.json"
        try model.write(to: modelPath)
        var args = ["serve", "--host", "127.0.0.1", "--port", "0", "--model", modelPath, "--flush-interval", "0.2",
                    "--max-body-bytes", String(config.maxBodyBytes), "--max-batch-bytes", String(config.maxBatchBytes),
                    "--max-in-flight", String(config.maxInFlight), "--idle-timeout", String(config.idleTimeoutSeconds),
                    "--request-timeout", String(config.requestTimeoutSeconds), "--log-level", logLevel]
        if let store = config.storePath { args += ["--store", store] } else { args.append("--no-store") }
        args += arguments
        if let token = config.token {
            let tokenPath = directory + "/token"
            try token.write(toFile: tokenPath, atomically: true, encoding: .utf8)
            args += ["--token-file", tokenPath]
        }
        process = Process()
        process.executableURL = URL(fileURLWithPath: TestServer.binary)
        process.arguments = args
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "CHURN_API_TOKEN")
        process.environment = env
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        errors = StderrCollector(pipe.fileHandleForReading)
        try process.run()
        guard let bound = await errors.waitForPort(timeout: 120) else {
            process.terminate()
            throw ServeStartFailure(output: errors.text)
        }
        port = bound
        client = HTTPTestClient(port: bound)
    }

    /// Runs `body` against a fresh server and always stops it afterwards, even when `body` throws.
    static func with(logLevel: String = "warning", model: ModelArtifact = TestServer.model, arguments: [String] = [],
                     configure: (inout ServerConfiguration) -> Void = { _ in },
                     _ body: (TestServer) async throws -> Void) async throws {
        let server = try await TestServer(logLevel: logLevel, model: model, arguments: arguments, configure: configure)
        do {
            try await body(server)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    /// Where `--model` points (tests may rewrite it and send SIGHUP).
    var modelPath: String { directory + "/model.json" }

    /// Everything the server wrote to stderr so far.
    var log: String { errors.text }

    /// SIGTERM, then waits for the graceful shutdown (drain, final flush).
    func stop() async {
        if process.isRunning { process.terminate() }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                self.process.waitUntilExit()
                c.resume()
            }
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}

struct ServeStartFailure: Error, CustomStringConvertible {
    var output: String
    var description: String { "churn serve did not start: \(output)" }
}

/// Collects a child's stderr on a background thread and finds the "listening on" line.
final class StderrCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = ""

    init(_ handle: FileHandle) {
        handle.readabilityHandler = { [weak self] h in
            let data = h.availableData
            if data.isEmpty { h.readabilityHandler = nil; return }
            self?.lock.lock()
            self?.buffer += String(decoding: data, as: UTF8.self)
            self?.lock.unlock()
        }
    }

    var text: String { lock.lock(); defer { lock.unlock() }; return buffer }

    /// Waits on a Dispatch thread (not the Swift concurrency pool, which CPU-bound tests running in parallel
    /// may keep busy for a long time) for the server's "listening on" line.
    func waitForPort(timeout: Double) async -> Int? {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                pollBlocking(until: { self.port() != nil }, deadline: timeout)
                continuation.resume(returning: self.port())
            }
        }
    }

    private func port() -> Int? {
        guard let range = text.range(of: "listening on http://127.0.0.1:") else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }
}
