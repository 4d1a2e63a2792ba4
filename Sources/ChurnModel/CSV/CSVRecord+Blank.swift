extension CSVRecord {
    /// True for a line that holds no data: empty, or only spaces and tabs (a trailing "\r" is already part of
    /// the line ending). Such lines are not rows: readers skip and count them instead of rejecting them.
    /// Checked only outside the parser's loop, so the scanner stays as fast as it was.
    @inline(__always)
    public var isBlankLine: Bool {
        if count == 0 { return true }
        return count == 1 && error == nil && FieldParsing.trim(field(0)).count == 0
    }
}
