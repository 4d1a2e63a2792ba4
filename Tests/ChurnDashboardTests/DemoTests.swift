@testable import ChurnDashboard
@testable import ChurnDemo
@testable import ChurnModel
import Foundation
import Testing

@Suite("Demo traffic")
struct DemoTests {
    let model = try! ModelArtifact.load(path: BatchRootTests.fixtureModel())

    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state
        }
    }

    @Test("generated customers carry every feature column with a value the model accepts")
    func wellFormed() throws {
        let gen = DemoCustomers(model: model)
        var rng = Seeded(state: 7)
        for i in 0..<200 {
            let c = gen.customer(id: "DEMO-\(i)", drift: Double(i % 3) / 2, using: &rng)
            for column in model.schema.features {
                let v = try #require(c[column.name], "\(column.name) missing")
                switch column.kind {
                case .categorical: #expect(column.categories.contains(v as? String ?? ""), "\(column.name)=\(v)")
                case .numeric: #expect((v as? Double)?.isFinite == true)
                }
            }
        }
    }

    @Test("without drift the customers follow the reference bins; with drift the drifting columns move up")
    func driftMovesDistribution() {
        let gen = DemoCustomers(model: model)
        var rng = Seeded(state: 11)
        let column = gen.drifting.sorted().first!
        let profile = model.reference.columns[column]
        func meanBin(_ drift: Double) -> Double {
            (0..<3000).map { _ in Double(gen.sample(profile, tilt: drift, using: &rng)) }.reduce(0, +) / 3000
        }
        let usable = profile.kind == .numeric ? profile.binCount - 1 : profile.binCount - 2
        let expected = (0..<usable).reduce(0.0) { $0 + Double($1) * profile.proportions[$1] }
            / max(1e-9, profile.proportions.prefix(usable).reduce(0, +))
        #expect(abs(meanBin(0) - expected) < 0.15 * Double(usable))
        #expect(meanBin(1) > meanBin(0))
    }

    @Test("drift starts after a minute and is full after four; the rate stays positive")
    func schedule() {
        let t = DemoTraffic(base: URL(string: "http://127.0.0.1:1")!, model: model, token: nil)
        #expect(t.drift(at: 30) == 0)
        #expect(t.drift(at: 180) > 0 && t.drift(at: 180) < 1)
        #expect(t.drift(at: 240) == 1)
        #expect((0..<600).allSatisfy { DemoTraffic.rate(at: Double($0)) > 0 })
    }
}
