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

/// A model registry in a directory: every registered version's artifact, its metrics and stage, which version
/// is in production, and the history of promotions. The format is described in docs/model-lifecycle.md.
///
/// ```
/// REGISTRY/
///   registry.json               the index (RegistryIndex), replaced by temporary file + rename
///   .lock                       flock(2) lock taken by writers
///   versions/<version>/model.json
/// ```
///
/// Writers take the lock, read the index, change it and rename a new one into place; an artifact is written
/// (and fsynced) before the index that names it, so the index never points at a missing file. Readers, such as
/// `churn serve --registry` polling for a new production version, just read the index.
public final class ModelRegistry: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// $XDG_STATE_HOME/churn/registry (or ~/.local/state/churn/registry).
    public static var defaultPath: String {
        let env = ProcessInfo.processInfo.environment
        let base = env["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((env["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path) + "/.local/state")
        return base + "/churn/registry"
    }

    public var indexPath: String { path + "/registry.json" }

    /// Who is changing the registry, for its history: `user@host`.
    public static var actor: String {
        let env = ProcessInfo.processInfo.environment
        return (env["USER"] ?? env["LOGNAME"] ?? ProcessInfo.processInfo.userName) + "@" + ProcessInfo.processInfo.hostName
    }

    // MARK: Reading

    /// The current index; an empty one when the registry does not exist yet.
    public func read() throws(RegistryError) -> RegistryIndex {
        guard let data = FileManager.default.contents(atPath: indexPath) else {
            if FileManager.default.fileExists(atPath: indexPath) {
                throw .unreadable(path: indexPath, reason: "cannot read the file (check its permissions)")
            }
            return RegistryIndex()
        }
        return try ModelRegistry.decodeIndex(data, path: indexPath)
    }

    static func decodeIndex(_ data: Data, path: String) throws(RegistryError) -> RegistryIndex {
        guard let envelope = FormatEnvelope.read(data) else {
            throw .unreadable(path: path, reason: "not a JSON object")
        }
        guard envelope.format == RegistryIndex.formatName else {
            throw .unreadable(path: path, reason: "not a ChurnOps registry index (no \"format\": \"\(RegistryIndex.formatName)\")")
        }
        if let v = envelope.formatVersion, v > RegistryIndex.currentFormatVersion {
            throw .unreadable(path: path, reason: "format version \(v) is newer than this build reads; upgrade churn")
        }
        do {
            return try ModelRegistry.decoder.decode(RegistryIndex.self, from: data)
        } catch {
            throw .unreadable(path: path, reason: ModelLoadError.describe(error))
        }
    }

    /// The artifact file of a registered version.
    public func artifactPath(_ entry: RegistryEntry) -> String {
        path + "/versions/" + entry.directory + "/model.json"
    }

    /// Loads and checks a registered version's artifact: the file must still have the checksum it was registered
    /// with, load and validate, and carry the version id the index says.
    public func loadArtifact(_ entry: RegistryEntry) throws(RegistryError) -> ModelArtifact {
        let file = artifactPath(entry)
        guard let data = FileManager.default.contents(atPath: file) else {
            throw .corruptArtifact(version: entry.version, path: file, reason: "the file is missing or unreadable")
        }
        let sum = ModelRegistry.checksum(data)
        guard sum == entry.checksum else {
            throw .corruptArtifact(version: entry.version, path: file,
                                   reason: "its checksum is \(sum) but \(entry.checksum) was registered: the file changed after registration")
        }
        let artifact: ModelArtifact
        do {
            artifact = try ModelArtifact.decode(data, file: file)
        } catch {
            throw .corruptArtifact(version: entry.version, path: file, reason: error.reason)
        }
        guard artifact.version == entry.version else {
            throw .corruptArtifact(version: entry.version, path: file, reason: "it holds version \(artifact.version)")
        }
        return artifact
    }

    // MARK: Changing

    /// Adds an artifact as a new candidate version (or returns the existing entry when the same artifact is
    /// already registered).
    @discardableResult
    public func register(_ artifact: ModelArtifact, source: String, mlflowRun: String? = nil,
                         actor: String = ModelRegistry.actor, now: Date = Date()) throws(RegistryError) -> RegistryEntry {
        let data: Data
        do { data = try artifact.jsonData() } catch { throw .io("cannot encode model \(artifact.version): \(error)") }
        let sum = ModelRegistry.checksum(data)
        return try mutate { (index: inout RegistryIndex) throws(RegistryError) -> RegistryEntry in
            if let existing = index.entry(version: artifact.version) {
                guard existing.checksum == sum else { throw .conflictingArtifact(version: artifact.version) }
                return existing
            }
            let directory = ModelRegistry.directoryName(artifact.version, taken: Set(index.versions.map(\.directory)))
            let folder = path + "/versions/" + directory
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                try AtomicFile.write(data, to: folder + "/model.json")
            } catch {
                throw .io("cannot write the artifact into \(folder): \(error)")
            }
            // Whole seconds: the index stores ISO 8601 dates, and what is returned should equal what is read back.
            func whole(_ d: Date) -> Date { Date(timeIntervalSince1970: d.timeIntervalSince1970.rounded(.down)) }
            let entry = RegistryEntry(number: (index.versions.map(\.number).max() ?? 0) + 1, version: artifact.version,
                                      stage: .candidate, learner: artifact.learner, createdAt: whole(artifact.createdAt),
                                      registeredAt: whole(now), source: source, metrics: artifact.metrics, directory: directory,
                                      checksum: sum, mlflowRun: mlflowRun)
            index.versions.append(entry)
            index.history.append(StageChange(at: now, action: .register, version: entry.version, previous: index.production, actor: actor))
            return entry
        }
    }

    /// Makes a version production; the previous production version becomes archived. With `verify` (the
    /// default) the artifact must load and validate, and its schema must be one the production model's clients
    /// can use, so a broken or incompatible model is refused here rather than by every server that follows.
    @discardableResult
    public func promote(_ reference: String, verify: Bool = true, actor: String = ModelRegistry.actor,
                        now: Date = Date()) throws(RegistryError) -> (promoted: RegistryEntry, previous: String?) {
        try mutate { (index: inout RegistryIndex) throws(RegistryError) -> (promoted: RegistryEntry, previous: String?) in
            let entry = try index.resolve(reference)
            if index.production == entry.version { throw .alreadyProduction(version: entry.version) }
            if verify {
                let artifact = try loadArtifact(entry)
                if let current = index.productionEntry, let served = try? loadArtifact(current),
                   let problem = artifact.schema.compatibilityProblem(replacing: served.schema) {
                    throw .incompatible(version: entry.version, production: current.version, reason: problem)
                }
            }
            let previous = index.production
            setStage(&index, production: entry.version)
            index.productionHistory.append(entry.version)
            index.history.append(StageChange(at: now, action: .promote, version: entry.version, previous: previous, actor: actor))
            return (index.entry(version: entry.version)!, previous)
        }
    }

    /// Puts back the version that was production before the current one; the current one becomes archived.
    @discardableResult
    public func rollback(actor: String = ModelRegistry.actor, now: Date = Date()) throws(RegistryError)
        -> (restored: RegistryEntry, retired: String) {
        try mutate { (index: inout RegistryIndex) throws(RegistryError) -> (restored: RegistryEntry, retired: String) in
            guard let current = index.production else { throw .nothingToRollBack(production: nil) }
            var stack = index.productionHistory
            if stack.last == current { stack.removeLast() }
            // Skip versions that have since disappeared from the index (edited by hand).
            while let last = stack.last, index.entry(version: last) == nil { stack.removeLast() }
            guard let target = stack.last else { throw .nothingToRollBack(production: current) }
            setStage(&index, production: target)
            index.productionHistory = stack
            index.history.append(StageChange(at: now, action: .rollback, version: target, previous: current, actor: actor))
            return (index.entry(version: target)!, current)
        }
    }

    private func setStage(_ index: inout RegistryIndex, production version: String) {
        for i in index.versions.indices {
            if index.versions[i].version == version {
                index.versions[i].stage = .production
            } else if index.versions[i].stage == .production {
                index.versions[i].stage = .archived
            }
        }
        index.production = version
    }

    /// Runs `change` on the current index under the registry lock and writes the result atomically.
    private func mutate<T>(_ change: (inout RegistryIndex) throws(RegistryError) -> T) throws(RegistryError) -> T {
        do {
            try FileManager.default.createDirectory(atPath: path + "/versions", withIntermediateDirectories: true)
        } catch {
            throw .io("cannot create the registry at \(path): \(IOErrorText.describe(error))")
        }
        let lock = try RegistryLock(directory: path)
        defer { lock.release() }
        var index = try read()
        let result = try change(&index)
        if index.history.count > 1000 { index.history.removeFirst(index.history.count - 1000) }
        do {
            try AtomicFile.write(try ModelRegistry.encoder.encode(index), to: indexPath)
        } catch {
            throw .io("cannot write the registry index \(indexPath): \(error)")
        }
        return result
    }

    // MARK: Helpers

    /// "fnv1a64:<16 hex>" of `data`.
    public static func checksum(_ data: Data) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        data.withUnsafeBytes { raw in
            for b in raw { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        }
        let hex = String(h, radix: 16)
        return "fnv1a64:" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// A folder name for a version id: letters, digits, `.`, `_` and `-` kept, anything else `_`; made unique.
    static func directoryName(_ version: String, taken: Set<String>) -> String {
        var name = String(version.unicodeScalars.map { s -> Character in
            (s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "." || s == "_" || s == "-")) ? Character(s) : "_"
        })
        if name.isEmpty || name.hasPrefix(".") { name = "v" + name }
        var candidate = name
        var k = 2
        while taken.contains(candidate) {
            candidate = "\(name)-\(k)"
            k += 1
        }
        return candidate
    }

    /// The same JSON conventions as model artifacts.
    static var decoder: JSONDecoder { ModelArtifact.decoder }
    static var encoder: JSONEncoder { ModelArtifact.encoder }
}
