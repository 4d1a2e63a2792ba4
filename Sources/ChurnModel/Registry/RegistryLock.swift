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

/// An exclusive advisory lock on `<registry>/.lock` (flock(2)), held while one process reads, changes and
/// rewrites the index, so two `churn model promote` or `churn train --register` runs cannot lose each other's
/// change. Readers do not lock: the index is replaced by rename, so they see a whole old or whole new file.
struct RegistryLock {
    private let fd: Int32

    /// Blocks until the lock is held (at most `timeout` seconds, then fails naming the lock file).
    init(directory: String, timeout: Double = 10) throws(RegistryError) {
        let path = directory + "/.lock"
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw .io("cannot open the registry lock \(path): \(String(cString: strerror(errno)))")
        }
        let deadline = Date().addingTimeInterval(timeout)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            guard code == EWOULDBLOCK || code == EINTR else {
                close(fd)
                throw .io("cannot lock \(path): \(String(cString: strerror(code)))")
            }
            guard Date() < deadline else {
                close(fd)
                throw .io("another churn process has held the registry lock \(path) for over \(Int(timeout)) s; try again")
            }
            usleep(5_000)
        }
    }

    func release() {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
