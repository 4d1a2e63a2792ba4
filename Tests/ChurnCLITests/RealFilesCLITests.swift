import Foundation
import Testing

/// The real public churn files in ../shared/data (see its README), trained and scored with default settings by
/// the real binary, and a hostile-but-ordinary variant of each built here: stray `?` cells, trailing blank
/// lines, a column of ids, a column of surnames, CRLF line ends and rows without a label (docs/model-format.md,
/// "Users' files", says what happens to each). Row accounting must hold everywhere: every data line is scored,
/// rejected with a reason, or counted as blank; and a model scores its own training file with zero rejects.
@Suite("real churn files end to end", .serialized)
struct RealFilesCLITests {
    static let dataDir: String = {
        // Tests/ChurnCLITests/<this file> → the package root → its sibling shared/data.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.deletingLastPathComponent().appendingPathComponent("shared/data").path
    }()

    struct RealFile: CustomStringConvertible, Sendable {
        var name: String
        var rows: Int
        var id: String?
        var numeric: [String]
        var categorical: [String]
        /// A numeric column to sprinkle with `?`.
        var strayColumn: String
        var description: String { name }
    }

    static let files = [
        RealFile(name: "telco.csv", rows: 7043, id: "customerID",
                 numeric: ["SeniorCitizen", "tenure", "MonthlyCharges", "TotalCharges"],
                 categorical: ["gender", "Partner", "Contract", "PaymentMethod", "InternetService"], strayColumn: "MonthlyCharges"),
        RealFile(name: "bigml-train.csv", rows: 2661, id: nil,
                 numeric: ["Account length", "Total day minutes", "Customer service calls", "Total intl calls"],
                 categorical: ["State", "International plan", "Voice mail plan"], strayColumn: "Total day minutes"),
        RealFile(name: "bigml-test.csv", rows: 667, id: nil,
                 numeric: ["Account length", "Total day minutes", "Customer service calls"],
                 categorical: ["State", "International plan", "Voice mail plan"], strayColumn: "Total eve minutes"),
    ]

    typealias CLI = UserFilesCLITests

    /// Features of a model artifact by kind.
    static func kinds(_ model: String) throws -> [String: String] {
        let schema = try CLI.json(model)["schema"] as! [String: Any]
        var kinds: [String: String] = [:]
        for f in schema["features"] as! [[String: Any]] { kinds[f["name"] as! String] = f["kind"] as? String }
        return kinds
    }

    /// Scores `input` with `model`; checks the row accounting and returns the summary.
    static func scoreAndAccount(_ input: String, model: String, dataLines: Int, blank: Int, dir: String, tag: String) throws -> [String: Any] {
        let r = try CLI.churn(["score", input, "--model", model, "-o", "\(dir)/\(tag).out.csv", "--summary-json", "\(dir)/\(tag).json", "--quiet"])
        #expect(r.status == 0, "\(tag): \(r.stderr)")
        let s = try CLI.json("\(dir)/\(tag).json")
        let rows = s["rows"] as! Int, scored = s["scored"] as! Int, rejected = s["rejected"] as! Int
        #expect(rows + (s["blankLines"] as! Int) == dataLines, "\(tag): every line after the header is a row or a blank line")
        #expect(s["blankLines"] as? Int == blank, "\(tag)")
        #expect(scored + rejected == rows, "\(tag)")
        let out = try String(contentsOfFile: "\(dir)/\(tag).out.csv", encoding: .utf8).split(separator: "\n")
        #expect(out.count - 1 == scored, "\(tag): the output holds every scored row")
        if rejected > 0 {
            let rej = try String(contentsOfFile: "\(dir)/\(tag).out.rejects.csv", encoding: .utf8)
            #expect(rej.split(separator: "\n").count - 1 >= rejected, "\(tag): every reject is in the rejects file with a reason")
        }
        return s
    }

    @Test("each real file trains with default settings, infers the right kinds and scores itself with zero rejects",
          arguments: files)
    func realFile(_ file: RealFile) throws {
        let path = "\(Self.dataDir)/\(file.name)"
        try #require(FileManager.default.fileExists(atPath: path), "\(path) is missing (see ../shared/data/README.md)")
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let train = try CLI.churn(["train", path, "-o", "\(dir)/model.json"])
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stdout.contains("\(file.rows) rows used"), "\(train.stdout)")
        let kinds = try Self.kinds("\(dir)/model.json")
        for c in file.numeric { #expect(kinds[c] == "numeric", "\(file.name): \(c) is \(kinds[c] ?? "missing")") }
        for c in file.categorical { #expect(kinds[c] == "categorical", "\(file.name): \(c) is \(kinds[c] ?? "missing")") }
        if let id = file.id { #expect(kinds[id] == nil, "the id is never a feature") }
        let s = try Self.scoreAndAccount(path, model: "\(dir)/model.json", dataLines: file.rows, blank: 0, dir: dir, tag: "self")
        #expect(s["rejected"] as? Int == 0, "a model scores its own training file with zero rejects: \(s["rejectReasons"] ?? "")")
        // No id column: each row is named by its line (BigML); the first data row is line 2.
        let out = try String(contentsOfFile: "\(dir)/self.out.csv", encoding: .utf8).split(separator: "\n")
        if file.id == nil {
            #expect(out[0].hasPrefix("line,churn_probability"))
            #expect(out[1].hasPrefix("2,") && out.last!.hasPrefix("\(file.rows + 1),"))
        } else {
            #expect(out[0].hasPrefix("\(file.id!),churn_probability"))
        }
        // evaluate reads it the same way.
        let eval = try CLI.churn(["evaluate", "\(dir)/model.json", path, "--json"])
        #expect(eval.status == 0 && eval.stdout.contains("\"rows\" : \(file.rows)"), "\(eval.stdout)\(eval.stderr)")
    }

    /// The file with, in order: a `?` in every 50th cell of `strayColumn`, a `RowNumber` id column and a `Surname`
    /// column (hundreds of distinct names) in front, every 100th label blanked, CRLF line ends and two blank
    /// lines at the end.
    static func hostile(_ file: RealFile) throws -> (text: String, missingLabels: Int, strays: Int) {
        let lines = try String(contentsOfFile: "\(dataDir)/\(file.name)", encoding: .utf8)
            .split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let stray = header.firstIndex(of: file.strayColumn)!
        let label = header.firstIndex(of: "Churn")!
        let syllables = ["ab", "bel", "cor", "dan", "el", "fal", "gor", "hen", "is", "jon", "kal", "lor", "mor", "nel",
                         "os", "par", "quin", "ros", "sal", "tor", "ul", "van", "wes", "yor", "zan"]
        var out = ["RowNumber,Surname," + lines[0]]
        var missing = 0, strays = 0
        for (k, line) in lines.dropFirst().enumerated() {
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if k % 50 == 7 { fields[stray] = "?"; strays += 1 }
            if k % 100 == 13 { fields[label] = ""; missing += 1 }
            // Skewed like real surnames: a few common ones, a long tail of rare ones.
            let n = (k * k + 7 * k) % (k % 3 == 0 ? 40 : 600)
            let surname = (syllables[n % 25] + syllables[(n / 25) % 25]).capitalized
            out.append("\(10_000 + k),\(surname)," + fields.joined(separator: ","))
        }
        return (out.joined(separator: "\r\n") + "\r\n\r\n\r\n", missing, strays)
    }

    @Test("hostile-but-ordinary variants: '?' cells, blank lines, ids, surnames, CRLF, missing labels", arguments: files)
    func hostileVariant(_ file: RealFile) throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (text, missing, _) = try Self.hostile(file)
        let path = "\(dir)/hostile.csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        var args = ["train", path, "-o", "\(dir)/model.json"]
        if let id = file.id { args += ["--id", id] }
        let train = try CLI.churn(args)
        #expect(train.status == 0, "\(train.stderr)")
        // Missing labels: skipped with a reason; blank lines: counted apart.
        #expect(train.stdout.contains("\(file.rows - missing) rows used"), "\(train.stdout)")
        #expect(train.stdout.contains("\(missing) skipped") && train.stdout.contains("2 blank lines skipped"), "\(train.stdout)")
        let kinds = try Self.kinds("\(dir)/model.json")
        #expect(kinds["RowNumber"] == nil, "a column of ids is left out")
        #expect(kinds[file.strayColumn] == "numeric", "a few '?' cells are missing values, not a reason to go categorical")
        for c in file.numeric where c != file.strayColumn { #expect(kinds[c] == "numeric", "\(c)") }
        // Scored against its own model: no rejects (rows without a label score too: scoring needs no label).
        let s = try Self.scoreAndAccount(path, model: "\(dir)/model.json", dataLines: file.rows + 2, blank: 2, dir: dir, tag: "hostile")
        #expect(s["rejected"] as? Int == 0, "\(file.name): \(s["rejectReasons"] ?? "")")
        // CRLF alone changes nothing: the plain file's model scores the CRLF copy like the original.
        let plain = try CLI.churn(["train", "\(Self.dataDir)/\(file.name)", "-o", "\(dir)/plain.json", "--learner", "logistic", "--quiet"])
        #expect(plain.status == 0)
        let original = try String(contentsOfFile: "\(Self.dataDir)/\(file.name)", encoding: .utf8)
        let crlf = original.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).joined(separator: "\r\n") + "\r\n"
        try crlf.write(toFile: "\(dir)/crlf.csv", atomically: true, encoding: .utf8)
        try original.replacingOccurrences(of: "\r\n", with: "\n").write(toFile: "\(dir)/lf.csv", atomically: true, encoding: .utf8)
        _ = try Self.scoreAndAccount("\(dir)/crlf.csv", model: "\(dir)/plain.json", dataLines: file.rows, blank: 0, dir: dir, tag: "crlf")
        _ = try Self.scoreAndAccount("\(dir)/lf.csv", model: "\(dir)/plain.json", dataLines: file.rows, blank: 0, dir: dir, tag: "lf")
        #expect(try String(contentsOfFile: "\(dir)/crlf.out.csv", encoding: .utf8) == String(contentsOfFile: "\(dir)/lf.out.csv", encoding: .utf8))
    }
}
