#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why generated customers could not be written, worded for the person who asked for them.
public struct GenerateError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Reason: Sendable, Equatable {
        /// The output file exists and overwriting was not allowed.
        case outputExists
        /// The output path is a directory.
        case isDirectory
        /// A system call failed (the system's reason).
        case system(operation: String, code: Int32)
    }

    public var path: String
    public var reason: Reason

    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .outputExists:
            "\(path) already exists; pick another path, or pass --force to replace it"
        case .isDirectory:
            "\(path) is a directory; give a file name for the output"
        case .system(let operation, let code):
            "cannot \(operation) \(path): \(String(cString: strerror(code)))"
        }
    }
}
