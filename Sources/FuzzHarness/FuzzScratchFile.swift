#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// One file per process that the CSV target rewrites for every input: `CSVReader` reads paths, not memory.
/// It lives in /dev/shm when there is one, so a fuzzing run does not wear a disk.
enum FuzzScratchFile {
    static let path: String = {
        let dir = FileManager.default.isWritableFile(atPath: "/dev/shm") ? "/dev/shm" : FileManager.default.temporaryDirectory.path
        return dir + "/churn-fuzz-\(getpid()).csv"
    }()

    /// Replaces the file's content with `bytes`.
    static func write(_ bytes: [UInt8]) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        precondition(fd >= 0, "cannot write the fuzz scratch file \(path)")
        defer { close(fd) }
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                precondition(n > 0, "short write to \(path)")
                offset += n
            }
        }
    }

    static func remove() { unlink(path) }
}
