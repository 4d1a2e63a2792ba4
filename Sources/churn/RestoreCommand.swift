import ChurnBase
import ArgumentParser
import ChurnModel
import ChurnMonitor
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Put a backup made by `churn backup` back in place: the metrics store, the model registry or both.",
        discussion: """
        Everything is verified before anything is replaced: the store copy's checksum
        (manifest.json) and PRAGMA integrity_check, every registry artifact against its
        registered checksum. A store that a running server holds (its -lock file) is
        never overwritten: stop the server first. An existing store or registry is
        replaced only with --force. Says what it restored: the store's requests and
        logged predictions, the registry's versions and production version.

        Examples:
          churn restore /backups/churn-2026-12-05 --store /var/lib/churn/metrics.sqlite --registry /var/lib/churn/registry
          churn restore ./bk --store ./metrics.sqlite --force
        """
    )

    @Argument(help: "Backup directory (made by churn backup).")
    var source: String

    @Option(help: ArgumentHelp("Where to restore the metrics store.", valueName: "PATH"))
    var store: String?

    @Option(help: ArgumentHelp("Where to restore the model registry.", valueName: "DIR"))
    var registry: String?

    @Flag(help: "Replace an existing store or registry (never one a running server holds).")
    var force = false

    func validate() throws {
        guard store != nil || registry != nil else { throw ValidationError("give --store PATH, --registry DIR or both") }
    }

    func run() throws {
        let src = PathText.expandingTilde(source)
        let manifest = try BackupManifest.read(from: src)
        if let store {
            guard let expected = manifest.storeChecksum else { throw fail("the backup \(src) holds no metrics store") }
            try restoreStore(from: src + "/" + BackupManifest.storeFile, checksum: expected,
                             to: PathText.expandingTilde(store))
        }
        if let registry {
            guard manifest.registryVersions != nil else { throw fail("the backup \(src) holds no registry") }
            let reg = ModelRegistry(path: PathText.expandingTilde(registry))
            let index = try withRegistry { () throws(RegistryError) in
                try reg.restore(from: src + "/" + BackupManifest.registryDirectory, replace: force)
            }
            print("registry restored: \(reg.path) (\(index.versions.count) versions, checksums verified, production \(index.production ?? "none"))")
        }
    }

    private func restoreStore(from copy: String, checksum expected: String, to path: String) throws {
        let fm = FileManager.default
        let actual = try BackupManifest.checksum(ofFile: copy)
        guard actual == expected else {
            throw fail("the store copy \(copy) has checksum \(actual), but the manifest says \(expected): the backup is damaged")
        }
        let check: String
        do { check = try MetricsStore.integrityCheck(of: copy) } catch { throw fail("\(error)") }
        guard check == "ok" else { throw fail("the store copy \(copy) fails its integrity check: \(check)") }
        // The writer's lock, held until the copy is in place: no server can start on the store meanwhile, and
        // one that runs now makes this fail, naming its pid.
        let lock: StoreLock
        do {
            let dir = PathText.parent(path)
            if !dir.isEmpty && !fm.fileExists(atPath: dir) {
                try fm.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            lock = try StoreLock(storePath: path)
        } catch {
            throw fail("refusing to restore over \(path): \(IOErrorText.describe(error, file: path))")
        }
        if fm.fileExists(atPath: path) && !force {
            throw fail("a store already exists at \(path); pass --force to replace it (no server holds it now)")
        }
        let staging = AtomicFile.temporaryPath(for: path)
        do {
            try fm.copyItem(atPath: copy, toPath: staging)
            chmod(staging, 0o600)
            // The old store's WAL must not be replayed over the restored file.
            for suffix in ["-wal", "-shm"] where fm.fileExists(atPath: path + suffix) { try fm.removeItem(atPath: path + suffix) }
        } catch {
            try? fm.removeItem(atPath: staging)
            throw fail("cannot restore the store to \(path): \(IOErrorText.describe(error, file: path))")
        }
        guard rename(staging, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? fm.removeItem(atPath: staging)
            throw fail("cannot rename \(staging) to \(path): \(reason)")
        }
        withExtendedLifetime(lock) {}
        let reader = try? MetricsStore(readingAt: path)
        let snap = try? reader?.snapshot()
        let rows = (try? reader?.loggedPredictionCount()) ?? nil
        print("store restored: \(path) (integrity ok; \(snap.map { "\($0.totals.requests) requests, " } ?? "")\(rows.map { "\($0)" } ?? "?") logged predictions, model \(snap?.model?.version ?? "unknown"))")
    }
}
