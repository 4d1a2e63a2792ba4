extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (and line breaks unless `newlines` is false):
    /// full Foundation's `trimmingCharacters(in: .whitespaces…)`, which FoundationEssentials lacks.
    public func trimmingWhitespace(newlines: Bool = true) -> String {
        trimming { $0 == " " || $0 == "\t" || $0 == "\u{A0}" || (newlines && $0.isNewline) }
    }

    /// The text without leading and trailing characters for which `drop` holds.
    public func trimming(where drop: (Character) -> Bool) -> String {
        guard let first = firstIndex(where: { !drop($0) }) else { return "" }
        let last = lastIndex(where: { !drop($0) })!
        return String(self[first...last])
    }

    /// The text padded with spaces (or cut) to `width` characters, on the right unless `leading`.
    public func padded(to width: Int, leading: Bool = false) -> String {
        if count >= width { return String(prefix(width)) }
        let fill = String(repeating: " ", count: width - count)
        return leading ? fill + self : self + fill
    }
}
