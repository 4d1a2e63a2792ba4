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
        try fm.createSymbolicLink(atPath: base + "/root/link-root", withDestinationPath: "/")
        try fm.createSymbolicLink(atPath: base + "/root/link-relative", withDestinationPath: "../outside/secret.csv")
        try fm.createSymbolicLink(atPath: base + "/root/loop-a", withDestinationPath: base + "/root/loop-b")
        try fm.createSymbolicLink(atPath: base + "/root/loop-b", withDestinationPath: base + "/root/loop-a")
        try fm.createSymbolicLink(atPath: base + "/root/sub/up.csv", withDestinationPath: "../../outside/secret.csv")
        try fm.createDirectory(atPath: base + "/root/.git", withIntermediateDirectories: true)
        try "a,b\n".write(toFile: base + "/root/.git/x.csv", atomically: true, encoding: .utf8)
        try fm.createDirectory(atPath: base + "/root/odd", withIntermediateDirectories: true)
        for name in Self.controlNames { try "a,b\n".write(toFile: base + "/root/odd/" + name, atomically: true, encoding: .utf8) }
    }

    /// File names that would steer a terminal if printed raw: a screen clear, a window-title change, a newline.
    static let controlNames = ["clear\u{1b}[2J.csv", "title\u{1b}]0;pwned\u{7}.csv", "two\nlines.csv", "bell\u{7}\u{8}\u{8}.csv"]

    @Test("crafted relative paths are refused", arguments: [
        "..", "../outside", "sub/../../outside", "/etc", "./sub", "sub//data.csv", ".hidden.csv", "link-out",
        "link-out/secret.csv", "secret.csv", "sub/\u{0}x",
        // More crafted names: trailing slash, links to / and out by a relative target, link loops, a link in a
        // subdirectory that climbs out, hidden directories, encoded or look-alike dots, backslashes, a path
        // longer than PATH_MAX, and a control character.
        "sub/", "link-root", "link-root/etc/passwd", "link-relative", "loop-a", "loop-a/x.csv", "sub/up.csv",
        ".git/x.csv", "sub/.", "sub/..", "%2e%2e/outside", "..%2foutside", "..\\outside", "\u{2024}\u{2024}/outside",
        "\u{FF0E}\u{FF0E}/outside", String(repeating: "sub/", count: 2000) + "data.csv", "sub/\u{1b}[2J", "~", "~/.ssh",
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
        #expect(l.entries.map(\.name) == ["link-in", "odd", "sub"])
        #expect(root.list("sub").entries.map(\.name) == ["data.csv"])
        #expect(root.list("../outside").error != nil)
        #expect(root.list("sub").entries.first?.size == 8)
    }

    @Test("files are listed as a file manager lists them: case ignored, numbers by their value")
    func naturalOrder() throws {
        let root = try #require(BatchRoot(base + "/root"))
        try FileManager.default.createDirectory(atPath: base + "/root/days", withIntermediateDirectories: true)
        let names = ["day10.csv", "Day2.csv", "day1.csv", "b.csv", "day02b.csv", "A.csv", "day100.csv"]
        for name in names { try "a,b\n".write(toFile: base + "/root/days/" + name, atomically: true, encoding: .utf8) }
        #expect(root.list("days").entries.map(\.name) == ["A.csv", "b.csv", "day1.csv", "Day2.csv", "day02b.csv", "day10.csv", "day100.csv"])
    }

    @Test("a listing that fails says why in words, not as an error dump")
    func listingFailureInWords() throws {
        let root = try #require(BatchRoot(base + "/root"))
        let l = root.list("sub/data.csv")
        #expect(l.error == "cannot read /sub/data.csv: Not a directory")
    }

    @Test("names with control characters inside the root are listed, and sanitised before they reach the screen")
    func controlCharacterNames() throws {
        let root = try #require(BatchRoot(base + "/root"))
        #expect(!root.list("sub").entries.map(\.name).contains("up.csv"), "a link in a subdirectory that climbs out is left out")
        let listed = root.list("odd").entries.map(\.name)
        #expect(listed.sorted() == Self.controlNames.sorted())
        for name in listed {
            let shown = DisplayText.scalars(name, ascii: false)
            #expect(!shown.contains { $0.value < 0x20 || $0.value == 0x7F }, "\(name.debugDescription) reaches the screen raw")
        }
        var s = Fixtures.state(panel: .batch)
        s = DashboardUpdate.update(s, .directoryListed(root.list("odd"))).state
        let text = Fixtures.render(s).text
        #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x08 })
        #expect(text.contains("clear?[2J.csv"))
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
