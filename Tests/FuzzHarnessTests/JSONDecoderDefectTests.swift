import Foundation
@testable import FuzzHarness
import ChurnBase
import Testing

/// The json-request target compares the API's strict parser with JSONDecoder, which rejects one valid number form.
@Suite("JSONDecoder's zero-fraction-exponent defect in the json-request target")
struct JSONDecoderDefectTests {
    @Test("JSONDecoder still rejects 0.00e5, valid JSON: the excuse is needed (remove it when this fails)")
    func defectExists() {
        #expect((try? JSONValue.parse(Data("[-0.00e5]".utf8))) == nil)
        #expect((try? JSONValue.parse(Data("[-0e5]".utf8))) != nil, "the same number without its fraction is read")
    }

    @Test("only a number starting 0.<digits>e counts as that form")
    func detection() {
        for yes in ["[-0.00e5]", "0.5E1", "{\"a\": 0.25e-3}"] { #expect(JSONRequestFuzz.holdsZeroFractionExponent(Array(yes.utf8)), "\(yes)") }
        for no in ["10.5e3", "0.5", "[1.0e5]", "0e5", "[2.0, 0.]", "\"0.e\""] { #expect(!JSONRequestFuzz.holdsZeroFractionExponent(Array(no.utf8)), "\(no)") }
    }

    @Test("the input the fuzzer found, and an ordinary body, pass")
    func invariant() {
        #expect(JSONRequestFuzz.run(Array(#"[{"customerID": "7590-VHVEG", "eharges": null}, -0.00e5]"#.utf8)) == nil)
        #expect(JSONRequestFuzz.run(Array("[1, 2]".utf8)) == nil)
    }
}
