import ChurnBase
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written under a temporary name and renamed into place only by `commit()`: an interrupted run
/// never leaves a partial file at `path`. `abort()` (or dropping it uncommitted) removes the temporary file.
public final class OutputFile {
    public let path: String
    public let temporaryPath: String
    private var fd: Int32
    private var committed = false
    /// Bytes written, and how many of them the disk has been asked to take already (`startWriteback`).
    private var written: Int64 = 0
    private var writebackRequested: Int64 = 0

    /// Standard output, written directly (no temporary file, nothing to commit).
    public static func standardOutput() -> OutputFile { OutputFile(stdout: ()) }

    private init(stdout: ()) {
        path = "-"
        temporaryPath = "-"
        fd = 1
    }

    public init(path: String) throws(POSIXFailure) {
        self.path = path
        OutputFile.removeStaleTemporaries(of: path)
        temporaryPath = AtomicFile.temporaryPath(for: path)
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 { throw POSIXFailure(operation: "create", path: temporaryPath, code: errno) }
    }

    deinit {
        if !committed { abort() }
    }

    public var isStandardOutput: Bool { path == "-" }

    public func write(_ bytes: [UInt8]) throws(POSIXFailure) {
        try bytes.withUnsafeBufferPointer { (buf) throws(POSIXFailure) in try write(buf) }
    }

    public func write(_ buf: UnsafeBufferPointer<UInt8>) throws(POSIXFailure) {
        var offset = 0
        while offset < buf.count {
            let n = Glibc.write(fd, buf.baseAddress! + offset, buf.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw POSIXFailure(operation: "write", path: isStandardOutput ? "standard output" : temporaryPath, code: errno)
            }
            offset += n
        }
        written += Int64(buf.count)
        if written - writebackRequested >= OutputFile.writebackChunk, !isStandardOutput { startWriteback() }
    }

    /// Every 8 MiB written, the disk is asked to start writing those bytes (Linux: `sync_file_range` with
    /// `SYNC_FILE_RANGE_WRITE`, which does not wait), as databases do for large files: `commit()`'s fsync then has
    /// only the tail left. With nothing written back during the run, that fsync took 20 ms at the end of a 1M-row
    /// `churn score` (55 MB of output), a serial wait after all the scoring.
    static let writebackChunk: Int64 = 8 << 20

    private func startWriteback() {
        #if os(Linux)
        if let syncRange = OutputFile.syncFileRange {
            _ = syncRange(fd, writebackRequested, written - writebackRequested, 2 /* SYNC_FILE_RANGE_WRITE */)
        }
        #endif
        writebackRequested = written
    }

    #if os(Linux)
    /// sync_file_range(2), looked up at run time: Glibc's Swift module does not declare it (it needs _GNU_SOURCE).
    private static let syncFileRange: (@convention(c) (Int32, Int64, Int64, UInt32) -> Int32)? = {
        guard let process = dlopen(nil, RTLD_NOW), let symbol = dlsym(process, "sync_file_range") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32, Int64, Int64, UInt32) -> Int32).self)
    }()
    #endif

    /// Flushes to disk and renames the temporary file to `path`.
    public func commit() throws(POSIXFailure) {
        guard !committed else { return }
        committed = true
        if isStandardOutput { return }
        if fsync(fd) != 0 { let code = errno; abort(); throw POSIXFailure(operation: "flush", path: temporaryPath, code: code) }
        close(fd)
        fd = -1
        if rename(temporaryPath, path) != 0 {
            let code = errno
            unlink(temporaryPath)
            throw POSIXFailure(operation: "rename into", path: path, code: code)
        }
    }

    /// Drops the temporary file; `path` is left as it was.
    public func abort() {
        committed = true
        if isStandardOutput { return }
        if fd >= 0 { close(fd); fd = -1 }
        unlink(temporaryPath)
    }

    /// Before a run that will replace the file at `path` (`--force`), drops that file's cached pages on a thread of
    /// its own, so that the kernel does not do it inside `commit()`'s `rename`, after all the work. On Linux that
    /// rename frees the old file's pages and blocks: 11 ms for a 55 MB output on our machines, 3-4 ms of it the
    /// pages, here done while the run starts on one core. The file stays as it is on disk (an interrupted run
    /// leaves it whole); only a regular file with no other link, not the input, and not through a symbolic link.
    public static func releaseCache(ofReplaced path: String, input: String) {
        #if os(Linux)
        guard cacheReleasable(path, input: input) else { return }
        DetachedThread.start(name: "churn-release") {
            let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
            guard fd >= 0 else { return }
            _ = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED)
            close(fd)
        }
        #endif
    }

    /// Whether `releaseCache` drops the cached pages of `path`: a regular file (not a symbolic link) with no other
    /// link, which is not `input`.
    static func cacheReleasable(_ path: String, input: String) -> Bool {
        var old = stat(), source = stat()
        guard lstat(path, &old) == 0, (old.st_mode & S_IFMT) == S_IFREG, old.st_nlink == 1 else { return false }
        return !(stat(input, &source) == 0 && source.st_dev == old.st_dev && source.st_ino == old.st_ino)
    }

    /// Where a directory entry's name starts.
    private static let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!

    /// Removes temporary files of `path` left by processes that no longer exist (e.g. after kill -9).
    static func removeStaleTemporaries(of path: String) {
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { String(path[..<$0]) } ?? "."
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let prefix = "." + base + ".tmp-"
        guard let d = opendir(dir.isEmpty ? "/" : dir) else { return }
        defer { closedir(d) }
        while let entry = readdir(d) {
            // The name is read in place: an entry is only as long as its name, so copying the declared 256-byte
            // `d_name` out of the last entry of the kernel's buffer could read past its page (a crash seen in a
            // directory of thousands of files).
            let name = String(cString: UnsafeRawPointer(entry).advanced(by: OutputFile.nameOffset).assumingMemoryBound(to: CChar.self))
            guard name.hasPrefix(prefix) else { continue }
            let rest = name.dropFirst(prefix.count)
            guard let dash = rest.firstIndex(of: "-"), let pid = Int32(rest[..<dash]) else { continue }
            if pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH {
                unlink((dir.isEmpty ? "" : dir + "/") + name)
            }
        }
    }
}
