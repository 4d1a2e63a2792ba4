import Foundation
import Testing

/// Column and value options as a user types them: comma lists, misspelt columns, out-of-range values, overwriting.
@Suite("churn train/evaluate/score options", .serialized)
struct SchemaOptionTests {
    static func churn(_ args: [String]) throws -> ScoreCommandTests.Run { try ScoreCommandTests.churn(args) }

    @Test("train: a misspelt column is exit 64 with did-you-mean and the columns; comma lists work; no overwrite without --force")
    func train() throws {
        let dir = try ScoreCommandTests().tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try Self.churn(["generate", "--rows", "300", "--seed", "5", "-o", "\(dir)/d.csv"]).status == 0)
        let typo = try Self.churn(["train", "\(dir)/d.csv", "-o", "\(dir)/m.json", "--exclude", "gender,contract"])
        #expect(typo.status == 64, "\(typo.stderr)")
        #expect(typo.stderr.contains("--exclude names column 'contract'") && typo.stderr.contains("did you mean 'Contract'?"))
        #expect(typo.stderr.contains("customerID, gender, SeniorCitizen"))
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/m.json"))
        let ok = try Self.churn(["train", "\(dir)/d.csv", "-o", "\(dir)/m.json", "--learner", "logistic", "--l2", "1",
                                 "--exclude", "gender,Partner", "--exclude", "Dependents", "--quiet"])
        #expect(ok.status == 0, "\(ok.stderr)")
        let model = try String(contentsOfFile: "\(dir)/m.json", encoding: .utf8)
        #expect(!model.contains("\"name\" : \"gender\"") && !model.contains("\"name\" : \"Partner\"") && !model.contains("\"name\" : \"Dependents\""))
        let again = try Self.churn(["train", "\(dir)/d.csv", "-o", "\(dir)/m.json", "--learner", "logistic", "--l2", "1", "--quiet"])
        #expect(again.status != 0 && again.stderr.contains("already exists; pass --force"))
        #expect(try String(contentsOfFile: "\(dir)/m.json", encoding: .utf8) == model, "the model was left alone")
        let forced = try Self.churn(["train", "\(dir)/d.csv", "-o", "\(dir)/m.json", "--learner", "logistic", "--l2", "1", "--quiet", "--force"])
        #expect(forced.status == 0)

        let threshold = try Self.churn(["evaluate", "\(dir)/m.json", "\(dir)/d.csv", "--threshold", "1.5"])
        #expect(threshold.status == 64 && threshold.stderr.contains("--threshold must be a probability"))
        let share = try Self.churn(["train", "\(dir)/d.csv", "-o", "\(dir)/n.json", "--test-share", "1.5"])
        #expect(share.status == 64)
        let mode = try Self.churn(["score", "\(dir)/d.csv", "-o", "\(dir)/s.csv", "--model", "\(dir)/m.json", "--unknown-categories", "maybe"])
        #expect(mode.status == 64 && mode.stderr.contains("score or reject"))
        let both = try Self.churn(["score", "\(dir)/d.csv", "-o", "\(dir)/s.csv", "--allow-unknown-categories", "--unknown-categories", "reject"])
        #expect(both.status == 64)
        let old = try Self.churn(["score", "\(dir)/d.csv", "-o", "\(dir)/s.csv", "--model", "\(dir)/m.json", "--allow-unknown-categories"])
        #expect(old.status == 0, "old command lines still run: \(old.stderr)")
    }
}
