import Foundation
import Testing

/// `churn score --explain` on the command line: the optional count, `all`, and refused values.
@Suite("churn score --explain", .serialized)
struct ScoreExplainCommandTests {
    static func header(_ path: String) throws -> [String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.prefix { $0 != "\n" }.split(separator: ",").map(String.init)
    }

    @Test("--explain with no value gives 3 reasons wherever it stands; --explain N, --explain=N and all; a bad value is 64")
    func forms() throws {
        let dir = NSTemporaryDirectory() + "churn-explain-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = "\(dir)/in.csv"
        #expect(try ScoreCommandTests.churn(["generate", "--rows", "60", "--seed", "4", "--unlabelled", "-o", input]).status == 0)
        let reasons = { (n: Int) in (1...n).flatMap { ["reason_\($0)", "contribution_\($0)"] } }
        let cases: [([String], [String])] = [
            (["score", input, "-o", "\(dir)/a.csv", "--explain"], reasons(3)),
            (["score", "--explain", input, "-o", "\(dir)/a.csv"], reasons(3)),
            (["score", "--explain", "--quiet", input, "-o", "\(dir)/a.csv"], reasons(3)),
            (["score", input, "--explain", "2", "-o", "\(dir)/a.csv"], reasons(2)),
            (["score", input, "--explain=1", "-o", "\(dir)/a.csv"], reasons(1)),
        ]
        for (args, expected) in cases {
            let run = try ScoreCommandTests.churn(args + ["--force", "--quiet"])
            #expect(run.status == 0, "\(args): \(run.stderr)")
            let header = try Self.header("\(dir)/a.csv")
            #expect(Array(header.dropFirst(4)) == expected, "\(args)")
        }
        let all = try ScoreCommandTests.churn(["score", input, "-o", "\(dir)/all.csv", "--explain", "all", "--force", "--quiet"])
        #expect(all.status == 0)
        let header = try Self.header("\(dir)/all.csv")
        #expect(header.dropFirst(4).first == "base_value" && header.contains("contribution_tenure") && header.count == 4 + 1 + 19)
        for bad in ["lots", "-2", "top"] {
            let run = try ScoreCommandTests.churn(["score", input, "-o", "\(dir)/bad.csv", "--explain=\(bad)", "--force"])
            #expect(run.status == 64, "\(bad)")
            #expect(run.stderr.contains("--explain must be"), "\(bad): \(run.stderr)")
        }
        let typo = try ScoreCommandTests.churn(["score", input, "-o", "\(dir)/bad.csv", "--explain", "lots", "--force"])
        #expect(typo.status == 64 && typo.stderr.contains("got 'lots'"), "\(typo.stderr)")
    }
}
