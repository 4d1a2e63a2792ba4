import Foundation
import Testing
@testable import ChurnModel

@Suite("Number parsing matches strtod")
struct NumberParsingTests {
    /// What parseDouble must return: strtod's reading of the whole (space- and tab-trimmed) text when it is a
    /// finite decimal number, else nil (hex, "inf" and "nan", which strtod reads, are not numbers in a CSV column).
    static func strtodValue(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
        guard !trimmed.isEmpty, trimmed.allSatisfy({ "0123456789+-.eE".contains($0) }) else { return nil }
        return trimmed.withCString { cs -> Double? in
            var end: UnsafeMutablePointer<CChar>?
            let v = strtod(cs, &end)
            guard let end, end - UnsafeMutablePointer(mutating: cs) == strlen(cs), v.isFinite else { return nil }
            return v
        }
    }

    static func parse(_ text: String) -> Double? {
        Array(text.utf8).withUnsafeBufferPointer { FieldParsing.parseDouble($0) }
    }

    static func check(_ text: String) {
        let ours = parse(text)
        let theirs = strtodValue(text)
        #expect(ours?.bitPattern == theirs?.bitPattern, "\(text): \(String(describing: ours)) vs strtod \(String(describing: theirs))")
    }

    @Test("edge inputs: signs, zeros, subnormals, 19+ digits, exponents, the fast path's limits, malformed")
    func edges() {
        let cases = [
            "0", "-0", "+0", "0.0", "-0.0", "00012", "1", "-1", "12", "29.85", " 29.85 ", "\t-3.5", "1.", ".5", "-.5",
            "1e5", "1E5", "1e+05", "1e-3", "-2.5e-3", "1.e5", "0e0", "0e-400", "0.0000000000000000000000001",
            "9007199254740992", "9007199254740993", "9007199254740991.5", "1e22", "1e23", "1.5e-22", "3e-23",
            "123456789012345678", "1234567890123456789", "12345678901234567890", "0.12345678901234567890123",
            "1.7976931348623157e308", "1.7976931348623159e308", "1e308", "1e309", "-1e309",
            "4.9e-324", "2.4703282292062328e-324", "2.2250738585072011e-308", "2.2250738585072014e-308", "1e-400",
            "", " ", "-", "+", ".", "e5", ".e5", "1e", "1e+", "5e-", "1e1234", "1e5x", "1.2.3", "--1", "1-", "inf",
            "nan", "0x1p3", "1_000", "1,5", "NaN", "Infinity",
        ]
        for text in cases { Self.check(text) }
    }

    @Test("random decimals with and without exponents agree with strtod bit for bit")
    func random() {
        var rng = SplitMix64(seed: 99)
        for _ in 0..<20_000 {
            var text = rng.next() % 4 == 0 ? "-" : ""
            let intDigits = Int(rng.next() % 12)
            let fracDigits = Int(rng.next() % 14)
            for _ in 0..<intDigits { text += String(rng.next() % 10) }
            if fracDigits > 0 || intDigits == 0 {
                text += "."
                for _ in 0..<max(fracDigits, 1) { text += String(rng.next() % 10) }
            }
            if rng.next() % 3 == 0 {
                let e = Int(rng.next() % 70) - 35
                text += (rng.next() % 2 == 0 ? "e" : "E") + String(e)
            }
            Self.check(text)
        }
        // Values printed with full precision read back to themselves.
        for _ in 0..<5_000 {
            let v = Double(bitPattern: rng.next() & 0x7FEF_FFFF_FFFF_FFFF)
            Self.check("\(v)")
            #expect(Self.parse("\(v)") == v)
        }
    }
}
