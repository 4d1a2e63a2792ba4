import ChurnTestSupport
import Foundation
import Testing
@testable import ChurnModel

@Suite("Model registry")
struct ModelRegistryTests {
    /// A small logistic model on made-up columns; `extra` adds a column (`region`) the others do not have.
    static func model(extra: Bool = false, seed: Int = 1) throws -> ModelArtifact {
        let dir = TempDir()
        defer { dir.cleanup() }
        var lines = ["id,tenure,plan" + (extra ? ",region" : "") + ",Churn"]
        for i in 0..<300 {
            let tenure = (i * 37 + seed * 11) % 72
            let plan = ["monthly", "yearly", "two-year"][(i + seed) % 3]
            let churn = (tenure < 20 && plan == "monthly") || (i % 11 == 0)
            lines.append("C\(i),\(tenure),\(plan)" + (extra ? ",r\(i % 4)" : "") + ",\(churn ? "Yes" : "No")")
        }
        let path = dir.write("d.csv", lines.joined(separator: "\n") + "\n")
        var options = TrainingOptions()
        options.learner = .logistic
        options.l2 = 1
        var tableOptions = TableOptions(target: "Churn", id: "id")
        tableOptions.positiveLabel = nil
        return ModelTrainer.train(try TrainingTable.load(path: path, options: tableOptions), options: options,
                                  now: Date(timeIntervalSince1970: 1_790_000_000 + Double(seed))).artifact
    }

    static func variant(_ a: ModelArtifact, _ version: String) -> ModelArtifact {
        var v = a
        v.version = version
        return v
    }

    @Test("registering adds candidates numbered in order; the same artifact twice is one version")
    func register() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let registry = ModelRegistry(path: dir.file("reg"))
        #expect(try registry.read().versions.isEmpty)
        let base = try Self.model()
        let one = try registry.register(Self.variant(base, "m-1"), source: "test")
        let two = try registry.register(Self.variant(base, "m-2"), source: "test")
        #expect(one.number == 1 && two.number == 2)
        #expect(one.stage == .candidate)
        #expect(try registry.register(Self.variant(base, "m-1"), source: "again") == one)
        var changed = Self.variant(base, "m-1")
        changed.decisionThreshold = 0.123
        #expect(throws: RegistryError.conflictingArtifact(version: "m-1")) { try registry.register(changed, source: "x") }
        #expect(try registry.read().versions.map(\.version) == ["m-1", "m-2"])
        #expect(try registry.loadArtifact(one) == Self.variant(base, "m-1"))
    }

    @Test("promote makes one version production and archives the last; rollback walks back through them")
    func promoteAndRollback() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let registry = ModelRegistry(path: dir.file("reg"))
        let base = try Self.model()
        for v in ["a", "b", "c"] { try registry.register(Self.variant(base, v), source: "test") }
        #expect(throws: RegistryError.nothingToRollBack(production: nil)) { try registry.rollback() }
        #expect(try registry.promote("1").previous == nil)
        #expect(throws: RegistryError.alreadyProduction(version: "a")) { try registry.promote("a") }
        #expect(try registry.promote("#2").previous == "a")
        #expect(try registry.promote("c").previous == "b")
        var index = try registry.read()
        #expect(index.production == "c")
        #expect(index.versions.map(\.stage) == [.archived, .archived, .production])
        #expect(index.history.map(\.action) == [.register, .register, .register, .promote, .promote, .promote])

        #expect(try registry.rollback().restored.version == "b")
        #expect(try registry.rollback().restored.version == "a")
        #expect(throws: RegistryError.nothingToRollBack(production: "a")) { try registry.rollback() }
        index = try registry.read()
        #expect(index.production == "a")
        #expect(index.versions.filter { $0.stage == .production }.map(\.version) == ["a"])
        #expect(index.history.last?.action == .rollback && index.history.last?.previous == "b")
    }

    @Test("versions resolve by number, id or unique prefix; an ambiguous prefix is an error naming the matches")
    func resolve() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let registry = ModelRegistry(path: dir.file("reg"))
        let base = try Self.model()
        for v in ["logistic-20261201-aa", "logistic-20261201-ab", "gbt-20261202-cc"] {
            try registry.register(Self.variant(base, v), source: "test")
        }
        let index = try registry.read()
        #expect(try index.resolve("3").version == "gbt-20261202-cc")
        #expect(try index.resolve("gbt").version == "gbt-20261202-cc")
        #expect(try index.resolve("logistic-20261201-ab").number == 2)
        #expect(throws: RegistryError.ambiguous(reference: "logistic", matches: ["logistic-20261201-aa", "logistic-20261201-ab"])) {
            try index.resolve("logistic")
        }
        do {
            _ = try index.resolve("9")
            Issue.record("resolved a number nobody registered")
        } catch {
            #expect(error.description.contains("#3 gbt-20261202-cc"))
        }
    }

    @Test("an artifact changed on disk after registration is refused, by checksum, before promotion")
    func corruptArtifact() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let registry = ModelRegistry(path: dir.file("reg"))
        let base = try Self.model()
        try registry.register(Self.variant(base, "good"), source: "test")
        let bad = try registry.register(Self.variant(base, "bad"), source: "test")
        try registry.promote("good")
        let file = registry.artifactPath(bad)
        let data = try #require(FileManager.default.contents(atPath: file))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: file))
        do {
            try registry.promote("bad")
            Issue.record("promoted a damaged artifact")
        } catch {
            guard case .corruptArtifact(let version, _, let reason) = error else { throw error }
            #expect(version == "bad" && reason.contains("checksum"))
        }
        #expect(try registry.read().production == "good")
        // --force: the registry records it; servers that follow will refuse it themselves.
        try registry.promote("bad", verify: false)
        #expect(try registry.read().production == "bad")
    }

    @Test("a model needing a column production's clients do not send cannot be promoted over it")
    func incompatibleSchema() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let registry = ModelRegistry(path: dir.file("reg"))
        let narrow = try Self.model()
        let wide = try Self.model(extra: true, seed: 2)
        try registry.register(narrow, source: "test")
        try registry.register(wide, source: "test")
        try registry.promote(narrow.version)
        do {
            try registry.promote(wide.version)
            Issue.record("promoted a model that needs a column clients do not send")
        } catch {
            guard case .incompatible(_, _, let reason) = error else { throw error }
            #expect(reason.contains("region"))
        }
        // The other way round is fine: clients keep sending a column the new model ignores.
        try registry.promote(wide.version, verify: false)
        #expect(try registry.promote(narrow.version).previous == wide.version)
    }

    @Test("writers in parallel never lose each other's versions (the index is changed under a lock)")
    func concurrentWriters() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.file("reg")
        let base = try Self.model()
        await withTaskGroup(of: Void.self) { group in
            for k in 0..<12 {
                group.addTask {
                    // Each writer opens the registry on its own, as separate processes would.
                    _ = try? ModelRegistry(path: path).register(Self.variant(base, "v\(k)"), source: "writer \(k)")
                }
            }
        }
        let index = try ModelRegistry(path: path).read()
        #expect(Set(index.versions.map(\.version)) == Set((0..<12).map { "v\($0)" }))
        #expect(Set(index.versions.map(\.number)) == Set(1...12))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test("an index that is not a registry's is refused with the file and the reason")
    func foreignIndex() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        try FileManager.default.createDirectory(atPath: dir.file("reg"), withIntermediateDirectories: true)
        dir.write("reg/registry.json", "{\"hello\": 1}")
        do {
            _ = try ModelRegistry(path: dir.file("reg")).read()
            Issue.record("read a foreign index")
        } catch {
            #expect(error.description.contains("registry.json") && error.description.contains("not a ChurnOps registry index"))
        }
    }
}
