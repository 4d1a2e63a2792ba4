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

/// Small helpers for writing to the standard streams.
enum Terminal {
    static func printError(_ text: String) {
        var line = text
        if !line.hasSuffix("\n") { line += "\n" }
        line.withCString { _ = write(2, $0, strlen($0)) }
    }

    /// Writes to stderr without adding a newline.
    static func writeError(_ text: String) {
        text.withCString { _ = write(2, $0, strlen($0)) }
    }

    /// Writes bytes to stdout as they are (JSON documents), all of them: write(2) may take only part at a time.
    /// Buffered output (print) is flushed first so the two never come out of order.
    static func writeOutput(_ data: Data) {
        fflush(nil)
        data.withUnsafeBytes { raw in
            guard var p = raw.baseAddress else { return }
            var left = raw.count
            while left > 0 {
                let n = write(1, p, left)
                if n < 0 { if errno == EINTR { continue } else { return } }
                p += n
                left -= n
            }
        }
    }

    static var stderrIsTerminal: Bool { isatty(2) == 1 }
    static var stdoutIsTerminal: Bool { isatty(1) == 1 }
}
