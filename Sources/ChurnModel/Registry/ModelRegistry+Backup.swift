import ChurnBase
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Backup and restore of a whole registry: the index and every artifact it names, each artifact checked against
/// the checksum it was registered with on the way out and on the way back in.
extension ModelRegistry {
    /// Copies the registry into `destination` (a new directory): every artifact first, the index last. No lock is
    /// needed (so a read-only mount can be backed up): the index is read once, and is replaced by rename only
    /// after the artifacts it names are on disk, which never change once registered. Returns the copied index.
    @discardableResult
    public func backup(to destination: String) throws(RegistryError) -> RegistryIndex {
        guard FileManager.default.fileExists(atPath: indexPath) else {
            throw .io("no registry at \(path) (no registry.json); give the --registry the server follows")
        }
        let index = try read()
        for entry in index.versions {
            let data = try verifiedArtifact(entry, in: path)
            try ModelRegistry.writeFile(data, to: destination + "/versions/" + entry.directory + "/model.json")
        }
        try ModelRegistry.writeFile(try ModelRegistry.encode(index), to: destination + "/registry.json")
        return index
    }

    /// Checks a registry copy at `source` (its index and every artifact's checksum) and puts it in place at `path`,
    /// replacing an existing registry only with `replace`. The copy is assembled next to `path` and renamed in, so
    /// a server following the registry sees the old registry or the restored one. Returns the restored index.
    @discardableResult
    public func restore(from source: String, replace: Bool) throws(RegistryError) -> RegistryIndex {
        guard let data = FileManager.default.contents(atPath: source + "/registry.json") else {
            throw .io("no registry.json in the backup \(source)")
        }
        let index = try ModelRegistry.decodeIndex(data, path: source + "/registry.json")
        let exists = FileManager.default.fileExists(atPath: indexPath)
        if exists && !replace {
            throw .io("a registry already exists at \(path); restore into an empty location or pass --force to replace it")
        }
        // Every artifact is checked before anything is written.
        var artifacts: [(RegistryEntry, Data)] = []
        for entry in index.versions { artifacts.append((entry, try verifiedArtifact(entry, in: source))) }
        let staging = path + ".restoring-\(getpid())"
        try? FileManager.default.removeItem(atPath: staging)
        do throws(RegistryError) {
            for (entry, artifact) in artifacts {
                try ModelRegistry.writeFile(artifact, to: staging + "/versions/" + entry.directory + "/model.json")
            }
            try ModelRegistry.writeFile(data, to: staging + "/registry.json")
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
        let parent = PathText.parent(path)
        do {
            if !parent.isEmpty { try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true) }
            if FileManager.default.fileExists(atPath: path) {
                let old = path + ".replaced-\(getpid())"
                try FileManager.default.moveItem(atPath: path, toPath: old)
                try FileManager.default.moveItem(atPath: staging, toPath: path)
                try FileManager.default.removeItem(atPath: old)
            } else {
                try FileManager.default.moveItem(atPath: staging, toPath: path)
            }
        } catch {
            throw .io("cannot put the restored registry in place at \(path): \(IOErrorText.describe(error))")
        }
        return index
    }

    /// The artifact bytes of `entry` under the registry at `root`, refused unless they match its checksum.
    private func verifiedArtifact(_ entry: RegistryEntry, in root: String) throws(RegistryError) -> Data {
        let file = root + "/versions/" + entry.directory + "/model.json"
        guard let data = FileManager.default.contents(atPath: file) else {
            throw .corruptArtifact(version: entry.version, path: file, reason: "the file is missing or unreadable")
        }
        let sum = ModelRegistry.checksum(data)
        guard sum == entry.checksum else {
            throw .corruptArtifact(version: entry.version, path: file, reason: "its checksum is \(sum) but the index says \(entry.checksum)")
        }
        return data
    }

    private static func encode(_ index: RegistryIndex) throws(RegistryError) -> Data {
        do { return try encoder.encode(index) } catch { throw .io("cannot encode the registry index: \(error)") }
    }

    private static func writeFile(_ data: Data, to file: String) throws(RegistryError) {
        do {
            try FileManager.default.createDirectory(atPath: PathText.parent(file), withIntermediateDirectories: true)
            try AtomicFile.write(data, to: file)
        } catch {
            throw .io("cannot write \(file): \(error)")
        }
    }
}
