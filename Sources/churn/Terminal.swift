#if canImport(Glibc)
import Glibc
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

    static var stderrIsTerminal: Bool { isatty(2) == 1 }
    static var stdoutIsTerminal: Bool { isatty(1) == 1 }
}
