import ChurnBase
import ArgumentParser
import ChurnModel
import ChurnMonitor
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the metrics store and the model registry into a new backup directory, while serve runs.",
        discussion: """
        The store is copied with SQLite's VACUUM INTO through a read-only connection:
        a consistent snapshot as of one transaction, taken while `churn serve` keeps
        writing, and compacted. The registry (index and every artifact) is copied under
        its lock, each artifact checked against its registered checksum. DEST gets
        metrics.sqlite, registry/ and manifest.json (checksums for `churn restore`),
        all owner-only. See docs/deployment.md (backup, restore, disaster recovery).

        Examples:
          churn backup /backups/churn-$(date +%F) --store /var/lib/churn/metrics.sqlite --registry /var/lib/churn/registry
          churn backup ./bk --store ~/.local/state/churn/metrics.sqlite
        """
    )

    @Argument(help: "Backup directory to create (must not exist, or be empty).")
    var destination: String

    @Option(help: ArgumentHelp("Metrics store to back up.", valueName: "PATH"))
    var store: String?

    @Option(help: ArgumentHelp("Model registry directory to back up.", valueName: "DIR"))
    var registry: String?

    func validate() throws {
        guard store != nil || registry != nil else { throw ValidationError("give --store PATH, --registry DIR or both") }
    }

    func run() throws {
        let dest = PathText.expandingTilde(destination)
        let fm = FileManager.default
        if fm.fileExists(atPath: dest), (try? fm.contentsOfDirectory(atPath: dest))?.isEmpty != true {
            throw fail("\(dest) exists and is not an empty directory; back up into a new directory")
        }
        do {
            try fm.createDirectory(atPath: dest, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw fail("cannot create \(dest): \(IOErrorText.describe(error, file: dest))")
        }
        var manifest = BackupManifest(createdAt: Date())
        if let store {
            let source = PathText.expandingTilde(store)
            let copy = dest + "/" + BackupManifest.storeFile
            let check: String
            do { check = try MetricsStore.backup(from: source, to: copy) } catch { throw fail("\(error)") }
            guard check == "ok" else { throw fail("the store copy \(copy) fails its integrity check: \(check)") }
            manifest.storeChecksum = try BackupManifest.checksum(ofFile: copy)
            manifest.storeBytes = (try? fm.attributesOfItem(atPath: copy)[.size] as? Int) ?? nil
            let reader = try? MetricsStore(readingAt: copy)
            let rows = (try? reader?.loggedPredictionCount()) ?? nil
            print("store: \(source) -> \(copy) (\(manifest.storeBytes ?? 0) bytes, \(rows.map { "\($0)" } ?? "?") logged predictions, integrity ok)")
        }
        if let registry {
            let reg = ModelRegistry(path: PathText.expandingTilde(registry))
            let index = try withRegistry { () throws(RegistryError) in
                try reg.backup(to: dest + "/" + BackupManifest.registryDirectory)
            }
            manifest.registryVersions = index.versions.count
            manifest.registryProduction = index.production
            print("registry: \(reg.path) -> \(dest)/\(BackupManifest.registryDirectory) (\(index.versions.count) versions, checksums verified, production \(index.production ?? "none"))")
        }
        try manifest.write(to: dest)
        print("backup complete: \(dest)")
    }
}
