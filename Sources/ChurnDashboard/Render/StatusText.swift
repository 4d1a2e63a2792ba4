/// Fits the status line's facts into the width left for them. Instead of cutting the line at the edge (which
/// used to leave "… · m…"), facts give way in a fixed order:
///
/// 1. short forms, lowest `shortenRank` first ("updated 10:00:00" → "10:00:00", "every 1s" → "1s", then the
///    model's label goes: "model gbt-…" → "gbt-…");
/// 2. facts are dropped, lowest `dropRank` first (the refresh interval, then the update time: the LIVE or STALE
///    badge already says whether data is fresh);
/// 3. only then does the squeezable fact (the source's name) lose its middle, down to `minimumSqueeze` columns:
///    the source is where an operator points a client (the demo's "API on 127.0.0.1:PORT"), so it stays whole
///    while anything else can give way;
/// 4. only then is what is left cut at the end (the model version is the last thing to go).
public enum StatusText {
    /// One fact of the status line.
    public struct Part: Sendable, Equatable {
        public var full: String
        public var short: String?
        public var shortenRank: Int
        public var dropRank: Int?
        public var squeeze: Bool

        public init(_ full: String, short: String? = nil, shortenRank: Int = 0, dropRank: Int? = nil, squeeze: Bool = false) {
            self.full = full
            self.short = short
            self.shortenRank = shortenRank
            self.dropRank = dropRank
            self.squeeze = squeeze
        }
    }

    public static let minimumSqueeze = 14

    public static func fit(_ parts: [Part], separator: String, width: Int, ellipsis: Unicode.Scalar) -> String {
        var texts = parts.map(\.full)
        var kept = parts.map { _ in true }
        func joined() -> String { texts.indices.filter { kept[$0] }.map { texts[$0] }.joined(separator: separator) }
        func fits() -> Bool { DisplayText.width(joined()) <= width }
        if fits() { return joined() }
        for i in parts.indices.filter({ parts[$0].short != nil }).sorted(by: { parts[$0].shortenRank < parts[$1].shortenRank }) {
            texts[i] = parts[i].short!
            if fits() { return joined() }
        }
        for i in parts.indices.filter({ parts[$0].dropRank != nil }).sorted(by: { parts[$0].dropRank! < parts[$1].dropRank! }) {
            kept[i] = false
            if fits() { return joined() }
        }
        if let i = parts.firstIndex(where: \.squeeze) {
            let over = DisplayText.width(joined()) - width
            let target = max(minimumSqueeze, DisplayText.width(texts[i]) - over)
            texts[i] = squeezed(texts[i], to: target, ellipsis: ellipsis)
        }
        return joined()
    }

    /// `text` in at most `width` columns with its middle replaced by the ellipsis (the end, usually a port or
    /// "(demo)", says as much as the start).
    public static func squeezed(_ text: String, to width: Int, ellipsis: Unicode.Scalar) -> String {
        let chars = Array(text)
        guard chars.count > width, width >= 3 else { return chars.count > width ? String(chars.prefix(width)) : text }
        let tail = (width - 1) / 2
        let head = width - 1 - tail
        return String(chars.prefix(head)) + String(Character(ellipsis)) + String(chars.suffix(tail))
    }
}
