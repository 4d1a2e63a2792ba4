import ChurnTestSupport
import Foundation
import Testing

/// Paths as users type them to the registry commands: `~` is the home directory ($HOME), a trailing slash after it
/// does not matter, a version added from a file names the file alone, and registration times print in UTC.
@Suite("churn model: registry paths and times")
struct RegistryPathsCLITests {
    func churn(home: String, _ args: [String]) throws -> (status: Int32, out: String, err: String) {
        let r = try run("/usr/bin/env", ["HOME=\(home)", ChurnBinary.path] + args)
        return (r.status, String(decoding: r.stdout, as: UTF8.self), String(decoding: r.stderr, as: UTF8.self))
    }

    @Test("~ expands to HOME, the source is the file's name, list and show print the registration time in UTC")
    func tildeAndNames() throws {
        let home = TempDir()
        defer { home.cleanup() }
        try FileManager.default.createDirectory(atPath: home.file("models"), withIntermediateDirectories: true)
        let model = home.file("models/churn-model.json")
        try FileManager.default.copyItem(atPath: ChurnBinary.packageRoot + "/Tests/ChurnDashboardTests/Fixtures/model.json", toPath: model)

        let added = try churn(home: home.path, ["model", "add", model, "--registry", "~/reg/"])
        #expect(added.status == 0, "\(added.err)")
        #expect(FileManager.default.fileExists(atPath: home.file("reg")), "the registry is under HOME")
        #expect(!FileManager.default.fileExists(atPath: "~"), "no directory named ~ in the working directory")

        let before = Date()
        let list = try churn(home: home.path, ["model", "list", "--registry", "~/reg", "--history"])
        #expect(list.status == 0, "\(list.err)")
        #expect(list.out.contains("file churn-model.json"), "\(list.out)")
        // The registration happened within this test: its UTC minute (or the one before, at a minute's turn).
        let utc = DateFormatter()
        utc.dateFormat = "yyyy-MM-dd HH:mm"
        utc.timeZone = TimeZone(identifier: "UTC")
        let minutes = [before, before.addingTimeInterval(-60)].map { utc.string(from: $0) }
        #expect(minutes.contains { list.out.contains($0) }, "\(minutes) in\n\(list.out)")

        let version = try #require(list.out.split(separator: "\n").dropFirst(2).first?.split(separator: " ").dropFirst().first)
        let shown = try churn(home: home.path, ["model", "show", String(version), "--registry", "~/reg"])
        #expect(shown.status == 0, "\(shown.err)")
        let iso = try #require(shown.out.firstMatch(of: /registered (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ) from file churn-model.json/),
                               "\(shown.out)")
        let registered = try #require(ISO8601DateFormatter().date(from: String(iso.1)))
        #expect(minutes.contains(utc.string(from: registered)))
    }

    @Test("a backup directory that cannot be made says why in words, with the path")
    func backupDirectoryError() throws {
        let home = TempDir()
        defer { home.cleanup() }
        home.write("plain-file", "x")
        let r = try churn(home: home.path, ["backup", "~/plain-file/backup", "--registry", "~/reg"])
        #expect(r.status != 0)
        #expect(r.err.contains("cannot create \(home.path)/plain-file/backup: Not a directory"), "\(r.err)")
        #expect(!r.err.contains("CocoaError") && !r.err.contains("NSCocoaErrorDomain"), "\(r.err)")
    }
}
