/// A problem found while reading a delimited file, located precisely enough to fix by hand.
public struct CSVError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong, in the words a person needs.
    public enum Reason: Sendable, Equatable {
        case cannotOpen(String)
        case readFailed(String)
        case unterminatedQuote
        case unexpectedAfterQuote(UInt8)
        case recordTooLarge(limit: Int)
        case emptyHeader
        case duplicateColumn(String)
        case emptyColumnName(index: Int)
        /// The file is compressed (gzip, zip, …), named by its magic number.
        case compressed(String)
        /// UTF-16 text (a byte-order mark, or NUL bytes between the header's characters).
        case utf16(String)
        /// The header holds NUL bytes but is not UTF-16: a binary file.
        case binary
        /// The header is not valid UTF-8 (first bad byte, 1-based byte column).
        case notUTF8(byte: UInt8, column: Int)
        /// The header is one column holding another separator (the byte to pass to --delimiter).
        case looksDelimited(UInt8)
    }

    public var file: String
    /// 1-based line of the problem (0 when the problem is not tied to a line).
    public var line: Int
    /// 1-based byte column within that line (0 when unknown).
    public var column: Int
    public var reason: Reason
    /// For an unterminated quote: how many lines the open field took, from the line it opened on to the end.
    public var linesSwallowed: Int?

    public init(file: String, line: Int, column: Int, reason: Reason) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// The reason alone, without the location prefix.
    public var message: String {
        switch reason {
        case .cannotOpen(let why): return "cannot open file: \(why)"
        case .readFailed(let why): return "read failed: \(why)"
        case .unterminatedQuote:
            let took = linesSwallowed.map { $0 > 1 ? "; it swallowed \($0) lines, from here to the end of the file" : "" } ?? ""
            return "quoted field is never closed (a '\"' opened here has no matching '\"' before the end of the file\(took)); close the quote, or write a literal quote inside a field as \"\""
        case .unexpectedAfterQuote(let byte):
            return "unexpected \(CSVError.describe(byte)) after a closing quote; a quoted field must be followed by ',' or the end of the line (write a literal quote as \"\")"
        case .recordTooLarge(let limit):
            return "record is longer than \(limit / (1 << 20)) MiB; is a quote left open?"
        case .emptyHeader: return "the file is empty or its first line (the header) is blank"
        case .duplicateColumn(let name): return "column '\(name)' appears twice in the header"
        case .emptyColumnName(let index): return "header column \(index + 1) has no name"
        case .compressed(let kind):
            return "this is a \(kind) file, not CSV text; decompress it first (e.g. \(kind == "gzip" ? "gunzip -k FILE, or zcat FILE | churn … -" : "unpack it") and give the .csv"
        case .utf16(let how):
            return "the file is UTF-16 text (\(how)); churn reads UTF-8: convert it, e.g. iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8.csv"
        case .binary:
            return "the header holds NUL bytes: this is a binary file, not CSV text"
        case .notUTF8(let byte, let column):
            return "the header is not UTF-8 text (\(CSVError.describe(byte)) at column \(column)); churn reads UTF-8: convert it, e.g. iconv -f latin1 -t UTF-8 FILE > FILE.utf8.csv"
        case .looksDelimited(let byte):
            let name = byte == 0x09 ? "tab" : "'\(Character(Unicode.Scalar(byte)))'"
            let flag = byte == 0x09 ? "--delimiter tab" : "--delimiter '\(Character(Unicode.Scalar(byte)))'"
            return "the header is a single column; the file looks separated by \(name), not ',': use \(flag)"
        }
    }

    /// True for a problem with the file as a whole or its header (exit status 65 in the CLI), false for one
    /// that could not open or read it, or that is in one record.
    public var isHeaderProblem: Bool {
        switch reason {
        case .emptyHeader, .duplicateColumn, .emptyColumnName, .compressed, .utf16, .binary, .notUTF8, .looksDelimited:
            return true
        case .cannotOpen, .readFailed, .unterminatedQuote, .unexpectedAfterQuote, .recordTooLarge:
            return false
        }
    }

    public var description: String {
        var location = file
        if line > 0 { location += ":\(line)" }
        if column > 0 { location += ":\(column)" }
        return "\(location): \(message)"
    }

    static func describe(_ byte: UInt8) -> String {
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return String(cFormat: "byte 0x%02X", byte)
    }
}

import ChurnBase
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
