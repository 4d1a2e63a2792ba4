@testable import ChurnDashboard
@testable import ChurnModel
import Foundation
import Testing

/// The Batch panel's file browser is confined to its root: no name, path or symlink leads outside.
@Suite("Batch root confinement and planning")
struct BatchRootTests {
    let base: String

    init() throws {
        base = NSTemporaryDirectory() + "churn-batchroot-\(UUID().uuidString)"
        let fm = FileManager.default
        try fm.createDirectory(atPath: base + "/root/sub", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: base + "/outside", withIntermediateDirectories: true)
        try "a,b\n1,2\n".write(toFile: base + "/outside/secret.csv", atomically: true, encoding: .utf8)
        try "a,b\n1,2\n".write(toFile: base + "/root/sub/data.csv", atomically: true, encoding: .utf8)
        try "a,b\n".write(toFile: base + "/root/.hidden.csv", atomically: true, encoding: .utf8)
        try "x".write(toFile: base + "/root/notes.txt", atomically: true, encoding: .utf8)
        try fm.createSymbolicLink(atPath: base + "/root/link-out", withDestinationPath: base + "/outside")
        try fm.createSymbolicLink(atPath: base + "/root/secret.csv", withDestinationPath: base + "/outside/secret.csv")
        try fm.createSymbolicLink(atPath: base + "/root/link-in", withDestinationPath: base + "/root/sub")
    }

    @Test("crafted relative paths are refused", arguments: [
        "..", "../outside", "sub/../../outside", "/etc", "./sub", "sub//data.csv", ".hidden.csv", "link-out",
        "link-out/secret.csv", "secret.csv", "sub/\u{0}x",
    ])
    func refused(_ path: String) throws {
        let root = try #require(BatchRoot(base + "/root"))
        #expect(root.resolve(path) == nil, "\(path) must not resolve")
    }

    @Test("paths inside the root resolve, through symlinks that stay inside")
    func allowed() throws {
        let root = try #require(BatchRoot(base + "/root"))
        #expect(root.resolve("") == root.path)
        #expect(root.resolve("sub/data.csv")?.hasSuffix("/root/sub/data.csv") == true)
        #expect(root.resolve("link-in/data.csv")?.hasSuffix("/root/sub/data.csv") == true)
    }

    @Test("listings show directories then CSV files; hidden files, other files and escaping links are left out")
    func listing() throws {
        let root = try #require(BatchRoot(base + "/root"))
        let l = root.list("")
        #expect(l.error == nil)
        #expect(l.entries.map(\.name) == ["link-in", "sub"])
        #expect(root.list("sub").entries.map(\.name) == ["data.csv"])
        #expect(root.list("../outside").error != nil)
        #expect(root.list("sub").entries.first?.size == 8)
    }

    @Test("the planner refuses files outside the root and files without the model's columns")
    func planner() throws {
        let root = try #require(BatchRoot(base + "/root"))
        let model = try ModelArtifact.decode(Data(contentsOf: URL(fileURLWithPath: Self.fixtureModel())))
        let planner = BatchPlanner(root: root, model: model)
        guard case .failure(let outside) = planner.check("../outside/secret.csv").result else { Issue.record("accepted"); return }
        #expect(outside.message.contains("outside"))
        guard case .failure(let header) = planner.check("sub/data.csv").result else { Issue.record("accepted"); return }
        #expect(header.message.contains("header lacks"))
        try FileManager.default.copyItem(atPath: Self.fixture("customers.csv"), toPath: base + "/root/sub/customers.csv")
        guard case .success(let plan) = planner.check("sub/customers.csv").result else { Issue.record("refused"); return }
        #expect(plan.columns == 21)
        #expect(plan.outputPath.hasSuffix("/root/sub/customers.scored.csv"))
        #expect(plan.sizeBytes ?? 0 > 0)
    }

    @Test("output paths never overwrite an existing file")
    func freeOutput() throws {
        let input = base + "/root/sub/data.csv"
        let first = BatchPlanner.freeOutputPaths(for: input)
        #expect(first.0.hasSuffix("data.scored.csv") && first.1.hasSuffix("data.rejects.csv"))
        try "old".write(toFile: first.0, atomically: true, encoding: .utf8)
        let second = BatchPlanner.freeOutputPaths(for: input)
        #expect(second.0.hasSuffix("data.scored-2.csv") && second.1.hasSuffix("data.rejects-2.csv"))
    }

    /// A logistic model trained with `churn train` on 2,000 Telco-schema rows.
    static func fixtureModel() -> String { fixture("model.json") }

    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/" + name).path
    }
}
