import ChurnBase
import Foundation
import Testing

/// The stand-ins for full Foundation agree with it where the product used it.
@Suite("ChurnBase")
struct ChurnBaseTests {
    @Test("cFormat writes numbers as Foundation's String(format:) does, long results included")
    func format() {
        for (f, v) in [("%.3f", 0.12345), ("%5.1f%%", 7.25), ("%.0e", 12345.0), ("%.3g", 0.000123456)] {
            #expect(String(cFormat: f, v) == String(format: f, v))
        }
        #expect(String(cFormat: "DEMO-%07ld", 42) == "DEMO-0000042")
        #expect(String(cFormat: "byte 0x%02X", 10) == "byte 0x0A")
        let long = String(cFormat: "%0300.1f", 1.5)
        #expect(long.count == 300 && long.hasSuffix("01.5"))
    }

    @Test("trimming matches Foundation's whitespace sets; padding pads or cuts")
    func trimming() {
        for s in ["  a b\t", "\n x \r\n", "", "   ", "a"] {
            #expect(s.trimmingWhitespace() == s.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        #expect("\n x \t".trimmingWhitespace(newlines: false) == "\n x")
        #expect("..a.b..".trimming { $0 == "." } == "a.b")
        #expect("ab".padded(to: 4) == "ab  " && "ab".padded(to: 4, leading: true) == "  ab" && "abcdef".padded(to: 3) == "abc")
    }

    @Test("JSONValue reads what JSONSerialization reads, and writes it back")
    func json() throws {
        let text = #"{"a":[1,2.5,-3e2,true,null,"x"],"b":{"c":"d"},"n":0}"#
        let v = try JSONValue.parse(Data(text.utf8))
        #expect(v["a"]?.array?.count == 6)
        #expect(v["a"]?.array?[2].number == -300 && v["a"]?.array?[3].bool == true && v["a"]?.array?[4].isNull == true)
        #expect(v["b"]?["c"]?.string == "d" && v["n"]?.int == 0 && v["a"]?.array?[1].int == nil)
        #expect(try JSONValue.parse(v.serialized()) == v)
        #expect(try JSONValue.parse(Data("3".utf8)) == .number(3))
        #expect(throws: (any Error).self) { try JSONValue.parse(Data("{".utf8)) }
    }

    @Test("clockTime writes a UTC time with strftime")
    func clock() {
        #expect(clockTime(1_800_000_000, "%Y-%m-%d %H:%M:%S", utc: true) == "2027-01-15 08:00:00")
        #expect(clockTime(59.9, "%H:%M:%S", utc: true) == "00:00:59")
    }
}
