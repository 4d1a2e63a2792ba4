/// A run of complete CSV records cut from a file by `CSVReader`; parsable on any thread.
public struct CSVBlock: Sendable {
    /// The raw bytes, ending at a record boundary (or at the end of the file).
    public let bytes: [UInt8]
    /// 1-based line number of the first byte.
    public let firstLine: Int
    /// 0-based index (among data records) of the first record in this block.
    public let firstRecordIndex: Int
    public let file: String
    /// True for the last block of the file.
    public let isFinal: Bool
    /// The field separator byte (',' unless --delimiter says otherwise).
    public let delimiter: UInt8

    public init(bytes: [UInt8], firstLine: Int, firstRecordIndex: Int, file: String, isFinal: Bool, delimiter: UInt8 = 0x2C) {
        self.bytes = bytes
        self.firstLine = firstLine
        self.firstRecordIndex = firstRecordIndex
        self.file = file
        self.isFinal = isFinal
        self.delimiter = delimiter
    }

    /// Parses every record in order. The record passed to `body` is only valid during the call.
    public func forEachRecord<E: Error>(_ body: (CSVRecord) throws(E) -> Void) throws(E) {
        let parser = CSVRecordParser(delimiter: delimiter)
        try bytes.withUnsafeBufferPointer { (buf) throws(E) in
            try parser.parseAll(buf, firstLine: firstLine, file: file, body)
        }
    }
}

/// One parsed record: its fields as byte slices, where it came from, and whether it is malformed.
///
/// Valid only inside the callback that received it; copy out what you need.
public struct CSVRecord {
    /// 1-based line on which the record starts.
    public let line: Int
    /// Number of fields (0 for a blank line).
    public let count: Int
    /// The first structural problem in this record, if any (its fields are still filled as well as possible).
    public let error: CSVError?
    let fields: FieldPointers
    let block: UnsafeBufferPointer<UInt8>
    let rawStart: Int
    let rawEnd: Int

    /// True for an empty line.
    public var isBlank: Bool { count == 0 }

    /// The unescaped bytes of field `i`.
    @inline(__always)
    public func field(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        fields.field(i, block: block)
    }

    /// Field `i` decoded as UTF-8 (invalid sequences become U+FFFD).
    public func string(at i: Int) -> String {
        String(decoding: field(i), as: UTF8.self)
    }

    /// The record exactly as it appears in the file, without its line ending.
    public var raw: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: block[rawStart..<rawEnd])
    }

    /// 1-based line and byte column where field `i` starts.
    public func position(ofField i: Int) -> (line: Int, column: Int) {
        let start = i < count ? fields.rawOffsets[i] : rawEnd
        var line = self.line
        var lineStart = rawStart
        var k = rawStart
        while k < start {
            if block[k] == 0x0A { line += 1; lineStart = k + 1 }
            k += 1
        }
        // Column counts from the start of the line, which for the first line is the record start
        // (records always begin at the start of a line).
        return (line, start - lineStart + 1)
    }
}

/// Borrowed views of a `FieldTable`'s storage, valid while the record is being handled.
struct FieldPointers {
    let offsets: UnsafeMutablePointer<Int>
    let lengths: UnsafeMutablePointer<Int>
    let rawOffsets: UnsafeMutablePointer<Int>
    let scratch: UnsafeMutablePointer<UInt8>

    @inline(__always)
    func field(_ i: Int, block: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        let len = lengths[i]
        if len & FieldTable.scratchFlag != 0 {
            return UnsafeBufferPointer(start: scratch + offsets[i], count: len & ~FieldTable.scratchFlag)
        }
        return UnsafeBufferPointer(start: block.baseAddress! + offsets[i], count: len)
    }
}

/// Reusable storage for the field slices of the record being parsed.
final class FieldTable {
    var capacity = 64
    var offsets: UnsafeMutablePointer<Int>
    var lengths: UnsafeMutablePointer<Int>
    var rawOffsets: UnsafeMutablePointer<Int>
    /// Bit set in `lengths` marking a field whose bytes live in `scratch` (it contained `""`).
    static let scratchFlag = 1 << 62
    var scratch: UnsafeMutablePointer<UInt8>
    var scratchCapacity = 4096
    var scratchCount = 0

    init() {
        offsets = .allocate(capacity: capacity)
        lengths = .allocate(capacity: capacity)
        rawOffsets = .allocate(capacity: capacity)
        scratch = .allocate(capacity: scratchCapacity)
    }

    deinit {
        offsets.deallocate()
        lengths.deallocate()
        rawOffsets.deallocate()
        scratch.deallocate()
    }

    func grow() {
        let newCapacity = capacity * 2
        for p in [\FieldTable.offsets, \.lengths, \.rawOffsets] {
            let fresh = UnsafeMutablePointer<Int>.allocate(capacity: newCapacity)
            fresh.update(from: self[keyPath: p], count: capacity)
            self[keyPath: p].deallocate()
            self[keyPath: p] = fresh
        }
        capacity = newCapacity
    }

    func reserveScratch(_ extra: Int) {
        if scratchCount + extra <= scratchCapacity { return }
        var newCapacity = scratchCapacity * 2
        while newCapacity < scratchCount + extra { newCapacity *= 2 }
        let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        fresh.update(from: scratch, count: scratchCount)
        scratch.deallocate()
        scratch = fresh
        scratchCapacity = newCapacity
    }

    var pointers: FieldPointers {
        FieldPointers(offsets: offsets, lengths: lengths, rawOffsets: rawOffsets, scratch: scratch)
    }
}

/// The record grammar: fields separated by ',', records by '\n' or "\r\n"; a field that starts with '"'
/// is quoted and may hold ',', newlines and '""'; a quote inside an unquoted field is a literal character.
struct CSVRecordParser {
    let table = FieldTable()
    /// The field separator (0x2C ',' by default).
    var delimiter: UInt8 = 0x2C

    /// Parses the records of `buf` (only those in `range`, which must start at a record's start and end at a
    /// record boundary or the buffer's end, when given), `firstLine` being the line of the first one.
    func parseAll<E: Error>(_ buf: UnsafeBufferPointer<UInt8>, range: Range<Int>? = nil, firstLine: Int, file: String,
                            _ body: (CSVRecord) throws(E) -> Void) throws(E) {
        guard let base = buf.baseAddress, buf.count > 0 else { return }
        let end = range?.upperBound ?? buf.count
        var pos = range?.lowerBound ?? 0
        var line = firstLine
        var capacity = table.capacity
        var offsets = table.offsets
        var lengths = table.lengths
        var rawOffsets = table.rawOffsets
        let delimiter = self.delimiter
        // Where an unquoted field ends (in 64-byte windows; a word at a time past junk after a quote), and where a
        // quoted one may (a '"', or a '\n' to count).
        var fieldStops = StopWindow(delimiter, 0x0A)
        let fieldStop = ByteScanner(delimiter, 0x0A)
        let quotedStop = ByteScanner(0x22, 0x0A)
        while pos < end {
            let recordStart = pos
            let recordLine = line
            var nfields = 0
            var error: CSVError?
            if table.scratchCount > 0 { table.scratchCount = 0 }
            var recordEnd = end
            var next = end
            // Blank line ("\n" or "\r\n").
            if base[pos] == 0x0A || (base[pos] == 0x0D && pos + 1 < end && base[pos + 1] == 0x0A) {
                let stop = base[pos] == 0x0A ? pos : pos + 1
                try body(CSVRecord(line: recordLine, count: 0, error: nil, fields: table.pointers, block: buf, rawStart: recordStart, rawEnd: pos))
                pos = stop + 1
                line += 1
                continue
            }
            fieldLoop: while true {
                if nfields == capacity {
                    table.grow()
                    capacity = table.capacity
                    offsets = table.offsets
                    lengths = table.lengths
                    rawOffsets = table.rawOffsets
                }
                rawOffsets[nfields] = pos
                if pos < end && base[pos] == 0x22 {
                    // Quoted field.
                    let openPos = pos
                    let openLine = line
                    pos += 1
                    let contentStart = pos
                    var hasEscapes = false
                    var closed = false
                    while true {
                        pos = quotedStop.next(in: base, from: pos, end: end)
                        if pos == end { break }
                        if base[pos] == 0x0A {
                            line += 1
                            pos += 1
                            continue
                        }
                        if pos + 1 < end && base[pos + 1] == 0x22 {
                            hasEscapes = true
                            pos += 2
                            continue
                        }
                        closed = true
                        break
                    }
                    let contentEnd = pos
                    if hasEscapes {
                        table.reserveScratch(contentEnd - contentStart)
                        let dst = table.scratch + table.scratchCount
                        var w = 0
                        var r = contentStart
                        while r < contentEnd {
                            dst[w] = base[r]
                            w += 1
                            r += base[r] == 0x22 ? 2 : 1
                        }
                        offsets[nfields] = table.scratchCount
                        lengths[nfields] = w | FieldTable.scratchFlag
                        table.scratchCount += w
                    } else {
                        offsets[nfields] = contentStart
                        lengths[nfields] = contentEnd - contentStart
                    }
                    nfields += 1
                    if !closed {
                        if error == nil {
                            error = CSVError(file: file, line: openLine, column: column(of: openPos, in: base, recordStart: recordStart), reason: .unterminatedQuote)
                            error?.linesSwallowed = line - openLine + (base[end - 1] == 0x0A ? 0 : 1)
                        }
                        recordEnd = end
                        next = end
                        break fieldLoop
                    }
                    pos += 1 // past the closing quote
                    // After a closing quote: ',', end of record, or junk (kept, reported).
                    if pos >= end { recordEnd = end; next = end; break fieldLoop }
                    let b = base[pos]
                    if b == delimiter { pos += 1; continue fieldLoop }
                    if b == 0x0A { recordEnd = pos; next = pos + 1; line += 1; break fieldLoop }
                    if b == 0x0D && (pos + 1 == end || base[pos + 1] == 0x0A) {
                        recordEnd = pos
                        next = min(pos + 2, end)
                        if pos + 1 < end { line += 1 }
                        break fieldLoop
                    }
                    if error == nil {
                        error = CSVError(file: file, line: line, column: column(of: pos, in: base, recordStart: recordStart), reason: .unexpectedAfterQuote(b))
                    }
                    // Recover: skip to the next delimiter or end of line.
                    pos = fieldStop.next(in: base, from: pos, end: end)
                    if pos < end && base[pos] == delimiter { pos += 1; continue fieldLoop }
                    recordEnd = pos
                    next = min(pos + 1, end)
                    if pos < end { line += 1 }
                    break fieldLoop
                } else {
                    // Unquoted field: up to ',' or '\n' (a '"' inside it is a literal byte).
                    let start = pos
                    pos = fieldStops.next(in: base, from: pos, end: end)
                    var fieldEnd = pos
                    let atNewline = pos < end && base[pos] == 0x0A
                    if (atNewline || pos == end) && fieldEnd > start && base[fieldEnd - 1] == 0x0D { fieldEnd -= 1 }
                    offsets[nfields] = start
                    lengths[nfields] = fieldEnd - start
                    nfields += 1
                    if pos < end && base[pos] == delimiter { pos += 1; continue fieldLoop }
                    recordEnd = fieldEnd
                    next = atNewline ? pos + 1 : end
                    if atNewline { line += 1 }
                    break fieldLoop
                }
            }
            try body(CSVRecord(line: recordLine, count: nfields, error: error, fields: table.pointers, block: buf, rawStart: recordStart, rawEnd: recordEnd))
            pos = next
        }
    }

    private func column(of offset: Int, in base: UnsafePointer<UInt8>, recordStart: Int) -> Int {
        var k = offset
        while k > recordStart && base[k - 1] != 0x0A { k -= 1 }
        return offset - k + 1
    }
}
