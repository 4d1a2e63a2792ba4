import Foundation
import Testing

/// `churn train` as a user runs it: what reaches stderr (progress) and stdout (the summary) when not on a terminal.
@Suite("churn train command", .serialized)
struct TrainCommandTests {
    static func churn(_ args: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ScoreCommandTests.binary)
        p.arguments = args
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Drain stderr on another thread so neither pipe can fill and stall the child.
        nonisolated(unsafe) var errData = Data()
        let drained = DispatchGroup()
        drained.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            drained.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        drained.wait()
        return (p.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    @Test("stderr not a terminal: one log line per phase and no control characters; --quiet: nothing at all")
    func progressLines() throws {
        let dir = NSTemporaryDirectory() + "churn-train-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try Self.churn(["generate", "--rows", "1200", "--seed", "5", "-o", "\(dir)/c.csv"]).status == 0)

        let run = try Self.churn(["train", "\(dir)/c.csv", "-o", "\(dir)/m.json", "--learner", "logistic"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stderr.split(separator: "\n").map(String.init)
        #expect(lines.map { $0.components(separatedBy: " done in ")[0] } == [
            "train: reading and encoding", "train: cross-validation", "train: refit on all rows", "train: calibration",
        ], "\(lines)")
        #expect(!run.stderr.contains("\r") && !run.stderr.contains("\u{1B}"))
        #expect(run.stdout.contains("Reliability") && run.stdout.contains("Brier"))

        let quiet = try Self.churn(["train", "\(dir)/c.csv", "-o", "\(dir)/q.json", "--learner", "logistic", "--quiet"])
        #expect(quiet.status == 0)
        #expect(quiet.stderr.isEmpty, "\(quiet.stderr)")
        #expect(quiet.stdout == "\(dir)/q.json\n")
    }

    @Test("--json: the summary as one object, with validation predictions' calibration and the rows the model was refitted on")
    func jsonSummary() throws {
        let dir = NSTemporaryDirectory() + "churn-train-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try Self.churn(["generate", "--rows", "1000", "--seed", "6", "-o", "\(dir)/c.csv"]).status == 0)
        let run = try Self.churn(["train", "\(dir)/c.csv", "-o", "\(dir)/m.json", "--learner", "logistic", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["fitRows"] as? Int == 800)
        #expect(object["validation"] as? String == "5-fold cross-validation")
        let validation = try #require(object["validationPredictions"] as? [String: Any])
        #expect(validation["rows"] as? Int == 800)
        #expect((validation["reliability"] as? [Any])?.isEmpty == false)
        #expect((object["test"] as? [String: Any])?["brier"] is Double)
        #expect((object["calibration"] as? [String: Any])?["method"] is String)
    }
}
