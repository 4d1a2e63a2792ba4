import ChurnTestSupport
import Foundation
import Testing
@testable import ChurnModel

@Suite("Columnar scoring of plain blocks")
struct ColumnarScoringTests {
    static let data = UserFileSchemaTests.packageRoot.appendingPathComponent("../shared/data").standardizedFileURL.path

    /// The file's data lines with trouble mixed in: every kind of row the columnar pass must hand to the record
    /// path, and rows it must score itself although they look odd.
    static func troubled(_ text: String, idColumn: Int?) -> [String] {
        // Split on the byte: a String splits "\r\n" as one character.
        var lines = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        if lines.last == "" { lines.removeLast() }
        let header = lines.removeFirst().trimmingCharacters(in: .newlines)
        let width = header.split(separator: ",").count
        for i in lines.indices {
            // A "\r\n" file (bigml-train.csv) keeps its line endings.
            let ending = lines[i].hasSuffix("\r") ? "\r" : ""
            defer { lines[i] += ending }
            lines[i] = String(lines[i].dropLast(ending.count))
            var fields = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == width else { continue }
            // Each kind of trouble visits every column in turn.
            let k = (i / 23) % width
            switch i % 23 {
            case 1: lines[i] = ""                                    // a blank line
            case 2: lines[i] = "   \t "                              // a line of spaces
            case 3: fields.removeLast(); lines[i] = fields.joined(separator: ",")      // a field short
            case 4: lines[i] += ",extra"                             // a field over
            case 5: if let idColumn { fields[idColumn] = "  " }; lines[i] = fields.joined(separator: ",")
            case 6: fields[k] = "NA"; lines[i] = fields.joined(separator: ",")
            case 7: fields[k] = ""; lines[i] = fields.joined(separator: ",")
            case 8: fields[k] = " " + fields[k] + " "; lines[i] = fields.joined(separator: ",")
            case 9: fields[k] = fields[k].uppercased(); lines[i] = fields.joined(separator: ",")
            case 10: fields[k] = "Something never seen in training"; lines[i] = fields.joined(separator: ",")
            case 11: fields[k] = Double(fields[k]) != nil ? "1e308" : fields[k]; lines[i] = fields.joined(separator: ",")
            case 12: fields[k] = Double(fields[k]) != nil ? "-1e308" : "?"; lines[i] = fields.joined(separator: ",")
            case 13: fields[k] = "12abc"; lines[i] = fields.joined(separator: ",")
            // Ids a spreadsheet would run as a formula, and ids with a comma once another delimiter is used
            // (`expectSame` turns '|' into ','), which the output quotes.
            case 14: if let idColumn { fields[idColumn] = "=" + fields[idColumn] }; lines[i] = fields.joined(separator: ",")
            case 15: if let idColumn { fields[idColumn] += "|x" }; lines[i] = fields.joined(separator: ",")
            default: break
            }
        }
        return [header] + lines
    }

    /// Scores `body` (data lines, cut into blocks at the given line counts) a record at a time and column by
    /// column, and expects the same bytes, counts, drift and highest-risk list.
    static func expectSame(_ artifact: ModelArtifact, header: String, body: [String], cuts: [Int], finalNewline: Bool,
                           unknown: UnknownCategoryMode = .score, format: OutputFormat = .csv, delimiter: Character = ",") throws {
        let body = delimiter == "," ? body : body.map {
            $0.replacingOccurrences(of: ",", with: String(delimiter)).replacingOccurrences(of: "|", with: ",")
        }
        let engine = ScoringEngine(artifact: artifact)
        let names = header.split(separator: ",").map(String.init)
        let encoder = try RowEncoder(schema: artifact.schema, header: names, reference: artifact.reference,
                                     unknownCategories: unknown)
        var options = BatchOptions(input: "in.csv", output: "out.csv", rejects: "rejects.csv")
        options.topCount = 25
        options.format = format
        let formatter = RowFormatter(engine: engine, encoder: encoder, options: options)
        #expect(engine.linear != nil && encoder.canScoreFromCodes(engine.linear!))
        let columns = LinearColumns()
        var start = 0
        var usedColumns = 0
        for (n, cut) in (cuts + [body.count]).enumerated() {
            let end = min(cut, body.count)
            guard end > start else { continue }
            var text = body[start..<end].joined(separator: "\n")
            if end < body.count || finalNewline { text += "\n" }
            let block = CSVBlock(bytes: Array(text.utf8), firstLine: 2 + start, firstRecordIndex: start, file: "in.csv",
                                 isFinal: end == body.count, delimiter: delimiter.asciiValue!)
            let plain = formatter.score(block, output: ByteWriter())
            let columnar = formatter.score(block, output: ByteWriter(), columns: columns)
            let context = "block \(n), lines \(2 + start)..<\(2 + end)"
            #expect(columnar.output.bytes == plain.output.bytes, "\(context): output")
            #expect(columnar.rejects.bytes == plain.rejects.bytes, "\(context): rejects")
            #expect(columnar.rows == plain.rows && columnar.scored == plain.scored && columnar.rejected == plain.rejected,
                    "\(context): \(columnar.rows)/\(columnar.scored)/\(columnar.rejected) vs \(plain.rows)/\(plain.scored)/\(plain.rejected)")
            #expect(columnar.blankLines == plain.blankLines && columnar.reasons == plain.reasons && columnar.risk == plain.risk)
            #expect(columnar.probabilitySum.bitPattern == plain.probabilitySum.bitPattern, "\(context): probability sum")
            #expect(columnar.tally.counts == plain.tally.counts && columnar.tally.rows == plain.tally.rows, "\(context): drift")
            #expect(columnar.top == plain.top, "\(context): highest-risk list")
            if columns.split.lineCount > 0 { usedColumns += 1 }
            start = end
        }
        // The blocks were plain, so the columnar pass really ran (the split of the last block is still there).
        #expect(usedColumns > 0)
    }

    @Test("the same output, rejects, counts, drift and highest-risk list as a record at a time, on the real files with trouble mixed in")
    func realFiles() throws {
        // Telco with a number and a category often missing, so that training learns them as levels of their own
        // (the columnar pass scores such rows itself; a missing value training never saw goes to the record path).
        let dir = TempDir()
        defer { dir.cleanup() }
        let telco = try String(contentsOfFile: Self.data + "/telco.csv", encoding: .utf8)
        let gaps = telco.split(separator: "\n").enumerated().map { i, line -> String in
            guard i > 0 && i % 4 == 0 else { return String(line) }
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[5] = ""       // tenure
            fields[i % 8 == 0 ? 15 : 8] = i % 3 == 0 ? "" : "NA"    // Contract or InternetService
            return fields.joined(separator: ",")
        }.joined(separator: "\n") + "\n"
        let gapsPath = dir.write("telco-gaps.csv", gaps)
        // Telco with a column of 150 regions, kept whole (--max-categories 200): more drift bins than the columnar
        // pass counts in lanes, so it counts them straight into the tally.
        let regions = telco.split(separator: "\n").enumerated().map { i, line -> String in
            line + (i == 0 ? ",Region" : ",region-\((i * 7919) % 150)")
        }.joined(separator: "\n") + "\n"
        let regionsPath = dir.write("telco-regions.csv", regions)
        var wide = TableOptions()
        wide.maxCategories = 200
        for path in ["telco.csv", "bigml-train.csv", "bigml-test.csv"].map({ Self.data + "/" + $0 }) + [gapsPath, regionsPath] {
            let table = try TrainingTable.load(path: path, options: path == regionsPath ? wide : TableOptions())
            if path == regionsPath {
                #expect(table.schema.features.contains { $0.name == "Region" && $0.categories.count == 150 })
            }
            let artifact = ModelTrainer.train(table, options: UserFileSchemaTests.quick(.logistic)).artifact
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let header = Self.troubled(text, idColumn: nil)[0]
            let idColumn = artifact.schema.idColumn.flatMap { id in header.split(separator: ",").firstIndex { $0 == id } }
            let lines = Self.troubled(text, idColumn: idColumn)
            let body = Array(lines.dropFirst())
            // Blocks of one line, a few lines (shorter than a 64-byte window, so no padded lookups), a batch and a bit,
            // and the rest; the file's last line with and without its newline.
            try Self.expectSame(artifact, header: lines[0], body: body, cuts: [1, 3, 70, 400], finalNewline: true)
            try Self.expectSame(artifact, header: lines[0], body: body, cuts: [129], finalNewline: false)
            try Self.expectSame(artifact, header: lines[0], body: body, cuts: [], finalNewline: true, unknown: .reject)
            // JSON lines, and another delimiter.
            try Self.expectSame(artifact, header: lines[0], body: body, cuts: [500], finalNewline: true, format: .jsonl)
            try Self.expectSame(artifact, header: lines[0], body: body, cuts: [77], finalNewline: true, delimiter: ";")
        }
    }

    @Test("a block with a quote or a carriage return is scored a record at a time, the same as before")
    func quotesAndCarriageReturns() throws {
        let path = Self.data + "/telco.csv"
        let artifact = ModelTrainer.train(try TrainingTable.load(path: path), options: UserFileSchemaTests.quick(.logistic)).artifact
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lines = text.split(separator: "\n").map(String.init)
        let header = lines.removeFirst()
        lines[5] = lines[5].replacingOccurrences(of: "Month-to-month", with: "\"Month-to-month\"")
        lines[300] += "\r"                 // a "\r\n" ending: still plain
        lines[200] = "\r" + lines[200]     // a '\r' inside the id: not plain
        for cut in [[10, 250], [400]] {
            try Self.expectSame(artifact, header: header, body: Array(lines.prefix(600)), cuts: cut, finalNewline: true)
        }
        let split = FieldSplit()
        for bad in ["a,b\n\"c\",d\n", "a\rb,c\n", "a,b\r", "a,b\rc\n"] {
            #expect(!Array(bad.utf8).withUnsafeBufferPointer { split.split($0, delimiter: 0x2C) }, "\(bad.debugDescription)")
        }
    }

    @Test("the split finds every delimiter and line end, in any delimiter, with \"\\r\\n\" endings, for short and long lines, after either, reading nothing past the buffer")
    func splitPositions() {
        let split = FieldSplit()
        var generator = SystemRandomNumberGenerator()
        // Blocks split before a case: of short lines, then of long ones (the split takes the next block to be like
        // the last, and writes a window's newline slots for what it expects).
        let primers = [Array(repeating: Array("a,b\n".utf8), count: 200).flatMap { $0 },
                       Array(repeating: Array((String(repeating: "abcdef,", count: 30) + "\n").utf8), count: 20).flatMap { $0 }]
        for delimiter: UInt8 in [0x2C, 0x3B, 0x09] {
            // Lines of about 3, 40 and 150 bytes: several newlines in a window, one in some, none in most.
            for meanLine in [3, 40, 150] {
                for length in [0, 1, 15, 63, 64, 65, 127, 128, 1000, 4099] {
                    for stray in [false, true] {
                        let tokens: [[UInt8]] = [[0x61], [0x62], [0x20], [0x31], [delimiter]]
                        var bytes: [UInt8] = []
                        while bytes.count < length {
                            if Int.random(in: 0..<meanLine, using: &generator) == 0 {
                                bytes += Bool.random(using: &generator) ? [0x0A] : [0x0D, 0x0A]
                            } else {
                                bytes += tokens.randomElement(using: &generator)!
                            }
                        }
                        // A '\r' that ends no line, somewhere (or at the very end).
                        if stray && length > 0 { bytes.insert(0x0D, at: Int.random(in: 0...bytes.count, using: &generator)) }
                        let plain = bytes.indices.allSatisfy { bytes[$0] != 0x0D || ($0 + 1 < bytes.count && bytes[$0 + 1] == 0x0A) }
                        let guarded = GuardedBytes(bytes)
                        for primer in primers {
                            #expect(primer.withUnsafeBufferPointer { split.split($0, delimiter: 0x2C) })
                            #expect(split.split(guarded.buffer, delimiter: delimiter) == plain, "length \(length), stray \(stray)")
                            guard plain else { continue }
                            let expected = bytes.indices.filter { bytes[$0] == delimiter || bytes[$0] == 0x0A }
                            let found = (0..<split.stopCount).map { Int(split.stops[$0]) }
                            #expect(found == expected, "length \(length), lines of about \(meanLine)")
                            let lineEnds = (0..<split.lineCount).map { Int(split.stops[Int(split.lineEnds[$0])]) }
                            #expect(lineEnds == bytes.indices.filter { bytes[$0] == 0x0A }, "length \(length), lines of about \(meanLine)")
                            #expect(split.hasReturns == bytes.contains(0x0D))
                        }
                    }
                }
            }
        }
    }

    @Test("the padded lookup finds what the plain one finds, for every length up to 24 bytes, and nothing else")
    func paddedLookup() {
        let categories = (0...24).flatMap { n in
            ["", "x", "Y"].map { tag in String((tag + String(repeating: "abcdefghijklmnopqrstuvwxyz", count: 1)).prefix(n)) }
        } + ["Yes", "No", "No internet service", "No phone service", "Fiber optic", "DSL", "Credit card (automatic)",
             "Month-to-month", "One year", "Two year", "Electronic check"]
        let unique = Array(Set(categories)).sorted()
        let tables = CategoryTables([CategoryIndex(categories: unique)])
        let column = tables.columns[0]
        // Probes: every category, each with one byte changed, each one byte shorter; in a buffer with junk around.
        var probes = unique
        for c in unique where !c.isEmpty {
            var bytes = Array(c.utf8)
            bytes[bytes.count / 2] ^= 0x01
            probes.append(String(decoding: bytes, as: UTF8.self))
            probes.append(String(c.dropLast()))
        }
        for probe in probes where probe.utf8.count <= 24 {
            let bytes = Array(repeating: UInt8(0x7A), count: 8) + Array(probe.utf8) + Array(repeating: UInt8(0x41), count: 24)
            bytes.withUnsafeBufferPointer { b in
                let field = UnsafeBufferPointer(rebasing: b[8..<(8 + probe.utf8.count)])
                let padded = tables.paddedIndex(of: field, in: column)
                #expect(padded == tables.index(of: field, in: column), "\(probe.debugDescription)")
                #expect(padded == unique.firstIndex(of: probe), "\(probe.debugDescription)")
            }
        }
    }

    @Test("the lookup by length finds a field written as a category when its length has one or two, and defers otherwise")
    func lengthLookup() {
        // Lengths 0–33 with one, two and three categories each, equal categories, and categories the trimmed
        // lookup never finds (a space or tab at an end), beside Telco's.
        var categories: [String] = ["Yes", "No", "No internet service", "One year", "Two year", "Month-to-month",
                                    "Bank transfer (automatic)", "Credit card (automatic)", "Yes", " Yes", "Male ", "tab\t",
                                    " ", "", "Female", "Fiber optic", "DSL", "No phone service"]
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH".utf8)
        for n in 1...33 {
            for tag in 0..<(n % 3 + 1) {
                var bytes = Array(alphabet[0..<n])
                bytes[n - 1] = UInt8(ascii: "A") + UInt8(tag)
                categories.append(String(decoding: bytes, as: UTF8.self))
            }
        }
        let found = Self.checkLengthLookup(categories, pairs: true, wide: true)
        // Most of the clean categories are found (those of a length with three are not), and none of the others.
        #expect(found >= 40)
    }

    @Test("a column without a pair of categories at a length, or without a category past 16 bytes, compares less and finds the same")
    func narrowLengthLookups() {
        // Telco's columns: most have no pair (Contract has "One year" and "Two year"), half have nothing past 16
        // bytes. A third category of a length takes that length out of the entries (and so out of the flags).
        let columns: [(categories: [String], pairs: Bool, wide: Bool)] = [
            (["Yes", "No"], false, false),
            (["Female", "Male", "Fiber optic", "DSL", "No phone service"], false, false),
            (["Yes", "No", "No internet service"], false, true),
            (["Month-to-month", "One year", "Two year"], true, false),
            (["Electronic check", "Mailed check", "Bank transfer (automatic)", "Credit card (automatic)"], false, true),
            (["abc", "abd", "abe", "No internet service"], false, true),
            (["abcdefghijklmnopq", "abcdefghijklmnopr", "x"], true, true),
        ]
        for column in columns {
            #expect(Self.checkLengthLookup(column.categories, pairs: column.pairs, wide: column.wide) > 0, "\(column.categories)")
        }
    }

    /// Looks up every category of `categories` (one column), each changed at every byte, shortened, padded and
    /// upper-cased, and fields of NUL bytes, by length: what the column's lookup finds must be what the full
    /// comparison (both categories of a length, all 32 bytes) finds, the category's index where its length has at
    /// most two clean categories, -1 otherwise, and what the hash finds. The column's flags must be `pairs` and
    /// `wide`. Returns how many probes were found.
    static func checkLengthLookup(_ categories: [String], pairs: Bool, wide: Bool) -> Int {
        let tables = CategoryTables([CategoryIndex(categories: ["unused"]), CategoryIndex(categories: categories)])
        let column = tables.columns[1]
        let table = tables.lengthTable(column)
        #expect(table.pairs == pairs && table.wide == wide, "\(categories)")
        func clean(_ c: String) -> Bool { c.first.map { $0 != " " && $0 != "\t" } ?? true && c.last.map { $0 != " " && $0 != "\t" } ?? true }
        func expected(_ probe: String) -> Int32 {
            let n = probe.utf8.count
            guard n < CategoryTables.byLength else { return -1 }
            let sameLength = Set(categories.filter { clean($0) && $0.utf8.count == n })
            guard sameLength.count <= 2, clean(probe), let k = categories.firstIndex(of: probe) else { return -1 }
            return Int32(k)
        }
        var probes = categories
        for c in categories {
            let bytes = Array(c.utf8)
            for k in bytes.indices {
                var changed = bytes
                changed[k] ^= 0x01
                probes.append(String(decoding: changed, as: UTF8.self))
            }
            probes += [String(c.dropLast()), String(c.dropFirst()), " " + c, c + " ", c + "\t", c.uppercased()]
        }
        // Fields of NUL bytes, which equal an absent second category's zeros.
        probes += (1..<CategoryTables.byLength).map { String(repeating: "\0", count: $0) }
        // What follows a field in a block: the rest of a longer category, which the 32-byte read sees.
        let junk = Array("No internet service, Bank transfer (automatic)".utf8)
        var found = 0
        for probe in probes where probe.utf8.count < CategoryTables.byLength {
            let bytes = Array(probe.utf8) + junk
            let n = probe.utf8.count
            let k = bytes.withUnsafeBytes { table.index(of: $0.baseAddress!, count: n) }
            let full = bytes.withUnsafeBytes { table.codes[table.entry(of: $0.baseAddress!, count: n, pairs: true, wide: true)] }
            #expect(k == expected(probe), "\(probe.debugDescription) in \(categories)")
            #expect(k == full, "\(probe.debugDescription) in \(categories)")
            if k >= 0 {
                found += 1
                let hashed = bytes.withUnsafeBufferPointer { b in
                    tables.index(of: FieldParsing.trim(UnsafeBufferPointer(rebasing: b[0..<n])), in: column)
                }
                #expect(hashed == Int(k), "\(probe.debugDescription)")
            }
        }
        return found
    }

    @Test("plain decimals read eight bytes at a time are parseDouble's values, bit for bit; anything else is left to it")
    func plainDecimals() {
        func check(_ text: [UInt8], _ context: @autoclosure () -> String) {
            // Junk after the field, as in a block, which the eight-byte read may see but must ignore.
            let padded = text + Array("9.9,x9".utf8) + [0x0A, 0x35]
            padded.withUnsafeBufferPointer { b in
                let f = UnsafeBufferPointer(rebasing: b[0..<text.count])
                let fast = FieldParsing.paddedPlainDecimal(f)
                let reference = FieldParsing.parseDouble(f)
                let plain = !text.isEmpty && text.count <= 8 && text.allSatisfy { $0 == 0x2E || (0x30...0x39).contains($0) }
                    && text.filter { $0 == 0x2E }.count <= 1 && text.contains { $0 != 0x2E }
                if plain {
                    #expect(fast != nil && fast?.bitPattern == reference?.bitPattern, "\(context()): \(String(describing: fast)) vs \(String(describing: reference))")
                } else {
                    #expect(fast == nil, "\(context()): \(String(describing: fast))")
                }
            }
        }
        // Every text of up to four bytes over digits, '.', and bytes next to them in ASCII.
        let alphabet: [UInt8] = Array("019./:-+e ".utf8) + [0x00, 0x80, 0xB0]
        var texts: [[UInt8]] = [[]]
        for _ in 0..<4 {
            texts = texts.flatMap { t in [t] + alphabet.map { t + [$0] } }
        }
        for t in Set(texts) { check(t, String(decoding: t, as: UTF8.self).debugDescription) }
        // Random ones up to nine bytes, mostly digits.
        var generator = SystemRandomNumberGenerator()
        let digitsAndDot = Array("0123456789012345678901234567890123456789.".utf8) + [0x2D, 0x20, 0x65]
        for _ in 0..<200_000 {
            let t = (0..<Int.random(in: 1...9, using: &generator)).map { _ in digitsAndDot.randomElement(using: &generator)! }
            check(t, String(decoding: t, as: UTF8.self).debugDescription)
        }
    }
}
