#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a CSV file (RFC 4180) in blocks of whole records without ever holding the whole file.
///
/// Blocks are cut only at record boundaries (a newline outside quotes), so each block can be
/// parsed on its own, on any thread. The first record is the header; `header` holds it.
public final class CSVReader {
    public let path: String
    public private(set) var header: [String]
    /// 1-based line on which the header ends (usually 1).
    public private(set) var headerLine: Int
    /// Bytes of the file consumed so far (for progress reporting).
    public private(set) var bytesRead: Int = 0
    /// Total size of the file when it is a regular file, else nil.
    public let fileSize: Int?

    private let fd: Int32
    private let ownsDescriptor: Bool
    private let chunkSize: Int
    private let maxRecordBytes: Int
    private var pending: [UInt8] = []
    private var scan = BoundaryScanner()
    private var eof = false
    private var nextLine: Int
    private var nextRecordIndex = 0
    /// Where read buffers come from and go back to, when the caller recycles its blocks' bytes.
    var recycler: BufferRecycler?

    /// The field separator byte.
    public let delimiter: UInt8

    /// Opens `path` ("-" reads standard input) and reads its header. `delimiter` separates fields (',' by default).
    public init(path: String, chunkSize: Int = 1 << 20, maxRecordBytes: Int = 16 << 20, delimiter: UInt8 = 0x2C) throws(CSVError) {
        self.path = path
        self.delimiter = delimiter
        scan.delimiter = delimiter
        self.chunkSize = max(chunkSize, 1)
        self.maxRecordBytes = maxRecordBytes
        if path == "-" {
            fd = 0
            ownsDescriptor = false
        } else {
            let opened = open(path, O_RDONLY | O_CLOEXEC)
            if opened < 0 {
                throw CSVError(file: path, line: 0, column: 0, reason: .cannotOpen(String(cString: strerror(errno))))
            }
            fd = opened
            ownsDescriptor = true
        }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG {
            fileSize = Int(st.st_size)
        } else {
            fileSize = nil
        }
        if ownsDescriptor, let kind = FileKind.notAFile(st.st_mode) {
            close(fd)
            throw CSVError(file: path, line: 0, column: 0, reason: .cannotOpen("it is \(kind), not a file; give the path of a CSV file"))
        }
        nextLine = 1
        header = []
        headerLine = 1
        do {
            let (names, endLine) = try readHeader()
            header = names
            headerLine = endLine
        } catch {
            if ownsDescriptor { close(fd) }
            throw error
        }
    }

    deinit {
        if ownsDescriptor { close(fd) }
    }

    /// The next block of complete records, or nil at the end of the file.
    public func nextBlock() throws(CSVError) -> CSVBlock? {
        while true {
            if scan.lastBoundary > 0 && (pending.count >= chunkSize || eof) {
                return cutBlock(at: scan.lastBoundary, isFinal: false)
            }
            if eof {
                if pending.isEmpty { return nil }
                return cutBlock(at: pending.count, isFinal: true)
            }
            if pending.count - scan.lastBoundary > maxRecordBytes {
                throw CSVError(file: path, line: nextLine, column: 1, reason: .recordTooLarge(limit: maxRecordBytes))
            }
            try fill()
        }
    }

    private func cutBlock(at cut: Int, isFinal: Bool) -> CSVBlock {
        // Hand the whole buffer to the block and keep only the (short) tail, instead of copying the block out.
        var bytes = pending
        pending = cut < bytes.count ? Array(bytes[cut...]) : []
        bytes.removeLast(bytes.count - cut)
        scan.shift(by: cut)
        let lines = CSVReader.countNewlines(bytes)
        let block = CSVBlock(bytes: bytes, firstLine: nextLine, firstRecordIndex: nextRecordIndex, file: path,
                             isFinal: isFinal && pending.isEmpty, delimiter: delimiter)
        nextLine += lines
        return block
    }

    /// Reads up to one chunk more into `pending` and extends the boundary scan over it.
    private func fill() throws(CSVError) {
        let old = pending.count
        var got = 0
        var readError: Int32 = 0
        let previous = pending
        func readChunk(into base: UnsafeMutablePointer<UInt8>) {
            while true {
                let n = read(fd, base, chunkSize)
                if n < 0 && errno == EINTR { continue }
                if n < 0 { readError = errno }
                got = max(n, 0)
                break
            }
        }
        // A buffer returned by the recycler keeps its pages (and its old bytes, overwritten here: the tail carried
        // over, then what is read). Without a recycler the buffer is a new one.
        var fresh = recycler?.takeInput(count: old + chunkSize) ?? BufferRecycler.resized([], to: old + chunkSize)
        fresh.withUnsafeMutableBufferPointer { b in
            previous.withUnsafeBufferPointer { p in
                if let source = p.baseAddress { b.baseAddress!.update(from: source, count: old) }
            }
            readChunk(into: b.baseAddress! + old)
        }
        fresh.removeLast(chunkSize - got)
        pending = fresh
        if let recycler, previous.capacity >= chunkSize { recycler.give(input: previous) }
        if readError != 0 {
            throw CSVError(file: path, line: nextLine, column: 0, reason: .readFailed(String(cString: strerror(readError))))
        }
        if got == 0 {
            eof = true
            return
        }
        bytesRead += got
        pending.withUnsafeBufferPointer { scan.advance(over: $0, from: old) }
    }

    private func readHeader() throws(CSVError) -> ([String], Int) {
        // Read until the first record boundary (or EOF), strip a UTF-8 BOM, parse one record.
        // Only one BOM, looked for once the first three bytes are in: a second U+FEFF is content, and stripping it
        // on a later read would make the header depend on how the bytes happened to arrive (found by fuzzing).
        var bomChecked = false
        while scan.lastBoundary == 0 && !eof {
            if pending.count > maxRecordBytes {
                throw CSVError(file: path, line: 1, column: 1, reason: .recordTooLarge(limit: maxRecordBytes))
            }
            try fill()
            if !bomChecked && (pending.count >= 3 || eof) {
                bomChecked = true
                if pending.count >= 3 && pending[0] == 0xEF && pending[1] == 0xBB && pending[2] == 0xBF {
                    pending.removeFirst(3)
                    scan = BoundaryScanner(delimiter: delimiter)
                    pending.withUnsafeBufferPointer { scan.advance(over: $0, from: 0) }
                }
            }
        }
        // Compressed files and UTF-16 are recognised by their first bytes (no magic number holds a newline, so
        // the bytes read up to the first line end always cover it, whatever the read size).
        if let reason = InputSniffer.problem(prefix: pending) { throw CSVError(file: path, line: 0, column: 0, reason: reason) }
        let cut = scan.lastBoundary > 0 ? firstBoundary() : pending.count
        if cut == 0 { throw CSVError(file: path, line: 1, column: 1, reason: .emptyHeader) }
        let block = cutBlock(at: cut, isFinal: eof && pending.isEmpty)
        var names: [String] = []
        var failure: CSVError?
        var endLine = 1
        var raw: [UInt8] = []
        block.forEachRecord { record in
            if !names.isEmpty || failure != nil { return }
            if let err = record.error { failure = err; return }
            names = (0..<record.count).map { record.string(at: $0) }
            raw = Array(record.raw)
            endLine = record.line
        }
        if let failure { throw failure }
        if let reason = InputSniffer.problem(header: raw, columns: names.count, delimiter: delimiter) {
            throw CSVError(file: path, line: 1, column: 0, reason: reason)
        }
        if names.isEmpty || (names.count == 1 && names[0].allSatisfy({ $0 == " " })) {
            throw CSVError(file: path, line: 1, column: 1, reason: .emptyHeader)
        }
        var seen = Set<String>()
        for (i, name) in names.enumerated() {
            let trimmed = name.trimmingSpaces()
            if trimmed.isEmpty { throw CSVError(file: path, line: endLine, column: 0, reason: .emptyColumnName(index: i)) }
            if !seen.insert(trimmed).inserted {
                throw CSVError(file: path, line: endLine, column: 0, reason: .duplicateColumn(trimmed))
            }
        }
        // Records after the header start counting from 0 again.
        nextRecordIndex = 0
        return (names.map { $0.trimmingSpaces() }, endLine)
    }

    /// End offset of the first complete record in `pending` (used for the header only).
    private func firstBoundary() -> Int {
        var s = BoundaryScanner(delimiter: delimiter)
        var end = 0
        pending.withUnsafeBufferPointer { buf in
            s.advance(over: buf, from: 0, stopAtFirst: true)
            end = s.lastBoundary
        }
        return end > 0 ? end : pending.count
    }

    static func countNewlines(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBufferPointer { ByteScanner.countNewlines($0) }
    }

    /// Reads every record of a file in order, calling `body` for each (header excluded).
    public static func forEachRecord(path: String, delimiter: UInt8 = 0x2C, _ body: (CSVRecord) throws -> Void) throws {
        let reader = try CSVReader(path: path, delimiter: delimiter)
        try reader.forEachRecord(body)
    }

    /// Reads the remaining records in order, calling `body` for each.
    public func forEachRecord(_ body: (CSVRecord) throws -> Void) throws {
        while let block = try nextBlock() {
            try block.forEachRecord(body)
        }
    }
}

/// Tracks quote state across reads to find the last record boundary seen so far.
///
/// Mirrors the parser's grammar exactly: a quote opens a quoted field only at the start of a field,
/// `""` inside a quoted field is a literal quote, and only a newline outside quotes ends a record
/// (a carriage return is part of the line ending only right before that newline).
struct BoundaryScanner {
    enum State: UInt8 { case fieldStart, unquoted, quoted, quoteInQuoted }
    var state: State = .fieldStart
    /// Offset just past the last newline that ends a record.
    var lastBoundary = 0
    /// The field separator.
    var delimiter: UInt8 = 0x2C

    mutating func shift(by n: Int) {
        lastBoundary = max(0, lastBoundary - n)
    }

    mutating func advance(over buf: UnsafeBufferPointer<UInt8>, from start: Int, stopAtFirst: Bool = false) {
        guard start < buf.count, let base = buf.baseAddress else { return }
        let count = buf.count
        let delimiter = self.delimiter
        // Fast path: no quote byte in the new region and not inside quotes: the boundary is the last newline.
        if state != .quoted && !stopAtFirst && memchr(base + start, 0x22, count - start) == nil {
            var i = count - 1
            while i >= start && base[i] != 0x0A { i -= 1 }
            if i >= start { lastBoundary = i + 1 }
            let last = base[count - 1]
            state = (last == delimiter || last == 0x0A) ? .fieldStart : .unquoted
            return
        }
        var i = start
        while i < count {
            let b = base[i]
            switch state {
            case .quoted:
                if b == 0x22 { state = .quoteInQuoted }
            case .quoteInQuoted where b == 0x22:
                state = .quoted
            case .fieldStart where b == 0x22:
                state = .quoted
            default:
                if b == delimiter {
                    state = .fieldStart
                } else if b == 0x0A {
                    state = .fieldStart
                    lastBoundary = i + 1
                    if stopAtFirst { return }
                } else {
                    state = .unquoted
                }
            }
            i += 1
        }
    }
}

extension String {
    /// The string without leading and trailing ASCII spaces and tabs.
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
