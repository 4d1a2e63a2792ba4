import ChurnBase
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

/// The directory the Batch panel's file browser is confined to.
///
/// Paths reach it relative to the root and are checked twice: lexically (no absolute paths, no `..`, no empty
/// or hidden components) and physically (the real path, symlinks resolved, must stay under the real root), so
/// neither a crafted name nor a symlink can steer the browser or the scorer outside.
public struct BatchRoot: Sendable {
    /// The root's real path.
    public let path: String

    /// Resolves `directory` (symlinks included); nil when it is not an existing directory.
    public init?(_ directory: String) {
        guard let real = BatchRoot.realPath(directory) else { return nil }
        var st = stat()
        guard stat(real, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { return nil }
        path = real
    }

    /// The real absolute path for `relative`, or nil if it is malformed or leads outside the root.
    public func resolve(_ relative: String) -> String? {
        if relative.isEmpty { return path }
        guard !relative.hasPrefix("/"), !relative.contains("\0") else { return nil }
        for component in relative.split(separator: "/", omittingEmptySubsequences: false) {
            if component.isEmpty || component == "." || component == ".." || component.hasPrefix(".") { return nil }
        }
        let joined = path == "/" ? "/" + relative : path + "/" + relative
        guard let real = BatchRoot.realPath(joined), contains(real) else { return nil }
        return real
    }

    /// Whether an absolute real path lies inside the root.
    public func contains(_ real: String) -> Bool {
        path == "/" || real == path || real.hasPrefix(path + "/")
    }

    /// Directories and CSV files in `relative`, directories first, each group by name; hidden entries and
    /// symlinks that point outside the root are left out.
    public func list(_ relative: String) -> DirectoryListing {
        guard let dir = resolve(relative) else {
            return DirectoryListing(directory: relative, entries: [], error: "\(relative) is outside the batch root or not allowed")
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: dir)
        } catch {
            return DirectoryListing(directory: relative, entries: [],
                                    error: "cannot read /\(relative): \(IOErrorText.describe(error, file: dir))")
        }
        var dirs: [DirectoryEntry] = [], files: [DirectoryEntry] = []
        for name in names where !name.hasPrefix(".") {
            let child = relative.isEmpty ? name : relative + "/" + name
            guard let real = resolve(child) else { continue }
            var st = stat()
            guard stat(real, &st) == 0 else { continue }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                dirs.append(DirectoryEntry(name: name, isDirectory: true))
            } else if (st.st_mode & S_IFMT) == S_IFREG && name.lowercased().hasSuffix(".csv") {
                files.append(DirectoryEntry(name: name, isDirectory: false, size: Int(st.st_size)))
            }
        }
        let byName: (DirectoryEntry, DirectoryEntry) -> Bool = { NaturalOrder.less($0.name, $1.name) }
        return DirectoryListing(directory: relative, entries: dirs.sorted(by: byName) + files.sorted(by: byName))
    }

    static func realPath(_ p: String) -> String? {
        guard let r = realpath(p, nil) else { return nil }
        defer { free(r) }
        return String(cString: r)
    }
}
