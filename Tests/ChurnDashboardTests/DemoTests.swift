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
                case .categorical: #expect(column.categories.contains(v.string ?? ""), "\(column.name)=\(v)")
                case .numeric: #expect(v.number?.isFinite == true)
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

    @Test("the script drifts within the first minute, holds past the alert hold, recovers after three and repeats")
    func schedule() {
        let s = DemoScript()
        #expect(s.drift(at: 10) == 0 && s.phase(at: 10) == .calm)
        #expect(s.drift(at: 45) > 0 && s.drift(at: 45) < 1 && s.phase(at: 45) == .drifting)
        // Full drift from one minute on, for longer than the drift window plus the alert's hold.
        let full = stride(from: 60.0, to: 180, by: 1).filter { s.drift(at: $0) == 1 }.count
        #expect(full >= DemoScript.driftWindow + Int(DemoScript.alertHold))
        #expect(s.agreement(at: 120) < 0.5 && s.agreement(at: 10) > 0.8)
        #expect(s.drift(at: 195) > 0 && s.drift(at: 195) < 1 && s.phase(at: 195) == .recovering)
        #expect(s.drift(at: 240) == 0)
        #expect(s.drift(at: 120 + DemoScript.period) == 1, "it repeats")
        #expect((0..<600).allSatisfy { s.rate(at: Double($0)) > 0 })
    }
}
