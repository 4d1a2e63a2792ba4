import ChurnBase
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The writer's claim on a metrics store: an exclusive flock(2) on `<store>-lock`, held for the writer's lifetime,
/// holding the writer's process id. A second `churn serve` (or `churn restore`) on the same store is refused
/// instead of interleaving its flushes with the first one's. Readers (`churn dashboard --store`, `churn backup`)
/// take no lock. The lock is a file of its own: closing any descriptor of the database file itself would drop
/// the POSIX locks SQLite holds on it.
public final class StoreLock: Sendable {
    public let path: String
    private let fd: Int32

    /// The lock file of the store at `storePath`.
    public static func path(for storePath: String) -> String { storePath + "-lock" }

    /// Takes the lock at once or fails naming the process that holds it.
    public init(storePath: String) throws {
        let lockPath = StoreLock.path(for: storePath)
        // Nothing is stored until the lock is held: a throw leaves no half-made object whose deinit would close
        // the descriptor a second time.
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw StoreError(path: storePath, reason: "cannot open its lock file \(lockPath): \(String(cString: strerror(errno)))")
        }
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            let holder = StoreLock.holder(fd: descriptor)
            close(descriptor)
            guard code == EWOULDBLOCK else {
                throw StoreError(path: storePath, reason: "cannot lock \(lockPath): \(String(cString: strerror(code)))")
            }
            throw StoreError(path: storePath, reason: """
                another process\(holder.map { " (pid \($0))" } ?? "") holds this store for writing (lock \(lockPath)); \
                stop it first, or give this one its own --store (readers: churn dashboard --store, churn backup)
                """)
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(descriptor, 0)
        _ = pid.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        path = lockPath
        fd = descriptor
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }

    /// Whether some process holds the lock of the store at `storePath` now (and its pid when it wrote one).
    public static func heldBy(storePath: String) -> (held: Bool, pid: Int32?) {
        let fd = open(path(for: storePath), O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return (false, nil) }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return (false, nil)
        }
        return (true, holder(fd: fd))
    }

    private static func holder(fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = pread(fd, &buffer, buffer.count, 0)
        guard n > 0 else { return nil }
        return Int32(String(decoding: buffer[0..<n], as: UTF8.self).trimmingWhitespace())
    }
}
