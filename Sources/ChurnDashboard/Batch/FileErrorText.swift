import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What went wrong with a file, in words ("Permission denied", "Not a directory"), from the errors FileManager
/// throws: FoundationEssentials has no `localizedDescription`, and printing the error itself would show the
/// user a `CocoaError(code: …, userInfo: …)` dump.
public enum FileErrorText {
    public static func describe(_ error: any Error) -> String {
        if let posix = error as? POSIXError { return message(posix.code.rawValue) }
        guard let cocoa = error as? CocoaError else { return "\(error)" }
        if let posix = cocoa.underlying as? POSIXError { return message(posix.code.rawValue) }
        switch cocoa.code {
        case .fileNoSuchFile, .fileReadNoSuchFile: return message(ENOENT)
        case .fileReadNoPermission, .fileWriteNoPermission: return message(EACCES)
        case .fileWriteFileExists: return message(EEXIST)
        case .fileWriteOutOfSpace: return message(ENOSPC)
        case .fileWriteVolumeReadOnly: return message(EROFS)
        default: return "file error \(cocoa.code.rawValue)"
        }
    }

    static func message(_ code: Int32) -> String { String(cString: strerror(code)) }
}
