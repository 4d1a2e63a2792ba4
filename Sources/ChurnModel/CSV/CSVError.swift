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
    }

    public var file: String
    /// 1-based line of the problem (0 when the problem is not tied to a line).
    public var line: Int
    /// 1-based byte column within that line (0 when unknown).
    public var column: Int
    public var reason: Reason

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
            return "quoted field is never closed (a '\"' opened here has no matching '\"' before the end of the file)"
        case .unexpectedAfterQuote(let byte):
            return "unexpected \(CSVError.describe(byte)) after a closing quote; a quoted field must be followed by ',' or the end of the line (write a literal quote as \"\")"
        case .recordTooLarge(let limit):
            return "record is longer than \(limit / (1 << 20)) MiB; is a quote left open?"
        case .emptyHeader: return "the file is empty or its first line (the header) is blank"
        case .duplicateColumn(let name): return "column '\(name)' appears twice in the header"
        case .emptyColumnName(let index): return "header column \(index + 1) has no name"
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
        return String(format: "byte 0x%02X", byte)
    }
}

import Foundation
