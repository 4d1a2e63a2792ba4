import ArgumentParser

/// `--delimiter`: the input's field separator, one ASCII character or a name (`tab`, `semicolon`, `pipe`).
struct DelimiterArgument: ExpressibleByArgument, Sendable {
    var byte: UInt8

    init(byte: UInt8) { self.byte = byte }

    init?(argument: String) {
        switch argument.lowercased() {
        case "tab", "\\t", "\t": byte = 0x09
        case "comma": byte = 0x2C
        case "semicolon": byte = 0x3B
        case "pipe": byte = 0x7C
        default:
            // Any single printable ASCII character but the quote, which always opens a quoted field.
            guard argument.utf8.count == 1, let b = argument.utf8.first, b >= 0x20, b < 0x7F, b != 0x22 else { return nil }
            byte = b
        }
    }

    static let comma = DelimiterArgument(byte: 0x2C)

    /// How the help shows the default.
    var defaultValueDescription: String { byte == 0x09 ? "tab" : String(UnicodeScalar(byte)) }

    static let help = ArgumentHelp(
        "The input's field separator: one character (',' ';' '|') or tab.",
        discussion: "Nothing about it is stored in the model: a model trained on a ';' file scores a ',' file.",
        valueName: "CHAR")
}
