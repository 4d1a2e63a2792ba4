import Testing
@testable import ChurnModel

@Suite("Category index")
struct CategoryIndexTests {
    static func below(_ rng: inout SplitMix64, _ n: Int) -> Int { Int(rng.next() % UInt64(n)) }

    static func lookup(_ index: CategoryIndex, _ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { index.index(of: $0) }
    }

    @Test("every category of sets with shared prefixes and suffixes, lengths 1 to 40, is found at its place; any one-byte change, a byte more or less, is not")
    func exactMatchesOnly() {
        var rng = SplitMix64(seed: 11)  // seeded, so a failure names a reproducible case
        for round in 0..<300 {
            // Categories that differ in one byte only, at the start, middle or end, so every word of the key matters.
            let base = (0..<(1 + Self.below(&rng, 40))).map { _ in UInt8(0x20 + Self.below(&rng, 95)) }
            var set: [[UInt8]] = [base]
            for _ in 0..<(1 + Self.below(&rng, round % 7 == 0 ? 300 : 12)) {
                var v = set[Self.below(&rng, set.count)]
                switch Self.below(&rng, 3) {
                case 0: v[Self.below(&rng, v.count)] = UInt8(0x20 + Self.below(&rng, 95))
                case 1: v.append(UInt8(0x20 + Self.below(&rng, 95)))
                default: if v.count > 1 { v.removeLast() }
                }
                if !set.contains(v) { set.append(v) }
            }
            let strings = set.map { String(decoding: $0, as: UTF8.self) }
            let index = CategoryIndex(categories: strings)
            for (k, s) in strings.enumerated() { #expect(Self.lookup(index, Array(s.utf8)) == k, "round \(round): \(s)") }
            for s in set {
                for position in 0..<s.count {
                    var v = s
                    v[position] ^= 0x01
                    #expect(Self.lookup(index, v) == set.firstIndex(of: v), "round \(round): \(v) changed at \(position)")
                }
                #expect(Self.lookup(index, s + [0x41]) == set.firstIndex(of: s + [0x41]))
                #expect(Self.lookup(index, Array(s.dropLast())) == set.firstIndex(of: Array(s.dropLast())))
            }
        }
    }

    @Test("Telco's categories, the long ones included, map to their places; empty and unknown texts to nothing")
    func telco() {
        let payment = ["Electronic check", "Mailed check", "Bank transfer (automatic)", "Credit card (automatic)"]
        let index = CategoryIndex(categories: payment)
        for (k, p) in payment.enumerated() { #expect(Self.lookup(index, Array(p.utf8)) == k) }
        #expect(Self.lookup(index, Array("Bank transfer (automatiq)".utf8)) == nil)
        #expect(Self.lookup(index, Array("Bank transfex (automatic)".utf8)) == nil)
        #expect(Self.lookup(index, Array("Bank tranXfer (automatic)".utf8)) == nil)
        #expect(Self.lookup(index, []) == nil)
        #expect(Self.lookup(index, Array("Electronic check ".utf8)) == nil)
    }

    @Test("thousands of long categories that differ only in the middle spread over the table, and each is found")
    func longCategoriesSpread() {
        // Same first and last eight bytes for all: hashed on their ends alone, every one of these fell into a single
        // chain (a lookup then walked up to 20,000 slots).
        let categories = (0..<20_000).map { "Customer segment number \($0) (legacy)" }
        let index = CategoryIndex(categories: categories)
        #expect(index.longestProbe <= 16, "longest probe \(index.longestProbe)")
        for k in stride(from: 0, to: categories.count, by: 7) {
            #expect(Self.lookup(index, Array(categories[k].utf8)) == k)
        }
        #expect(Self.lookup(index, Array("Customer segment number 20000 (legacy)".utf8)) == nil)
        #expect(Self.lookup(index, Array("Customer segment numbers 1 (legacy)".utf8)) == nil)
    }
}
