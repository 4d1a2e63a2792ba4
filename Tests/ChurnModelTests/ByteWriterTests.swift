import Testing
@testable import ChurnModel

@Suite("Output bytes of a scored line")
struct ByteWriterTests {
    @Test("a probability has six decimals, rounded half to even from its value times a million, clamped to [0, 1]")
    func probabilities() {
        var values: [Double] = [0, 1, 0.5, 1e-7, 4.9999e-7, 5e-7, 1.5e-6, 2.5e-6, 0.0000125, 0.9999995, 0.99999949, 0.9999996,
                                0.123456499999, 0.1234565, -0.2, 1.7, .leastNonzeroMagnitude, 1 - .ulpOfOne]
        var random = SystemRandomNumberGenerator()
        for _ in 0..<200_000 { values.append(Double.random(in: 0...1, using: &random)) }
        // Exact ties at every millionth: k + 0.5 millionths for a spread of k.
        for k in stride(from: 0, to: 1_000_000, by: 997) { values.append((Double(k) + 0.5) / 1_000_000) }
        for p in values {
            let w = ByteWriter()
            w.appendProbability(p)
            let clamped = min(max(p, 0), 1)
            let micros = Int((clamped * 1_000_000).rounded(.toNearestOrEven))
            let digits = String(micros)
            let expected = micros == 1_000_000 ? "1.000000" : "0." + String(repeating: "0", count: 6 - digits.count) + digits
            #expect(String(decoding: w.bytes, as: UTF8.self) == expected, "\(p)")
        }
    }

    @Test("a field is quoted exactly when it holds a comma, quote, CR or LF, wherever it is")
    func quoting() {
        let plain = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn".utf8)
        for length in 0...plain.count {
            for special in [UInt8(0x2C), 0x22, 0x0A, 0x0D, nil] {
                for at in special == nil ? [0] : Array(0..<max(length, 1)) where length > 0 || special == nil {
                    var field = Array(plain.prefix(length))
                    if let special { field[at] = special }
                    let w = ByteWriter()
                    field.withUnsafeBufferPointer { w.appendCSVField($0, neutralizeFormula: false) }
                    let quoted = special != nil
                    var expected: [UInt8] = quoted ? [0x22] : []
                    for b in field { if b == 0x22 { expected.append(0x22) }; expected.append(b) }
                    if quoted { expected.append(0x22) }
                    #expect(w.bytes == expected, "length \(length), \(String(describing: special)) at \(at)")
                }
            }
        }
    }
}
