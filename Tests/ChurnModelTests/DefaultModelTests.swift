import ChurnBase
import ChurnTestSupport
import Foundation
import Testing
@testable import ChurnModel

/// The default model is compiled into the binary (no resource bundle, no Foundation to find one); its JSON also
/// sits in Sources/ChurnModel/Resources/default-model.json for scripts. Both come from scripts/train-default-model.sh.
@Suite("Default model")
struct DefaultModelTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let jsonFile = packageRoot.appendingPathComponent("Sources/ChurnModel/Resources/default-model.json").path

    @Test("the embedded model and Sources/ChurnModel/Resources/default-model.json hold the same JSON and load to the same model")
    func embeddedMatchesFile() throws {
        let file = try Data(contentsOf: URL(fileURLWithPath: Self.jsonFile))
        #expect(try JSONValue.parse(Data(DefaultModelJSON.text.utf8)) == JSONValue.parse(file),
                "regenerate the Swift file: scripts/train-default-model.sh --embed")
        let embedded = try ModelArtifact.bundledDefault()
        #expect(embedded == (try ModelArtifact.load(path: Self.jsonFile)))
        #expect(embedded.version.hasPrefix("logistic-"))
    }

    @Test("a model file that cannot be read is explained in words, with no Foundation error dump")
    func unreadableFileInWords() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let missing = dir.file("no-such-model.json")
        #expect(throws: ModelLoadError.self) { try ModelArtifact.load(path: missing) }
        do {
            _ = try ModelArtifact.load(path: missing)
        } catch {
            #expect(error.description == "\(missing): cannot read the file (No such file or directory)")
        }
        // A directory given as the model: unreadable for every user, root included (mode 000 would not stop root).
        do {
            _ = try ModelArtifact.load(path: dir.path)
            Issue.record("read a directory as a model")
        } catch {
            #expect(error.reason.contains("directory"), "\(error)")
            #expect(!error.reason.contains("CocoaError"))
        }
    }

    @Test("file errors of FoundationEssentials read as the C library's words, naming another path when there is one")
    func ioErrorText() {
        let notFound = CocoaError(.fileReadNoSuchFile, userInfo: ["NSFilePath": "/data/x.csv", "NSUnderlyingError": POSIXError(.ENOENT)])
        #expect(IOErrorText.describe(notFound, file: "/data/x.csv") == "No such file or directory")
        #expect(IOErrorText.describe(notFound) == "No such file or directory (/data/x.csv)")
        #expect(IOErrorText.describe(CocoaError(.fileWriteOutOfSpace)) == "No space left on device")
        #expect(IOErrorText.describe(POSIXError(.EACCES)) == "Permission denied")
    }

    @Test("path arithmetic matches NSString's: last component and parent")
    func pathText() {
        #expect(PathText.lastComponent("runs/model.json") == "model.json")
        #expect(PathText.lastComponent("/data/telco.csv") == "telco.csv")
        #expect(PathText.lastComponent("runs/") == "runs")
        #expect(PathText.lastComponent("model.json") == "model.json")
        #expect(PathText.lastComponent("/") == "/")
        #expect(PathText.parent("runs/model.json") == "runs")
        #expect(PathText.parent("/model.json") == "/")
        #expect(PathText.parent("model.json") == "")
        #expect(PathText.parent("/a/b/") == "/a")
        #expect(PathText.parent("/a//b") == "/a")
    }
}
