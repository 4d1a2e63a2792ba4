#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written under a temporary name and renamed into place only by `commit()`: an interrupted run
/// never leaves a partial file at `path`. `abort()` (or dropping it uncommitted) removes the temporary file.
public final class OutputFile {
    public let path: String
    public let temporaryPath: String
    private var fd: Int32
    private var committed = false

    /// Standard output, written directly (no temporary file, nothing to commit).
    public static func standardOutput() -> OutputFile { OutputFile(stdout: ()) }

    private init(stdout: ()) {
        path = "-"
        temporaryPath = "-"
        fd = 1
    }

    public init(path: String) throws(POSIXFailure) {
        self.path = path
        OutputFile.removeStaleTemporaries(of: path)
        temporaryPath = AtomicFile.temporaryPath(for: path)
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 { throw POSIXFailure(operation: "create", path: temporaryPath, code: errno) }
    }

    deinit {
        if !committed { abort() }
    }

    public var isStandardOutput: Bool { path == "-" }

    public func write(_ bytes: [UInt8]) throws(POSIXFailure) {
        try bytes.withUnsafeBufferPointer { (buf) throws(POSIXFailure) in try write(buf) }
    }

    public func write(_ buf: UnsafeBufferPointer<UInt8>) throws(POSIXFailure) {
        var offset = 0
        while offset < buf.count {
            let n = Glibc.write(fd, buf.baseAddress! + offset, buf.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw POSIXFailure(operation: "write", path: isStandardOutput ? "standard output" : temporaryPath, code: errno)
            }
            offset += n
        }
    }

    /// Flushes to disk and renames the temporary file to `path`.
    public func commit() throws(POSIXFailure) {
        guard !committed else { return }
        committed = true
        if isStandardOutput { return }
        if fsync(fd) != 0 { let code = errno; abort(); throw POSIXFailure(operation: "flush", path: temporaryPath, code: code) }
        close(fd)
        fd = -1
        if rename(temporaryPath, path) != 0 {
            let code = errno
            unlink(temporaryPath)
            throw POSIXFailure(operation: "rename into", path: path, code: code)
        }
    }

    /// Drops the temporary file; `path` is left as it was.
    public func abort() {
        committed = true
        if isStandardOutput { return }
        if fd >= 0 { close(fd); fd = -1 }
        unlink(temporaryPath)
    }

    /// Where a directory entry's name starts.
    private static let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!

    /// Removes temporary files of `path` left by processes that no longer exist (e.g. after kill -9).
    static func removeStaleTemporaries(of path: String) {
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { String(path[..<$0]) } ?? "."
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let prefix = "." + base + ".tmp-"
        guard let d = opendir(dir.isEmpty ? "/" : dir) else { return }
        defer { closedir(d) }
        while let entry = readdir(d) {
            // The name is read in place: an entry is only as long as its name, so copying the declared 256-byte
            // `d_name` out of the last entry of the kernel's buffer could read past its page (a crash seen in a
            // directory of thousands of files).
            let name = String(cString: UnsafeRawPointer(entry).advanced(by: OutputFile.nameOffset).assumingMemoryBound(to: CChar.self))
            guard name.hasPrefix(prefix) else { continue }
            let rest = name.dropFirst(prefix.count)
            guard let dash = rest.firstIndex(of: "-"), let pid = Int32(rest[..<dash]) else { continue }
            if pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH {
                unlink((dir.isEmpty ? "" : dir + "/") + name)
            }
        }
    }
}
