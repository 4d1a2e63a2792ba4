import ChurnTestSupport
import Foundation
import Testing

/// `churn score` as a user runs it: the real binary, its exit codes, and what it leaves on disk.
@Suite("churn score command", .serialized)
struct ScoreCommandTests {
    static let binary = ChurnBinary.path

    struct Run {
        var status: Int32
        var stderr: String
    }

    static func churn(_ args: [String]) throws -> Run {
        let (p, err) = try start(args)
        return finish(p, err)
    }

    static func start(_ args: [String]) throws -> (Process, Pipe) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        return (p, err)
    }

    static func finish(_ p: Process, _ err: Pipe) -> Run {
        let data = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stderr: String(decoding: data, as: UTF8.self))
    }

    func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "churn-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test("exit codes: 0 done, 65 header lacks columns (nothing written), 3 rejects with --fail-on-rejects, 64 bad usage")
    func exitCodes() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try Self.churn(["generate", "--rows", "200", "--seed", "3", "--unlabelled", "-o", "\(dir)/in.csv"]).status == 0)
        let ok = try Self.churn(["score", "\(dir)/in.csv", "-o", "\(dir)/out.csv"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stderr.contains("rows 200"))
        try "customerID,tenure\nA,1\n".write(toFile: "\(dir)/bad.csv", atomically: true, encoding: .utf8)
        let bad = try Self.churn(["score", "\(dir)/bad.csv", "-o", "\(dir)/bad.out.csv"])
        #expect(bad.status == 65)
        #expect(bad.stderr.contains("header lacks required columns") && bad.stderr.contains("'Contract'"))
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/bad.out.csv"))
        var text = try String(contentsOfFile: "\(dir)/in.csv", encoding: .utf8)
        text += "oops,this,row,is,short\n"
        try text.write(toFile: "\(dir)/rej.csv", atomically: true, encoding: .utf8)
        let rejects = try Self.churn(["score", "\(dir)/rej.csv", "-o", "\(dir)/rej.out.csv", "--fail-on-rejects", "--quiet"])
        #expect(rejects.status == 3)
        let plain = try Self.churn(["score", "\(dir)/rej.csv", "-o", "\(dir)/rej.out.csv", "--force", "--quiet"])
        #expect(plain.status == 0)
        #expect(try Self.churn(["score", "\(dir)/in.csv", "--threads", "0"]).status == 64)
        let again = try Self.churn(["score", "\(dir)/in.csv", "-o", "\(dir)/out.csv"])
        #expect(again.status == 1 && again.stderr.contains("--force"))
    }

    @Test("Ctrl-C or SIGTERM mid-file: exit 130, no output file, no temporary file left", arguments: [SIGINT, SIGTERM])
    func interrupted(signal: Int32) async throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try Self.churn(["generate", "--rows", "1500000", "--seed", "4", "--unlabelled", "-o", "\(dir)/big.csv"]).status == 0)
        let (p, err) = try Self.start(["score", "\(dir)/big.csv", "-o", "\(dir)/out.csv", "--threads", "1", "--quiet"])
        // Mid-file means the scorer is running: its temporary output exists (the signal handlers are installed
        // before it is created). Poll for it, up to 30 s, rather than guess a delay.
        let started = await poll(until: { ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).count > 1 },
                                 deadline: 30)
        #expect(started)
        kill(p.processIdentifier, signal)
        let run = Self.finish(p, err)
        #expect(run.status == 130, "\(run.stderr)")
        #expect(run.stderr.contains("no output was written"))
        let left = try FileManager.default.contentsOfDirectory(atPath: dir)
        #expect(left == ["big.csv"], "\(left)")
    }
}
