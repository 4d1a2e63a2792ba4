/// Accumulates one column's values both as numbers and as categories until its kind is decided.
///
/// The rules (docs/model-format.md, "How training reads a file"):
/// - numeric when at least one value is a number and the values that are not (besides missing markers) are at most
///   `strayShare` of the non-missing ones and at most `maxStrays` distinct texts; those texts become missing;
/// - an identifier, left out, when nearly every row has its own value: integers with ≥ 99% distinct values, or
///   text with more than 50 distinct values making up over half the rows (or too many to count);
/// - otherwise categorical: a column of at most `maxCategories` values keeps them all; one with more keeps the
///   `maxCategories` most frequent values seen in at least `minCategoryRows` rows, the rest fold into "other".
struct ColumnBuilder {
    let name: String
    /// Extra texts that mean missing (`--na`).
    let markers: [[UInt8]]
    var numbers: [Double] = []
    var codes: [Int32] = []
    var dictionary: [String: Int32] = [:]
    var counts: [Int] = []
    var parsed = 0
    var nonMissing = 0
    var overflowed = false
    /// Non-numeric texts (and how often) while the column may still be numeric.
    var strays: [String: Int] = [:]
    static let dictionaryLimit = 100_000
    static let strayShare = 0.05
    static let maxStrays = 20
    static let minCategoryRows = 5

    init(name: String, markers: [[UInt8]] = []) {
        self.name = name
        self.markers = markers
    }

    func isMissing(_ f: UnsafeBufferPointer<UInt8>) -> Bool {
        FieldParsing.isMissing(f) || markers.contains { $0.count == f.count && $0.elementsEqual(f) }
    }

    mutating func add(_ raw: UnsafeBufferPointer<UInt8>) {
        let f = FieldParsing.trim(raw)
        if isMissing(f) {
            numbers.append(.nan)
            codes.append(-1)
            return
        }
        nonMissing += 1
        let key = String(decoding: f, as: UTF8.self)
        if let v = FieldParsing.parseDouble(f) {
            numbers.append(v)
            parsed += 1
        } else {
            numbers.append(.nan)
            if strays.count <= ColumnBuilder.maxStrays { strays[key, default: 0] += 1 }
        }
        if let code = dictionary[key] {
            codes.append(code)
            counts[Int(code)] += 1
        } else if dictionary.count < ColumnBuilder.dictionaryLimit {
            let code = Int32(dictionary.count)
            dictionary[key] = code
            counts.append(1)
            codes.append(code)
        } else {
            overflowed = true
            codes.append(-2) // a real value past the dictionary's limit: it will fold into "other"
        }
    }

    enum Outcome {
        /// Values (NaN where missing), and the stray texts read as missing with their row count.
        case numeric([Double], strays: [String], strayRows: Int)
        case categorical([Int32], [String], other: Bool, foldedValues: Int, foldedRows: Int)
        case excluded(String)
    }

    /// Non-numeric values the numeric reading would turn into missing.
    var strayRows: Int { nonMissing - parsed }

    var readsAsNumeric: Bool {
        parsed > 0 && strays.count <= ColumnBuilder.maxStrays
            && Double(strayRows) <= ColumnBuilder.strayShare * Double(nonMissing)
    }

    mutating func finish(forceCategorical: Bool, keep: Bool, maxCategories: Int) -> Outcome {
        if nonMissing == 0 { return .excluded("every value is missing") }
        if readsAsNumeric && !forceCategorical {
            let present = numbers.filter { !$0.isNaN }.sorted()
            if present.first == present.last { return .excluded("it holds a single value") }
            if !keep && present.count >= 50 && present.allSatisfy({ $0 == $0.rounded() }) {
                var distinct = 1
                for i in 1..<present.count where present[i] != present[i - 1] { distinct += 1 }
                if Double(distinct) >= 0.99 * Double(present.count) {
                    return .excluded("\(distinct) distinct whole numbers in \(present.count) rows look like an identifier (use --keep \(name) to keep it as a number)")
                }
            }
            return .numeric(numbers, strays: strays.keys.sorted(), strayRows: strayRows)
        }
        if dictionary.count == 1 && !overflowed { return .excluded("it holds a single value") }
        if !forceCategorical && !keep && (overflowed || (dictionary.count > 50 && Double(dictionary.count) > 0.5 * Double(nonMissing))) {
            let count = overflowed ? "over \(ColumnBuilder.dictionaryLimit)" : String(dictionary.count)
            return .excluded("\(count) distinct text values in \(nonMissing) rows look like an identifier (use --categorical \(name) to keep it)")
        }
        // Most frequent first; ties by name for a stable order.
        let names = dictionary.sorted { a, b in
            let (ca, cb) = (counts[Int(a.value)], counts[Int(b.value)])
            return ca != cb ? ca > cb : a.key < b.key
        }
        // A column of a few values keeps them all; one of many keeps only values frequent enough to learn from.
        let many = names.count > maxCategories
        let kept = names.prefix(maxCategories).filter { !many || counts[Int($0.value)] >= ColumnBuilder.minCategoryRows }
        // A column of nothing but rare values still needs categories: keep the most frequent ones then.
        let chosen = kept.isEmpty ? Array(names.prefix(maxCategories)) : kept
        let folded = names.count - chosen.count
        let other = folded > 0 || overflowed
        var remap = [Int32](repeating: Int32(chosen.count), count: dictionary.count)
        for (newCode, entry) in chosen.enumerated() { remap[Int(entry.value)] = Int32(newCode) }
        var foldedRows = 0
        let recoded = codes.map { code -> Int32 in
            if code == -1 { return -1 }
            if code == -2 { foldedRows += 1; return Int32(chosen.count) }
            let r = remap[Int(code)]
            if Int(r) == chosen.count { foldedRows += 1 }
            return r
        }
        return .categorical(recoded, chosen.map(\.key), other: other, foldedValues: folded, foldedRows: foldedRows)
    }
}
