import ChurnTestSupport
import Foundation
import Testing
@testable import ChurnModel

/// Registry backup and restore: the whole index and every artifact, checked by checksum both ways.
@Suite("Model registry backup and restore")
struct RegistryBackupTests {
    @Test("backup then restore gives the same index and artifacts; the production version loads")
    func roundTrip() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let registry = ModelRegistry(path: dir.file("reg"))
        let base = try ModelRegistryTests.model()
        try registry.register(base, source: "test")
        try registry.register(ModelRegistryTests.variant(base, "second"), source: "test")
        _ = try registry.promote("second")
        let copied = try registry.backup(to: dir.file("bk"))
        #expect(copied == (try registry.read()))

        let target = ModelRegistry(path: dir.file("restored/reg"))
        let restored = try target.restore(from: dir.file("bk"), replace: false)
        #expect(restored == (try registry.read()))
        let production = try #require(try target.read().productionEntry)
        #expect(try target.loadArtifact(production).version == "second")
        // An existing registry is replaced only when asked.
        #expect(throws: RegistryError.self) { try target.restore(from: dir.file("bk"), replace: false) }
        try target.restore(from: dir.file("bk"), replace: true)
        #expect(try target.read() == registry.read())
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.file("restored")) == ["reg"])
    }

    @Test("a changed artifact is refused by backup and by restore, and nothing is put in place")
    func tamperedArtifact() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let registry = ModelRegistry(path: dir.file("reg"))
        let entry = try registry.register(try ModelRegistryTests.model(), source: "test")
        try registry.backup(to: dir.file("bk"))
        let copy = dir.file("bk/versions/" + entry.directory + "/model.json")
        try (try String(contentsOfFile: copy, encoding: .utf8) + " ").write(toFile: copy, atomically: true, encoding: .utf8)
        let target = ModelRegistry(path: dir.file("restored"))
        let error = #expect(throws: RegistryError.self) { try target.restore(from: dir.file("bk"), replace: false) }
        if case .corruptArtifact(let version, _, _)? = error {
            #expect(version == entry.version)
        } else {
            Issue.record("expected corruptArtifact, got \(String(describing: error))")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.file("restored")))
        try (try String(contentsOfFile: registry.artifactPath(entry), encoding: .utf8) + " ")
            .write(toFile: registry.artifactPath(entry), atomically: true, encoding: .utf8)
        #expect(throws: RegistryError.self) { try registry.backup(to: dir.file("bk2")) }
        #expect(throws: RegistryError.self) { try ModelRegistry(path: dir.file("none")).backup(to: dir.file("bk3")) }
    }
}
