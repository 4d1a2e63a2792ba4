import ChurnDashboard
import ChurnModel
import ChurnMonitor
import Foundation
import Testing

/// What a kiosk and a small terminal need: a firing alert marked without colour, a status line that gives way
/// instead of being cut, histories that grow with the tile, and the detail views drawn at 80x24.
@Suite("Kiosk, status line and detail rendering")
struct KioskRenderTests {
    static let longSource = "embedded, API on 127.0.0.1:8000 (demo)"

    func state(width: Int, height: Int, source: String = KioskRenderTests.longSource, color: ColorMode = .color,
               kiosk: Bool = false) -> DashboardState {
        var config = Fixtures.config(color: color, kiosk: kiosk)
        config.sourceName = source
        var s = DashboardState(config: config, width: width, height: height, now: Fixtures.t0)
        s = DashboardUpdate.start(s).state
        s = DashboardUpdate.update(s, .snapshot(.success(Fixtures.snapshot()), at: Fixtures.t0)).state
        return s
    }

    @Test("the status line at 80, 100 and 132 columns: the source whole and the model last, never a cut",
          arguments: [80, 100, 132])
    func statusLine(_ width: Int) {
        let g = Fixtures.render(state(width: width, height: 24))
        let line = g.row(22).trimmingCharacters(in: .whitespaces)
        #expect(line.hasSuffix("gbt-20261128-3f9a1c2e"), "cut: \(line)")
        #expect(line.contains("LIVE"))
        #expect(line.contains(KioskRenderTests.longSource), "the source is where a client goes; it stays whole: \(line)")
        if width >= 132 {
            #expect(line.contains("every 1s") && line.contains("updated 10:00:00"))
        }
    }

    @Test("the abbreviation order: short forms, then the interval and the update time dropped, then the source squeezed")
    func abbreviationOrder() {
        let parts = [StatusText.Part("source-name-that-is-long", squeeze: true),
                     StatusText.Part("every 1s", short: "1s", shortenRank: 1, dropRank: 0),
                     StatusText.Part("updated 10:00:00", short: "10:00:00", dropRank: 1),
                     StatusText.Part("model m1")]
        let fit = { (w: Int) in StatusText.fit(parts, separator: " · ", width: w, ellipsis: "…") }
        #expect(fit(100) == "source-name-that-is-long · every 1s · updated 10:00:00 · model m1")
        #expect(fit(60) == "source-name-that-is-long · every 1s · 10:00:00 · model m1")
        #expect(fit(54) == "source-name-that-is-long · 1s · 10:00:00 · model m1")
        #expect(fit(50) == "source-name-that-is-long · 10:00:00 · model m1")
        #expect(fit(45) == "source-name-that-is-long · model m1")
        #expect(fit(35) == "source-name-that-is-long · model m1")
        let squeezed = { (w: Int) in StatusText.squeezed("source-name-that-is-long", to: w, ellipsis: "…") }
        #expect(fit(30) == squeezed(19) + " · model m1")
        #expect(squeezed(19) == "source-na…t-is-long")
        #expect(fit(10) == squeezed(14) + " · model m1") // nothing left to give: the caller cuts the end
        #expect(StatusText.squeezed("abcdefghij", to: 7, ellipsis: "…") == "abc…hij")
    }

    @Test("a firing alert turns its tile's borders to inverse video with FIRING and its name, in colour and mono",
          arguments: [ColorMode.color, .mono])
    func firingTile(_ color: ColorMode) throws {
        let g = Fixtures.render(state(width: 80, height: 24, color: color))
        // The fixture's DataDrift alert fires; HighLatencyP99 is only pending.
        let mark = try #require(g.find("FIRING DataDrift"))
        #expect(g[mark.x, mark.y].style.isReverse)
        let title = try #require(g.find("Data drift"))
        #expect(g[title.x, title.y].style.isReverse)
        // The whole bottom border of the tile is the bar, not just the words.
        #expect(g[title.x - 2, mark.y].style.isReverse)
        #expect(!g.text.contains("FIRING HighLatency"))
        let latency = try #require(g.find("Latency"))
        #expect(!g[latency.x, latency.y].style.isReverse)
    }

    @Test("no firing alert, no mark")
    func quietTiles() {
        var snap = Fixtures.snapshot()
        snap.alerts = snap.alerts.map { var a = $0; a.state = .ok; return a }
        var s = state(width: 80, height: 24)
        s = DashboardUpdate.update(s, .snapshot(.success(snap), at: Fixtures.t0)).state
        #expect(!Fixtures.render(s).text.contains("FIRING"))
    }

    /// Rows of the Requests tile that hold sparkline cells (braille dots).
    func historyRows(_ g: CellGrid, width: Int) -> Int {
        (0..<g.height).filter { y in
            let row = Array(g.row(y).unicodeScalars.prefix(width / 4))
            return row.contains { (0x2801...0x28FF).contains($0.value) }
        }.count
    }

    @Test("histories grow with the tile at kiosk sizes (132x43, 160x50, 200x60) instead of leaving it half empty")
    func tallHistories() {
        let small = historyRows(Fixtures.render(state(width: 80, height: 24)), width: 80)
        var last = small
        for (w, h) in [(132, 43), (160, 50), (200, 60)] {
            let rows = historyRows(Fixtures.render(state(width: w, height: h, kiosk: true)), width: w)
            #expect(rows > 8, "\(w)x\(h): \(rows) rows of history")
            #expect(rows >= last)
            last = rows
        }
    }

    @Test("the rejects view at 80x24 shows line, field and reason, and the selected record in full")
    func rejectsView() throws {
        var s = Fixtures.state(panel: .batch)
        s.batch.phase = .finished(Fixtures.plan, Fixtures.batchSummary())
        s.batch.detail = .rejects(RejectsView(list: BatchDetailTests.rejects))
        let g = Fixtures.render(s)
        #expect(g.contains("Rejects of customers.csv"))
        #expect(g.contains("'abc' is not a number"))
        #expect(g.contains("tenure"))
        #expect(g.contains("line 4, column 31, field tenure (not_a_number)"))
        #expect(g.contains("record: 0002-X,Male,0,abc"))
        #expect(KeyBar.keys(s).contains { $0 == ("/", "filter") })
    }

    @Test("the customer view at 80x24 shows the probability, every input it has room for, and bars both ways")
    func customerView() throws {
        var s = Fixtures.state(panel: .batch)
        let c = ScoredCustomer(id: "0037-ABCDE", probability: 0.953, risk: .high, line: 39)
        let e = CustomerExplanation(id: c.id, file: "customers.csv", line: 39, modelVersion: "gbt-test", method: "tree_shap",
                                    probability: 0.953, risk: .high, baseValue: -1, margin: 3,
                                    inputs: [.init(column: "tenure", value: "2", readAs: "2", contribution: 1.5),
                                             .init(column: "Contract", value: "Weekly", readAs: "unseen", contribution: 0.5),
                                             .init(column: "TechSupport", value: "Yes", readAs: "Yes", contribution: -0.75)])
        s.batch.phase = .finished(Fixtures.plan, Fixtures.batchSummary())
        s.batch.detail = .customer(CustomerView(customer: c, explanation: e))
        let g = Fixtures.render(s)
        #expect(g.contains("Customer 0037-ABCDE (line 39)"))
        #expect(g.contains("probability 0.953"))
        #expect(g.contains("exact TreeSHAP"))
        #expect(g.contains("Weekly (unseen)"))
        // Strongest first: tenure, then TechSupport (its magnitude beats Contract's), then Contract.
        let rows = ["tenure", "TechSupport", "Contract"].map { g.rowIndex(of: $0 + " ") ?? -1 }
        #expect(rows[0] < rows[1] && rows[1] < rows[2])
        let tenure = Array(g.row(rows[0])), support = Array(g.row(rows[1]))
        // The box's borders are the first and last "│"; the chart's centre line is the one between.
        let centre = try #require(tenure.indices.filter { tenure[$0] == "│" }.dropFirst().first)
        #expect(support[centre] == "│")
        #expect(tenure[centre + 1] == "█" && tenure[centre - 1] == " ", "a positive share grows right of the centre")
        #expect(support[centre - 1] == "█" && support[centre + 1] == " ", "a negative one grows left")
        #expect(String(tenure).contains("+1.50") && String(support).contains("-0.75"))
    }
}
