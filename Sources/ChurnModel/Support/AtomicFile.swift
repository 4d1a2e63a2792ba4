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

/// Writes files so readers see either the old content or the complete new one, never a partial file.
public enum AtomicFile {
    /// A temporary path next to `path` (same directory, so the final rename stays on one file system).
    public static func temporaryPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        return dir + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Writes `data` to a temporary file, flushes it to disk, and renames it over `path`.
    public static func write(_ data: Data, to path: String) throws {
        let tmp = temporaryPath(for: path)
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXFailure(operation: "create", path: tmp, code: errno) }
        var ok = true
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; ok = false; break }
                offset += n
            }
        }
        let code = errno
        if ok && fsync(fd) != 0 { ok = false }
        close(fd)
        guard ok else {
            unlink(tmp)
            throw POSIXFailure(operation: "write", path: tmp, code: code)
        }
        guard rename(tmp, path) == 0 else {
            let code = errno
            unlink(tmp)
            throw POSIXFailure(operation: "rename into", path: path, code: code)
        }
    }
}

/// A failed system call on a file, with the path and the system's reason.
public struct POSIXFailure: Error, CustomStringConvertible, Sendable {
    public var operation: String
    public var path: String
    public var code: Int32

    public init(operation: String, path: String, code: Int32) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    public var description: String { "cannot \(operation) \(path): \(String(cString: strerror(code)))" }
}
