import ChurnModel
import ChurnMonitor
@testable import ChurnServer
import ChurnTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// What an operator relies on: bounded customer ids, a refused blank token, one writer per store, an owner-only
/// store, and `churn backup` / `churn restore` round-tripping a live server through a kill -9.
@Suite("Operations: ids, token, store ownership, backup and restore", .serialized)
struct ServerOperationsTests {
    /// Runs the built `churn` with `args` (and extra environment), returning its status and combined output.
    static func churn(_ args: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: TestServer.binary)
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "CHURN_API_TOKEN")
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "churn-ops-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func mode(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int ?? -1) & 0o777
    }

    @Test("customer ids longer than the limit are refused with 422 on predict and feedback, and rejected rows in batches")
    func longIDs() async throws {
        try await TestServer.with { server in
            let limit = CustomerDecoder.maxIDBytes
            let atLimit = String(repeating: "a", count: limit)
            let over = String(repeating: "b", count: limit + 1)
            #expect(try await server.client.post("/predict", json: TelcoFixture.json(1, overrides: ["customerID": atLimit])).status == 200)
            let refused = try await server.client.post("/predict", json: TelcoFixture.json(2, overrides: ["customerID": over]))
            #expect(refused.status == 422)
            #expect(refused.text.contains("customerID") && refused.text.contains("limited to \(limit) bytes"))
            #expect(!refused.text.contains(over), "the refusal echoes the whole id")
            let feedback = try await server.client.post("/feedback", json: "{\"customerID\":\"\(over)\",\"churned\":true}")
            #expect(feedback.status == 422)
            let batch = try await server.client.post("/predict/batch",
                                                     json: "[\(TelcoFixture.json(3)),\(TelcoFixture.json(4, overrides: ["customerID": over]))]")
            let answer = try #require(try batch.json() as? [String: Any])
            #expect(answer["scored"] as? Int == 1 && answer["rejected"] as? Int == 1)
            var csv = TelcoFixture.csv(rows: 3, seed: 5).split(separator: "\n").map(String.init)
            csv[2] = csv[2].replacingOccurrences(of: "0001-TEST", with: over)
            let csvAnswer = try await server.client.request("POST", "/predict/batch", body: Data((csv.joined(separator: "\n") + "\n").utf8),
                                                            headers: ["Content-Type": "text/csv"])
            let parsed = try #require(try csvAnswer.json() as? [String: Any])
            #expect(parsed["scored"] as? Int == 2 && parsed["rejected"] as? Int == 1)
            #expect(csvAnswer.text.contains("\"line\":3"))
        }
    }

    @Test("an empty or blank CHURN_API_TOKEN is refused at start; unset still serves without auth")
    func blankToken() throws {
        for blank in ["", "   ", "\n"] {
            let run = try Self.churn(["serve", "--port", "0", "--no-store"], environment: ["CHURN_API_TOKEN": blank])
            #expect(run.status == 1, "\(run.output)")
            #expect(run.output.contains("CHURN_API_TOKEN is set but empty or blank"))
        }
    }

    @Test("the store and its directory are created owner-only; a second server on the same store is refused, readers are not")
    func storeOwnership() async throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/state/churn/metrics.sqlite"
        try await TestServer.with(configure: { $0.storePath = path }) { server in
            #expect(try await server.client.post("/predict", json: TelcoFixture.json(1)).status == 200)
            #expect(Self.mode(path) == 0o600)
            #expect(Self.mode(dir + "/state/churn") == 0o700)
            await poll(until: { FileManager.default.fileExists(atPath: path + "-wal") })
            #expect(Self.mode(path + "-wal") == 0o600)
            let second = try Self.churn(["serve", "--port", "0", "--store", path])
            #expect(second.status == 1, "\(second.output)")
            #expect(second.output.contains("holds this store for writing") && second.output.contains("pid \(server.process.processIdentifier)"))
            // The console's read-only mode keeps working beside the writer.
            #expect(try MetricsStore(readingAt: path).integrityCheck() == "ok")
            let snapshot = try Self.churn(["snapshot", "--store", path, "--json"])
            #expect(snapshot.status == 0, "\(snapshot.output)")
        }
    }

    @Test("backup while serving, kill -9, wipe, restore (refused while a server holds the store), restart: same log and production")
    func backupRestoreRoundTrip() async throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = dir + "/metrics.sqlite", registry = dir + "/registry", backup = dir + "/backup"
        let modelFile = dir + "/model.json"
        try TestServer.model.write(to: modelFile)
        let add = try Self.churn(["model", "add", modelFile, "--promote", "--registry", registry])
        #expect(add.status == 0, "\(add.output)")

        let first = try await TestServer(arguments: ["--registry", registry]) { $0.storePath = store }
        for i in 0..<25 { #expect(try await first.client.post("/predict", json: TelcoFixture.json(i)).status == 200) }
        // Wait until a flush has logged all 25 (the server flushes every 0.2 s).
        await poll(until: { (try? MetricsStore(readingAt: store).loggedPredictionCount()) == 25 })
        let made = try Self.churn(["backup", backup, "--store", store, "--registry", registry])
        #expect(made.status == 0, "\(made.output)")
        #expect(made.output.contains("25 logged predictions") && made.output.contains("production \(TestServer.model.version)"))
        #expect(Self.mode(backup + "/metrics.sqlite") == 0o600)

        // A live server holds the store: restore refuses, whatever --force says.
        let refused = try Self.churn(["restore", backup, "--store", store, "--force"])
        #expect(refused.status == 1 && refused.output.contains("holds this store for writing"), "\(refused.output)")

        kill(first.process.processIdentifier, SIGKILL)
        await first.stop()
        for p in [store, store + "-wal", store + "-shm", registry] { try? FileManager.default.removeItem(atPath: p) }

        // A damaged copy is refused before anything is put in place.
        let damaged = dir + "/damaged"
        try FileManager.default.copyItem(atPath: backup, toPath: damaged)
        let handle = try #require(FileHandle(forUpdatingAtPath: damaged + "/metrics.sqlite"))
        try handle.seek(toOffset: 5000)
        handle.write(Data([0xFF, 0x00, 0xFF]))
        try handle.close()
        let bad = try Self.churn(["restore", damaged, "--store", store])
        #expect(bad.status == 1 && bad.output.contains("damaged"), "\(bad.output)")
        #expect(!FileManager.default.fileExists(atPath: store))

        let restored = try Self.churn(["restore", backup, "--store", store, "--registry", registry])
        #expect(restored.status == 0, "\(restored.output)")
        #expect(restored.output.contains("25 logged predictions") && restored.output.contains("production \(TestServer.model.version)"))
        #expect(Self.mode(store) == 0o600)

        try await TestServer.with(arguments: ["--registry", registry], configure: { $0.storePath = store }) { server in
            let model = try #require(try await server.client.get("/model").json() as? [String: Any])
            #expect(model["version"] as? String == TestServer.model.version)
            // Predictions made before the kill are found in the restored log.
            let f = try await server.client.post("/feedback", json: "{\"customerID\":\"0007-TEST\",\"churned\":true}")
            #expect((try f.json() as? [String: Any])?["matched"] as? Int == 1)
        }
        #expect(try MetricsStore(readingAt: store).integrityCheck() == "ok")
    }
}
