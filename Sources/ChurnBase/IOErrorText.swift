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

/// A file error in words ("No such file or directory", "Permission denied"), naming the path when it is not the one
/// the caller already names: FoundationEssentials has no `localizedDescription`, and printing its `CocoaError`
/// gives the user a dump of codes and dictionaries.
public enum IOErrorText {
    /// The error's reason; the error's own path is added in parentheses when the caller names another `file`
    /// (or none).
    public static func describe(_ error: any Error, file: String? = nil) -> String {
        switch error {
        case let error as CocoaError:
            var reason = (error.underlying as? POSIXError).map { posix($0.code.rawValue) } ?? cocoa(error.code)
            if let path = error.filePath ?? error.url?.path, path != file { reason += " (\(path))" }
            return reason
        case let error as POSIXError:
            return posix(error.code.rawValue)
        default:
            return "\(error)"
        }
    }

    private static func posix(_ code: Int32) -> String { String(cString: strerror(code)) }

    private static func cocoa(_ code: CocoaError.Code) -> String {
        switch code {
        case .fileNoSuchFile, .fileReadNoSuchFile: return "No such file or directory"
        case .fileReadNoPermission, .fileWriteNoPermission: return "Permission denied"
        case .fileWriteFileExists: return "File exists"
        case .fileWriteOutOfSpace: return "No space left on device"
        case .fileWriteVolumeReadOnly: return "Read-only file system"
        case .fileReadCorruptFile: return "the file's contents are not in the expected format"
        case .fileReadInapplicableStringEncoding: return "the file is not text in the expected encoding"
        default: return "file operation failed (error \(code.rawValue))"
        }
    }
}
