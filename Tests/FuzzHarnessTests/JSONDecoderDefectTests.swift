import Foundation
@testable import FuzzHarness
import ChurnBase
import Testing

/// The json-request target compares the API's strict parser with JSONDecoder, whose number reading rejects valid
/// JSON; so the comparison writes every number as 0 first (the strict parser's numbers have tests of their own).
@Suite("JSONDecoder as the json-request target's reference")
struct JSONDecoderDefectTests {
    @Test("JSONDecoder rejects valid numbers the fuzzer found or that underflow (why numbers are compared as 0)")
    func defectExists() {
        #expect((try? JSONValue.parse(Data("[-0.00e5]".utf8))) == nil)
        #expect((try? JSONValue.parse(Data("[1e-400]".utf8))) == nil)
        #expect((try? JSONValue.parse(Data("[-0e5]".utf8))) != nil, "the same zero without its fraction is read")
    }

    @Test("numbers outside strings become 0; strings, escaped quotes and literals stay as they are")
    func zeroing() {
        let cases = [
            (#"[-0.00e5, 12, 1e-400]"#, "[0, 0, 0]"),
            (#"{"a1": "x\"9", "b": [true, null, -3.5E+2]}"#, #"{"a1": "x\"9", "b": [true, null, 0]}"#),
            ("7", "0"),
        ]
        for (input, expected) in cases {
            #expect(String(decoding: JSONRequestFuzz.numbersAsZero(Array(input.utf8)), as: UTF8.self) == expected, "\(input)")
        }
    }

    @Test("the input the fuzzer found, underflowing numbers and ordinary bodies pass")
    func invariant() {
        for body in [#"[{"customerID": "7590-VHVEG", "eharges": null}, -0.00e5]"#, "[1, 2]", "[1e-400]", "[4.9e-324]", "[0.0e0]", "[1E308]"] {
            #expect(JSONRequestFuzz.run(Array(body.utf8)) == nil, "\(body)")
        }
    }
}
