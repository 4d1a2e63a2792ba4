import ChurnModel
import Foundation
import Testing
@testable import ChurnMonitor

@Suite("Monitor across model swaps and canaries")
struct ModelSwapTests {
    static let base = try! ModelArtifact.bundledDefault()

    /// The bundled model under another version id; `coarser` also drops most drift edges of the first numeric
    /// column, so its drift bins have another layout (as a retrained model's would).
    static func engine(_ version: String, coarser: Bool = false) -> ScoringEngine {
        var a = base
        a.version = version
        if coarser, let c = a.reference.columns.firstIndex(where: { $0.kind == .numeric }) {
            a.reference.columns[c].edges = Array(a.reference.columns[c].edges.prefix(1))
            a.reference.columns[c].proportions = [0.4, 0.4, 0.2]
        }
        return ScoringEngine(artifact: a)
    }

    static func events(_ engine: ScoringEngine, count: Int, risk: RiskLevel, prefix: String) -> [PredictionEvent] {
        let tally = DriftTally(profile: engine.artifact.reference, layout: engine.layout)
        // Every column in its missing bin: valid bins in this model's layout.
        var bins: [Int] = []
        var offset = 0
        for column in engine.artifact.reference.columns {
            bins.append(offset + column.missingBin)
            offset += column.binCount
        }
        precondition(offset == tally.binCount)
        return (0..<count).map { PredictionEvent(customerID: "\(prefix)\($0)", probability: risk == .high ? 0.9 : 0.1,
                                                  risk: risk, bins: bins, modelVersion: engine.version) }
    }

    @Test("a swap starts the new model's drift and risk mix afresh, keeps service totals, and keeps old counters exported")
    func swap() throws {
        let old = Self.engine("old-1")
        let new = Self.engine("new-2", coarser: true)
        let monitor = try ServiceMonitor(engine: old, store: nil)
        monitor.recordPredictions(Self.events(old, count: 300, risk: .high, prefix: "a"))
        monitor.recordRequest(method: "POST", path: "/predict", status: 200, seconds: 0.001, modelVersion: "old-1")
        #expect(monitor.snapshot().drift.rows == 300)

        monitor.follow(ModelLineup(production: LoadedModel(engine: new)))
        monitor.recordReload(ModelReload(at: Date(), version: "new-2", result: .ok, reason: nil))
        // A request that started on the old model finishes after the swap: it counts for the old model only,
        // and its bins (another layout) stay out of the new model's drift.
        monitor.recordPredictions(Self.events(old, count: 5, risk: .high, prefix: "late"))
        monitor.recordPredictions(Self.events(new, count: 10, risk: .low, prefix: "b"))
        monitor.recordRequest(method: "POST", path: "/predict", status: 200, seconds: 0.001, modelVersion: "new-2")

        let snap = monitor.snapshot()
        #expect(snap.model?.version == "new-2")
        #expect(snap.totals.predictions == 315)
        #expect(snap.drift.rows == 10)
        let models = try #require(snap.models)
        #expect(models.map(\.version) == ["new-2"])
        #expect(models[0].byRisk == ["low": 10, "medium": 0, "high": 0])
        #expect(snap.reloads?.ok == 1)

        let text = monitor.prometheusText()
        #expect(text.contains("predictions_total{model_version=\"old-1\",risk_level=\"high\"} 305"))
        #expect(text.contains("predictions_total{model_version=\"new-2\",risk_level=\"low\"} 10"))
        #expect(text.contains("http_requests_total{method=\"POST\",model_version=\"old-1\",path=\"/predict\",status=\"200\"} 1"))
        #expect(text.contains("churn_model_info{learner=\"logistic\",role=\"production\",version=\"new-2\"} 1"))
        #expect(!text.contains("churn_model_info{learner=\"logistic\",role=\"production\",version=\"old-1\"}"))
        #expect(text.contains("churn_model_reload_total{result=\"ok\"} 1"))
        #expect(text.contains("churn_feature_bin_total{bin=\"0\",feature=\"gender\",model_version=\"new-2\"}"))
    }

    @Test("rolling back to a model served before continues its counters instead of restarting them")
    func rollbackContinues() throws {
        let a = Self.engine("a")
        let b = Self.engine("b")
        let monitor = try ServiceMonitor(engine: a, store: nil)
        monitor.recordPredictions(Self.events(a, count: 4, risk: .low, prefix: "x"))
        monitor.follow(ModelLineup(production: LoadedModel(engine: b)))
        monitor.follow(ModelLineup(production: LoadedModel(engine: a)))
        monitor.recordPredictions(Self.events(a, count: 2, risk: .low, prefix: "y"))
        #expect(monitor.prometheusText().contains("predictions_total{model_version=\"a\",risk_level=\"low\"} 6"))
    }

    @Test("a canary has its own share, traffic, risk mix and F1 beside production; promoting it keeps its numbers")
    func canary() throws {
        let prod = Self.engine("prod")
        let cand = Self.engine("cand")
        let production = LoadedModel(engine: prod)
        let candidate = LoadedModel(engine: cand)
        let monitor = try ServiceMonitor(model: production, store: nil)
        monitor.follow(ModelLineup(production: production, canary: candidate, canaryShare: 0.1))
        monitor.recordPredictions(Self.events(prod, count: 30, risk: .low, prefix: "p"))
        monitor.recordPredictions(Self.events(cand, count: 25, risk: .high, prefix: "c"))
        for i in 0..<3 { monitor.recordRequest(method: "POST", path: "/predict", status: 200, seconds: 0.002, modelVersion: i < 2 ? "prod" : "cand") }
        // Outcomes join each model's own predictions: the canary said "churn" for c*, production "no" for p*.
        for i in 0..<25 { _ = try monitor.recordFeedback(customerID: "c\(i)", churned: true) }
        for i in 0..<25 { _ = try monitor.recordFeedback(customerID: "p\(i)", churned: true) }

        let models = try #require(monitor.snapshot().models)
        #expect(models.map(\.role) == [.production, .canary])
        #expect(models.map(\.share) == [0.9, 0.1])
        #expect(models[0].predictions == 30 && models[1].predictions == 25)
        #expect(models[1].riskShare("high") == 1)
        #expect(models[0].window(60)?.requests == 2 && models[1].window(60)?.requests == 1)
        #expect(models[1].f1.value == 1)
        #expect(models[0].f1.value == 0)
        let text = monitor.prometheusText()
        #expect(text.contains("churn_model_traffic_share{model_version=\"cand\"} 0.1"))
        #expect(text.contains("churn_model_info{learner=\"logistic\",role=\"canary\",version=\"cand\"} 1"))

        monitor.follow(ModelLineup(production: candidate))
        let after = try #require(monitor.snapshot().models)
        #expect(after.map(\.version) == ["cand"])
        #expect(after[0].role == .production && after[0].share == 1)
        #expect(after[0].predictions == 25)
    }

    @Test("the monitor counts for the router's own model objects, one track per model, and retires those that leave")
    func followsLineup() throws {
        let a = LoadedModel(engine: Self.engine("a"))
        let b = LoadedModel(engine: Self.engine("b"))
        let c = LoadedModel(engine: Self.engine("c"))
        let monitor = try ServiceMonitor(model: a, store: nil)
        monitor.follow(ModelLineup(production: a, canary: b, canaryShare: 0.2))
        monitor.follow(ModelLineup(production: a, canary: c, canaryShare: 0.3))
        monitor.state.withLock { s in
            #expect(s.production.model === a)
            #expect(s.canary?.model === c)
            #expect(s.canary?.share == 0.3)
            #expect(abs(s.production.share - 0.7) < 1e-12)
            #expect(s.retired.map(\.version) == ["b"])
        }
        // The canary promoted: its track (the same model object) becomes production; the old production retires.
        monitor.follow(ModelLineup(production: c))
        monitor.state.withLock { s in
            #expect(s.production.model === c)
            #expect(s.production.role == .production && s.production.share == 1)
            #expect(s.canary == nil)
            #expect(s.retired.map(\.version) == ["b", "a"])
        }
    }

    @Test("the store compares drift only with bins written after the production model changed")
    func storeReference() throws {
        let dir = NSTemporaryDirectory() + "churn-swap-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try MetricsStore(path: dir + "/m.sqlite")
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let old = Self.engine("old")
        let new = Self.engine("new", coarser: true)
        let monitor = try ServiceMonitor(engine: old, store: store, now: t0)
        monitor.recordPredictions(Self.events(old, count: 250, risk: .low, prefix: "a"), now: t0)
        try monitor.flush(now: t0.addingTimeInterval(1))
        #expect(try MetricsStore(readingAt: dir + "/m.sqlite").snapshot(now: t0.addingTimeInterval(2)).drift.rows == 250)

        monitor.follow(ModelLineup(production: LoadedModel(engine: new)), now: t0.addingTimeInterval(25))
        monitor.recordPredictions(Self.events(new, count: 7, risk: .low, prefix: "b"), now: t0.addingTimeInterval(25))
        monitor.recordPredictions(Self.events(new, count: 9, risk: .low, prefix: "c"), now: t0.addingTimeInterval(31))
        try monitor.flush(now: t0.addingTimeInterval(32))
        let snap = try MetricsStore(readingAt: dir + "/m.sqlite").snapshot(now: t0.addingTimeInterval(33))
        #expect(snap.model?.version == "new")
        // The swap's own interval mixes layouts and is left out; the next one is the new model's alone.
        #expect(snap.drift.rows == 9)
        #expect(snap.totals.predictions == 266)
    }
}
