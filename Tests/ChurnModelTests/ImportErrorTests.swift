import ChurnTestSupport
import Foundation
import Testing
@testable import ChurnModel

/// Imports a model given as text (written to a temporary file), against the Telco schema with a fixture reference.
private func importText(_ library: ModelLibrary, _ text: String, mapping: String? = nil,
                        configure: (inout ImportOptions) -> Void = { _ in }) throws -> ImportResult {
    let dir = TempDir()
    defer { dir.cleanup() }
    let model = dir.write(library == .xgboost ? "model.json" : "model.txt", text)
    var options = ImportOptions(library: library, modelPath: model)
    options.referencePath = ImportFixture.path("telco.customers.csv")
    if let mapping { options.mappingPath = dir.write("mapping.json", mapping) }
    configure(&options)
    return try ModelImporter.run(options)
}

/// The error an import fails with (nil when it succeeds).
private func importError(_ library: ModelLibrary, _ text: String, mapping: String? = nil,
                         configure: (inout ImportOptions) -> Void = { _ in }) -> ModelImportError? {
    do {
        _ = try importText(library, text, mapping: mapping, configure: configure)
        return nil
    } catch let error as ModelImportError {
        return error
    } catch {
        Issue.record("unexpected error type: \(error)")
        return nil
    }
}

private func fixtureText(_ name: String) throws -> String {
    try String(contentsOfFile: ImportFixture.path(name), encoding: .utf8)
}

private func baseMargin(_ a: ModelArtifact) -> Double {
    if case .trees(let e) = a.predictor { return e.baseMargin }
    return .nan
}

@Suite("Importing damaged or foreign models fails clearly")
struct ImportErrorTests {
    @Test("base_score reads the same in every form XGBoost writes")
    func baseScoreForms() throws {
        let json = try fixtureText("telco.xgb.json")
        #expect(json.contains("\"base_score\":\"[2.6536986E-1]\""))
        let bracketed = try importText(.xgboost, json).artifact
        let plain = try importText(.xgboost, json.replacingOccurrences(of: "\"[2.6536986E-1]\"", with: "\"2.6536986E-1\"")).artifact
        let number = try importText(.xgboost, json.replacingOccurrences(of: "\"[2.6536986E-1]\"", with: "0.26536986")).artifact
        #expect(baseMargin(bracketed) == baseMargin(plain))
        #expect(baseMargin(bracketed) == baseMargin(number))
        // logit(0.26536986) ≈ -1.01824, LightGBM's first internal value on the same data.
        #expect(abs(baseMargin(bracketed) - log(0.26536986 / (1 - 0.26536986))) < 1e-6)
        let half = try importText(.xgboost, json.replacingOccurrences(of: "\"[2.6536986E-1]\"", with: "\"5E-1\"")).artifact
        #expect(baseMargin(half) == 0)
    }

    @Test("an objective other than binary:logistic is refused, naming the field")
    func wrongObjective() throws {
        let json = try fixtureText("telco.xgb.json").replacingOccurrences(of: "\"binary:logistic\"", with: "\"reg:squarederror\"")
        let error = try #require(importError(.xgboost, json))
        #expect(error.field == "learner.objective.name")
        #expect(error.reason.contains("reg:squarederror") && error.reason.contains("binary:logistic"))

        let text = try fixtureText("telco.lgb.txt").replacingOccurrences(of: "objective=binary sigmoid:1", with: "objective=multiclass num_class:3")
        let lgb = try #require(importError(.lightgbm, text))
        #expect(lgb.field == "line 7" && lgb.reason.contains("multiclass"))
    }

    @Test("damaged XGBoost files name the file and the field")
    func damagedXGBoost() throws {
        let json = try fixtureText("telco.xgb.json")
        let cut = try #require(importError(.xgboost, String(json.prefix(json.count / 2))))
        #expect(cut.reason.contains("not valid JSON"))
        #expect(cut.file.hasSuffix("model.json"))

        let foreign = try #require(importError(.xgboost, "{\"trees\": []}"))
        #expect(foreign.reason.contains("not an XGBoost model file"))

        // Tree 0's root points at a node that does not exist.
        let badChild = json.replacingOccurrences(of: "\"left_children\":[1,", with: "\"left_children\":[999,", options: [], range: json.range(of: "\"left_children\":[1,"))
        let child = try #require(importError(.xgboost, badChild))
        #expect(child.field == "learner.gradient_booster.model.trees[0]")
        #expect(child.reason.contains("999"))

        let missingArray = json.replacingOccurrences(of: "\"split_indices\":", with: "\"split_indices_renamed\":", options: [], range: json.range(of: "\"split_indices\":"))
        let missing = try #require(importError(.xgboost, missingArray))
        #expect(missing.field == "learner.gradient_booster.model.trees[0].split_indices" && missing.reason == "missing")

        let wrongType = json.replacingOccurrences(of: "\"default_left\":[0,", with: "\"default_left\":[\"no\",", options: [], range: json.range(of: "\"default_left\":[0,"))
        let type = try #require(importError(.xgboost, wrongType))
        #expect(type.field == "learner.gradient_booster.model.trees[0].default_left[0]")
    }

    @Test("damaged LightGBM files name the line")
    func damagedLightGBM() throws {
        let text = try fixtureText("telco.lgb.txt")
        let beforeEnd = String(text[..<text.range(of: "end of trees")!.lowerBound])
        let cut = try #require(importError(.lightgbm, beforeEnd))
        #expect(cut.reason.contains("cut short"))
        #expect(cut.field?.hasPrefix("line ") == true)

        // A tree cut off in the middle of its leaf values.
        let leaves = text.range(of: "leaf_value=")!
        let cutLine = String(text[..<text.index(leaves.upperBound, offsetBy: 60)])
        let short = try #require(importError(.lightgbm, cutLine))
        #expect(short.field == "line 21 (Tree=0)" && short.reason.contains("'leaf_value' has 3 values, expected 15"))

        let badNumber = text.replacingOccurrences(of: "leaf_value=-1.0760836351970806", with: "leaf_value=-1.07608x")
        let number = try #require(importError(.lightgbm, badNumber))
        #expect(number.field == "line 21 (Tree=0)")
        #expect(number.reason.contains("'-1.07608x'"))

        let nanLeaf = text.replacingOccurrences(of: "leaf_value=-1.0760836351970806", with: "leaf_value=nan")
        let leaf = try #require(importError(.lightgbm, nanLeaf))
        #expect(leaf.field == "line 12 (Tree=0)" && leaf.reason.contains("leaf 14 has value nan"))

        let linear = text.replacingOccurrences(of: "is_linear=0", with: "is_linear=1")
        #expect(try #require(importError(.lightgbm, linear)).reason.contains("linear trees"))

        #expect(try #require(importError(.lightgbm, "customerID,tenure\n1,2\n")).reason.contains("not a LightGBM text model"))
    }

    @Test("features that match no column are listed, and a mapping file fixes them")
    func unmappedFeatures() throws {
        // Rename XGBoost's features to f0, f1, …: nothing matches the Telco schema any more.
        let json = try fixtureText("telco.xgb.json")
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        var learner = object["learner"] as! [String: Any]
        let names = learner["feature_names"] as! [String]
        learner["feature_names"] = names.indices.map { "f\($0)" }
        var renamed = object
        renamed["learner"] = learner
        let text = String(decoding: try JSONSerialization.data(withJSONObject: renamed), as: UTF8.self)
        let error = try #require(importError(.xgboost, text))
        #expect(error.reason.hasPrefix("45 model features match no customer column: 'f0', 'f1'"))
        #expect(error.reason.contains("--mapping"))

        // The same model with a mapping file from f<j> to the original name's column and category.
        var mapping: [String: Any] = [:]
        for (j, name) in names.enumerated() {
            if let cut = name.firstIndex(of: "_"), TelcoSchema.schema.feature(named: String(name[..<cut]))?.kind == .categorical {
                mapping["f\(j)"] = ["column": String(name[..<cut]), "category": String(name[name.index(after: cut)...])]
            } else {
                mapping["f\(j)"] = ["column": name]
            }
        }
        let mappingText = String(decoding: try JSONSerialization.data(withJSONObject: mapping), as: UTF8.self)
        let mapped = try importText(.xgboost, text, mapping: mappingText).artifact
        let original = try importText(.xgboost, json).artifact
        #expect(mapped.predictor == original.predictor)
    }

    @Test("mapping mistakes are refused with the entry named")
    func mappingMistakes() throws {
        let json = try fixtureText("telco.xgb.json")
        let wrongColumn = try #require(importError(.xgboost, json, mapping: #"{"tenure": {"column": "tenur"}}"#))
        #expect(wrongColumn.field == "tenure" && wrongColumn.reason.contains("'tenur' is not in the schema"))
        let twice = try #require(importError(.xgboost, json, mapping: #"{"MonthlyCharges": {"column": "tenure"}}"#))
        #expect(twice.reason.contains("'tenure' and 'MonthlyCharges' both map to tenure") || twice.reason.contains("'MonthlyCharges' and 'tenure' both map to tenure"))
        let unknown = try #require(importError(.xgboost, json, mapping: #"{"nope": {"column": "tenure"}}"#))
        #expect(unknown.reason.contains("'nope'"))
    }

    @Test("columns the model never reads are left out of the schema")
    func unusedColumnsDropped() throws {
        // A schema inferred from data with one column more than the model was trained on ("region").
        let dir = TempDir()
        defer { dir.cleanup() }
        let telco = try String(contentsOfFile: ImportFixture.path("telco.customers.csv"), encoding: .utf8)
        let lines = telco.split(separator: "\n")
        let extra = dir.write("extra.csv", (["region," + lines[0]] + lines.dropFirst().enumerated().map { "r\($0.offset % 3)," + $0.element }).joined(separator: "\n") + "\n")
        var options = ImportOptions(library: .lightgbm, modelPath: ImportFixture.path("telco.lgb.txt"))
        options.schema = .dataFile(extra, TableOptions())
        let result = try ModelImporter.run(options)
        #expect(!result.artifact.schema.features.contains { $0.name == "region" })
        #expect(result.notes.contains { $0.contains("region") })
        #expect(result.referencePath == extra)
    }

    @Test("without reference data the import stops and says why")
    func referenceRequired() throws {
        let error = try #require(importError(.xgboost, try fixtureText("telco.xgb.json")) { $0.referencePath = nil })
        #expect(error.reason.contains("drift") && error.reason.contains("--reference"))
    }
}
