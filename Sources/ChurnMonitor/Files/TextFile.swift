#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A small text file read whole with open(2)/read(2): credentials files and /proc entries (whose size reads as 0,
/// so the file is read until the end, not up to its stated size). A failure says in words what went wrong
/// ("No such file or directory", "Permission denied"), as Foundation's localizedDescription did.
enum TextFile {
    /// Why a file could not be read.
    enum Failure: Error, CustomStringConvertible {
        /// The system refused: errno's value, described by strerror.
        case system(Int32)
        case notUTF8

        var description: String {
            switch self {
            case .system(let code): String(cString: strerror(code))
            case .notUTF8: "not UTF-8 text"
            }
        }
    }

    /// The file's text (at most `limit` bytes of it), or the reason it could not be read.
    static func read(_ path: String, limit: Int = 1 << 20) throws(Failure) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .system(errno) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < limit {
            let n = readSome(fd, &chunk)
            if n < 0 {
                if errno == EINTR { continue }
                throw .system(errno)
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[..<n])
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .notUTF8 }
        return text
    }
}

/// read(2) into `buffer`; outside the enum so the name means the C function, not `TextFile.read`.
private func readSome(_ fd: Int32, _ buffer: inout [UInt8]) -> Int {
    buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
}
