import ChurnTestSupport
import Foundation
import Testing

/// Users' own files through the real binary (issue 14): blank lines, where side files go, the help's sharding
/// example, tiny-file drift, other separators and encodings, and exit codes.
@Suite("churn with users' files", .serialized)
struct UserFilesCLITests {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs the built `churn` in `cwd`, capturing both streams.
    static func churn(_ args: [String], cwd: String? = nil) throws -> Result {
        let r = try run(ScoreCommandTests.binary, args, cwd: cwd)
        return Result(status: r.status, stdout: String(decoding: r.stdout, as: UTF8.self), stderr: String(decoding: r.stderr, as: UTF8.self))
    }

    static func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "churn-files-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func json(_ path: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
    }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    /// 3,000 generated customers plus rows only some shards reject (bad tenure), so every shard has rejects.
    static func customersWithRejects(_ dir: String) throws -> (path: String, rejects: Int) {
        #expect(try churn(["generate", "--rows", "3000", "--seed", "5", "--unlabelled", "-o", "\(dir)/big.csv"]).status == 0)
        var lines = try String(contentsOfFile: "\(dir)/big.csv", encoding: .utf8).split(separator: "\n").map(String.init)
        var rejects = 0
        for i in stride(from: 1, to: lines.count, by: 17) {
            var fields = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[5] = "ten"
            lines[i] = fields.joined(separator: ",")
            rejects += 1
        }
        try (lines.joined(separator: "\n") + "\n\n").write(toFile: "\(dir)/big.csv", atomically: true, encoding: .utf8)
        return ("\(dir)/big.csv", rejects)
    }

    @Test("the help's sharding example works as written and keeps every reject (was: fails on shard 2, or loses 120 of 177)")
    func shardingExample() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (_, rejects) = try Self.customersWithRejects(dir)
        let help = try Self.churn(["help", "score"])
        #expect(help.stdout.contains("churn score big.csv -o part-$i.csv --shard $i/3"), "\(help.stdout)")
        var kept = 0
        for i in 0..<3 {
            let r = try Self.churn(["score", "big.csv", "-o", "part-\(i).csv", "--shard", "\(i)/3", "--quiet",
                                    "--summary-json", "part-\(i).json"], cwd: dir)
            #expect(r.status == 0, "shard \(i): \(r.stderr)")
            let summary = try Self.json("\(dir)/part-\(i).json")
            let rejected = summary["rejected"] as! Int
            if rejected > 0 {
                let text = try String(contentsOfFile: "\(dir)/part-\(i).rejects.csv", encoding: .utf8)
                #expect(text.split(separator: "\n").count - 1 == rejected)
                #expect(summary["rejectsPath"] as? String == "part-\(i).rejects.csv")
            }
            kept += rejected
        }
        #expect(kept == rejects, "every reject is in exactly one shard's file")
        #expect(!Self.exists("\(dir)/big.rejects.csv"), "nothing shared next to the input")
    }

    @Test("rejects go beside OUT, only when there are some; re-runs with another output or model need no --force")
    func sideFiles() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: "\(dir)/in", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "\(dir)/out", withIntermediateDirectories: true)
        #expect(try Self.churn(["generate", "--rows", "300", "--seed", "3", "--unlabelled", "-o", "\(dir)/in/clean.csv"]).status == 0)
        let clean = try Self.churn(["score", "\(dir)/in/clean.csv", "-o", "\(dir)/out/a.csv"])
        #expect(clean.status == 0 && clean.stderr.contains("no row rejected"), "\(clean.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(dir)/in") == ["clean.csv"], "nothing written beside the input")
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(dir)/out") == ["a.csv"], "no empty rejects file")

        var text = try String(contentsOfFile: "\(dir)/in/clean.csv", encoding: .utf8)
        text += "short,row\n"
        try text.write(toFile: "\(dir)/in/rej.csv", atomically: true, encoding: .utf8)
        for out in ["b", "c"] {
            let r = try Self.churn(["score", "\(dir)/in/rej.csv", "-o", "\(dir)/out/\(out).csv", "--quiet"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(Self.exists("\(dir)/out/\(out).rejects.csv"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(dir)/in").sorted() == ["clean.csv", "rej.csv"])
        // Standard output: the rejects go to the current directory, named after the input.
        let piped = try Self.churn(["score", "\(dir)/in/rej.csv", "-o", "-", "--quiet"], cwd: "\(dir)/out")
        #expect(piped.status == 0 && piped.stdout.hasPrefix("customerID,"))
        #expect(Self.exists("\(dir)/out/rej.rejects.csv"))
    }

    @Test("blank lines are skipped and counted; --fail-on-rejects passes a clean file with a trailing blank line")
    func blankLines() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try Self.churn(["generate", "--rows", "400", "--seed", "8", "-o", "\(dir)/in.csv"]).status == 0)
        let text = try String(contentsOfFile: "\(dir)/in.csv", encoding: .utf8)
        try (text + "\n\n").write(toFile: "\(dir)/in.csv", atomically: true, encoding: .utf8)
        let r = try Self.churn(["score", "\(dir)/in.csv", "-o", "\(dir)/out.csv", "--fail-on-rejects",
                                "--summary-json", "\(dir)/s.json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("2 blank lines skipped"))
        let s = try Self.json("\(dir)/s.json")
        #expect(s["rows"] as? Int == 400 && s["blankLines"] as? Int == 2 && s["rejected"] as? Int == 0)
        let train = try Self.churn(["train", "\(dir)/in.csv", "-o", "\(dir)/m.json", "--learner", "logistic"])
        #expect(train.status == 0 && train.stdout.contains("0 skipped, 2 blank lines skipped"), "\(train.stdout)\(train.stderr)")
        let eval = try Self.churn(["evaluate", "\(dir)/m.json", "\(dir)/in.csv"])
        #expect(eval.status == 0 && eval.stdout.contains("blank lines skipped"), "\(eval.stdout)\(eval.stderr)")
    }

    @Test("a 5-row file: drift not measured (data_drift_score null and why), no 'major' verdict")
    func tinyFileDrift() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try Self.churn(["generate", "--rows", "5", "--seed", "9", "--unlabelled", "-o", "\(dir)/in.csv"]).status == 0)
        let r = try Self.churn(["score", "\(dir)/in.csv", "-o", "\(dir)/out.csv", "--summary-json", "\(dir)/s.json"])
        #expect(r.status == 0)
        #expect(r.stderr.contains("not measured") && !r.stderr.contains("major"), "\(r.stderr)")
        let drift = try Self.json("\(dir)/s.json")["drift"] as! [String: Any]
        #expect(drift["score"] is NSNull)
        #expect((drift["notMeasured"] as? String)?.contains("5 rows") == true)
    }

    @Test("';'/tab files, gzip and UTF-16 are named with the fix; every header problem exits 65; --delimiter works")
    func fileErrors() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try Self.churn(["generate", "--rows", "200", "--seed", "4", "-o", "\(dir)/in.csv"]).status == 0)
        let text = try String(contentsOfFile: "\(dir)/in.csv", encoding: .utf8)
        try text.replacingOccurrences(of: ",", with: ";").write(toFile: "\(dir)/semi.csv", atomically: true, encoding: .utf8)
        for command in [["score", "\(dir)/semi.csv", "-o", "\(dir)/x.csv"], ["train", "\(dir)/semi.csv", "-o", "\(dir)/m.json"]] {
            let r = try Self.churn(command)
            #expect(r.status == 65 && r.stderr.contains("looks separated by ';'") && r.stderr.contains("--delimiter ';'"),
                    "\(command[0]): \(r.status) \(r.stderr)")
        }
        let ok = try Self.churn(["score", "\(dir)/semi.csv", "-o", "\(dir)/semi.out.csv", "--delimiter", ";", "--quiet"])
        #expect(ok.status == 0, "\(ok.stderr)")
        let train = try Self.churn(["train", "\(dir)/semi.csv", "-o", "\(dir)/m.json", "--delimiter", ";", "--learner", "logistic", "--quiet"])
        #expect(train.status == 0, "\(train.stderr)")
        let eval = try Self.churn(["evaluate", "\(dir)/m.json", "\(dir)/semi.csv", "--delimiter", ";"])
        #expect(eval.status == 0, "\(eval.stderr)")
        let evalComma = try Self.churn(["evaluate", "\(dir)/m.json", "\(dir)/in.csv"])
        #expect(evalComma.status == 0, "nothing about ';' is stored in the model: \(evalComma.stderr)")

        FileManager.default.createFile(atPath: "\(dir)/in.csv.gz", contents: Data([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x0A]))
        let gz = try Self.churn(["score", "\(dir)/in.csv.gz", "-o", "\(dir)/gz.csv"])
        #expect(gz.status == 65 && gz.stderr.contains("gzip") && gz.stderr.contains("gunzip"), "\(gz.stderr)")
        let utf16 = Data([0xFF, 0xFE] + Array(text.utf16.prefix(2000)).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        FileManager.default.createFile(atPath: "\(dir)/u16.csv", contents: utf16)
        let u = try Self.churn(["score", "\(dir)/u16.csv", "-o", "\(dir)/u.csv"])
        #expect(u.status == 65 && u.stderr.contains("UTF-16") && u.stderr.contains("iconv"), "\(u.stderr)")
        try "customerID,tenure,tenure\nA,1,2\n".write(toFile: "\(dir)/dup.csv", atomically: true, encoding: .utf8)
        #expect(try Self.churn(["score", "\(dir)/dup.csv", "-o", "\(dir)/d.csv"]).status == 65)
        FileManager.default.createFile(atPath: "\(dir)/empty.csv", contents: Data())
        #expect(try Self.churn(["score", "\(dir)/empty.csv", "-o", "\(dir)/e.csv"]).status == 65)
        let d = try Self.churn(["score", dir, "-o", "\(dir)/dir.csv"])
        #expect(d.status == 1 && d.stderr.contains("it is a directory"), "\(d.stderr)")
        let m = try Self.churn(["score", "\(dir)/in.csv", "-o", "\(dir)/m.csv", "--model", dir])
        #expect(m.status == 1 && m.stderr.contains("it is a directory"), "\(m.stderr)")
        let model = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/m.json"))
        FileManager.default.createFile(atPath: "\(dir)/cut.json", contents: model.prefix(model.count / 3))
        let cut = try Self.churn(["score", "\(dir)/in.csv", "-o", "\(dir)/cut.csv", "--model", "\(dir)/cut.json"])
        #expect(cut.status == 1 && cut.stderr.contains("truncated"), "\(cut.stderr)")
    }
}
