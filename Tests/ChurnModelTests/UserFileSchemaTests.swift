import ChurnTestSupport
import Foundation
import Testing
@testable import ChurnModel

/// Users' own files (issue 14, schema half): column options that cannot be silently wrong, type inference with
/// stray markers, id columns, high-cardinality text with an "other" level, unseen categories and missing values
/// that contribute the training distribution. Real files come from ../shared/data.
@Suite("Users' own files: columns, types, missing and unseen values")
struct UserFileSchemaTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let telco = packageRoot.appendingPathComponent("../shared/data/telco.csv").standardizedFileURL.path

    /// A small labelled file: `score` drives the label, `plan` is categorical, `id` an integer id.
    static func small(rows: Int = 400, extra: (Int) -> [String] = { _ in [] }, extraHeader: [String] = []) -> String {
        var lines = [(["id", "score", "plan", "left"] + extraHeader).joined(separator: ",")]
        var state: UInt64 = 7
        for i in 0..<rows {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let x = Double(state >> 40) / Double(1 << 24)
            let plan = ["basic", "plus", "pro"][i % 3]
            let left = x + (plan == "basic" ? 0.2 : 0) > 0.7 ? "Yes" : "No"
            lines.append(([String(1000 + i * 7), String(format: "%.3f", x * 100), plan, left] + extra(i)).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test("column options take comma lists and repeats; an unknown name is a usage error with the header and a did-you-mean")
    func columnOptions() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.write("a.csv", Self.small(extra: { ["r\($0 % 4)", "\($0 % 5)"] }, extraHeader: ["Region", "Code"]))
        var options = TableOptions(target: "left", id: "id")
        options.exclude = ["Region,Code"]
        var table = try TrainingTable.load(path: path, options: options)
        #expect(table.schema.features.map(\.name) == ["score", "plan"])
        options.exclude = ["Region", "Code"]
        table = try TrainingTable.load(path: path, options: options)
        #expect(table.schema.features.map(\.name) == ["score", "plan"])

        options.exclude = ["Region,region_code"]
        do {
            _ = try TrainingTable.load(path: path, options: options)
            Issue.record("an unknown column name was accepted")
        } catch let error as TrainingTable.LoadError {
            #expect(error.isUsage)
            #expect(error.description.contains("--exclude names column 'region_code'"))
            #expect(error.description.contains("id, score, plan, left, Region, Code"))
        }
        options.exclude = []
        options.forceCategorical = ["SCORE"]
        do {
            _ = try TrainingTable.load(path: path, options: options)
            Issue.record("an unknown column name was accepted")
        } catch let error as TrainingTable.LoadError {
            #expect(error.isUsage && error.description.contains("did you mean 'score'?"))
        }
        do {
            _ = try TrainingTable.load(path: path, options: TableOptions(target: "Left"))
            Issue.record("an unknown target was accepted")
        } catch let error as TrainingTable.LoadError {
            #expect(error.isUsage && error.description.contains("--target") && error.description.contains("did you mean 'left'?"))
        }
        #expect(ColumnNames.suggestion(for: "CustomerID", in: ["CustomerId", "Surname"]) == "CustomerId")
        #expect(ColumnNames.suggestion(for: "Surnme", in: ["CustomerId", "Surname"]) == "Surname")
        #expect(ColumnNames.suggestion(for: "zzz", in: ["CustomerId", "Surname"]) == nil)
    }

    @Test("stray texts in a numeric column stay numeric: read as missing, counted, stored, and never rejected at scoring")
    func strayMarkers() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        var text = Self.small()
        var lines = text.split(separator: "\n").map(String.init)
        for (k, i) in [5, 50, 120, 300].enumerated() {
            var f = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            f[1] = ["?", "n/k", "unknown", "-"][k]
            lines[i] = f.joined(separator: ",")
        }
        text = lines.joined(separator: "\n") + "\n"
        let path = dir.write("s.csv", text)
        var options = TableOptions(target: "left", id: "id")
        options.missingValues = ["unknown"]
        let table = try TrainingTable.load(path: path, options: options)
        let score = try #require(table.schema.feature(named: "score"))
        #expect(score.kind == .numeric)
        #expect(score.missingValues == ["n/k"], "standard markers and --na values are not strays")
        #expect(table.schema.missingValues == ["unknown"])
        #expect(table.missingCounts[0] == 4)
        #expect(table.notes.contains { $0.hasPrefix("score: numeric; 1 value that is not a number ('n/k')") })
        let artifact = ModelTrainer.train(table, options: Self.quick(.logistic)).artifact
        let reloaded = try ModelArtifact.decode(try artifact.jsonData())
        #expect(reloaded.schema == artifact.schema)
        #expect(reloaded.reference.columns[0].proportions.last! * Double(reloaded.reference.rows) == 4)
        let summary = try Self.score(path, artifact, dir)
        #expect(summary.rejected == 0 && summary.scored == 400)
        #expect(summary.missingValues == ["score": 4])
    }

    @Test("a column with more stray texts than a handful is categorical, not numeric")
    func tooManyStrays() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.write("t.csv", Self.small(extra: { $0 % 10 == 0 ? ["x\($0 % 3)"] : [String($0 % 7)] }, extraHeader: ["mixed"]))
        let table = try TrainingTable.load(path: path, options: TableOptions(target: "left", id: "id"))
        #expect(table.schema.feature(named: "mixed")?.kind == .categorical)
    }

    @Test("identifier columns (integers or text, a value per row) are left out with a note naming --keep or --categorical")
    func identifiers() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.write("i.csv", Self.small(extra: { [String($0 + 1), "acct-\($0 * 13)"] }, extraHeader: ["RowNumber", "Account"]))
        let table = try TrainingTable.load(path: path, options: TableOptions(target: "left"))
        #expect(table.schema.features.map(\.name) == ["score", "plan"])
        #expect(table.notes.contains { $0.hasPrefix("id: left out") && $0.contains("--keep id") })
        #expect(table.notes.contains { $0.hasPrefix("RowNumber: left out") && $0.contains("--keep RowNumber") })
        #expect(table.notes.contains { $0.hasPrefix("Account: left out") && $0.contains("--categorical Account") })
        var options = TableOptions(target: "left")
        options.keep = ["RowNumber"]
        let kept = try TrainingTable.load(path: path, options: options)
        #expect(kept.schema.feature(named: "RowNumber")?.kind == .numeric)
        // A float column with a value per row is a measurement, not an id.
        #expect(kept.schema.feature(named: "score")?.kind == .numeric)
    }

    @Test("a test part too small to measure gets a warning; a large enough one does not")
    func smallTestPart() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let options = TableOptions(target: "left", id: "id")
        let tiny = try TrainingTable.load(path: dir.write("tiny.csv", Self.small(rows: 80)), options: options)
        let warned = ModelTrainer.train(tiny, options: Self.quick(.logistic)).notes
        #expect(warned.contains { $0.hasPrefix("warning: the test part has") && $0.contains("too noisy") }, "\(warned)")
        let big = try TrainingTable.load(path: dir.write("big.csv", Self.small(rows: 1200)), options: options)
        #expect(!ModelTrainer.train(big, options: Self.quick(.logistic)).notes.contains { $0.hasPrefix("warning:") })
    }

    /// A Telco-like file with a surname column: 2,000 names, Zipf-like, most of them rare.
    static func surnames(_ dir: TempDir) throws -> String {
        let text = try String(contentsOfFile: telco, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        var state: UInt64 = 11
        var out = ["Surname," + lines[0]]
        for line in lines.dropFirst() {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let u = Double(state >> 11) / Double(1 << 53)
            out.append("Name\(Int(pow(2000, u))),\(line)")
        }
        return dir.write("surnames.csv", out.joined(separator: "\n") + "\n")
    }

    @Test("a surname-like column: rare values fold into \"other\"; the model scores its own training file with zero rejects")
    func highCardinality() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = try Self.surnames(dir)
        let table = try TrainingTable.load(path: path)
        let surname = try #require(table.schema.feature(named: "Surname"))
        #expect(surname.kind == .categorical && surname.otherLevel && surname.categories.count <= 64)
        #expect(FeatureLayout(schema: table.schema).features.contains { $0.name == "Surname=(other)" })
        for learner in [LearnerChoice.logistic, .gbt] {
            let artifact = ModelTrainer.train(table, options: Self.quick(learner)).artifact
            for mode in UnknownCategoryMode.allCases {
                let summary = try Self.score(path, artifact, dir, mode: mode)
                #expect(summary.rejected == 0, "\(learner) \(mode)")
                #expect(summary.scored == table.rowCount)
                #expect((summary.unseenValues?["Surname"] ?? 0) > 0)
            }
            // A folded value, another folded value and a never-seen one all score the same: the "other" level.
            let folded = table.columns[0]
            guard case .categorical(let codes) = folded else { Issue.record("Surname is not categorical"); continue }
            #expect(codes.contains(Int32(surname.categories.count)))
            let rare = (1...2000).map { "Name\($0)" }.filter { !surname.categories.contains($0) }
            let engine = ScoringEngine(artifact: artifact)
            let p = [rare[0], rare[1], "Zebedee-Never-Seen"].map { Self.probability(engine, surname: $0) }
            #expect(p[0] == p[1] && p[1] == p[2], "\(learner): \(p)")
        }
    }

    /// The probability of the first Telco customer with `surname`.
    static func probability(_ engine: ScoringEngine, surname: String) -> Double {
        let encoder = RowEncoder(schema: engine.artifact.schema, reference: engine.artifact.reference)
        var row = encoder.makeRow()
        let values: [String: String] = ["Surname": surname, "gender": "Female", "SeniorCitizen": "0", "Partner": "Yes", "Dependents": "No",
                                        "tenure": "1", "PhoneService": "No", "MultipleLines": "No phone service", "InternetService": "DSL",
                                        "OnlineSecurity": "No", "OnlineBackup": "Yes", "DeviceProtection": "No", "TechSupport": "No",
                                        "StreamingTV": "No", "StreamingMovies": "No", "Contract": "Month-to-month", "PaperlessBilling": "Yes",
                                        "PaymentMethod": "Electronic check", "MonthlyCharges": "29.85", "TotalCharges": "29.85"]
        for (c, column) in engine.artifact.schema.features.enumerated() {
            var text = values[column.name] ?? ""
            #expect(text.withUTF8 { encoder.encodeField(c, $0, into: &row) } == nil)
        }
        return engine.probability(row)
    }

    static func quick(_ learner: LearnerChoice) -> TrainingOptions {
        var options = TrainingOptions()
        options.learner = learner
        options.l2 = 0.01
        options.gbt.rounds = 40
        options.threads = 2
        return options
    }

    static func score(_ path: String, _ artifact: ModelArtifact, _ dir: TempDir, mode: UnknownCategoryMode = .score) throws -> BatchSummary {
        var options = BatchOptions(input: path, output: dir.file("out.csv"), rejects: dir.file("rejects.csv"))
        options.threads = 2
        options.force = true
        options.unknownCategories = mode
        return try BatchScorer(engine: ScoringEngine(artifact: artifact), options: options).run()
    }
}
