#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Names what a path is when it is not something a command can read as a file (a directory, a device), so the
/// error says "it is a directory" rather than a bare read failure.
public enum FileKind {
    /// "a directory", "a character device", … for a file mode that is not a regular file, pipe or symlink target
    /// of one; nil when it can be read as a stream (a regular file or a pipe, e.g. `<(zcat big.csv.gz)`).
    public static func notAFile(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG, S_IFIFO: return nil
        case S_IFDIR: return "a directory"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "not a regular file"
        }
    }

    /// What `path` is when it exists and cannot be read as a file; nil otherwise (including when it is missing).
    public static func notAFile(path: String) -> String? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return notAFile(st.st_mode)
    }
}
