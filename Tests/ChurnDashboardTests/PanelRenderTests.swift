@testable import ChurnDashboard
@testable import ChurnModel
import ChurnMonitor
import Foundation
import Testing

/// Every panel at 80x24 and 160x48, in colour and monochrome, UTF-8 and ASCII.
@Suite("Panels render")
struct PanelRenderTests {
    static let cases: [(Panel, Int, Int, Charset, ColorMode)] = Panel.allCases.flatMap { p in
        Fixtures.sizes.flatMap { size in Fixtures.looks.map { (p, size.0, size.1, $0.0, $0.1) } }
    }

    @Test("each panel, size and look: ASCII stays ASCII, monochrome has no colour, colour uses it", arguments: cases)
    func everyPanel(_ c: (Panel, Int, Int, Charset, ColorMode)) {
        var s = Fixtures.state(width: c.1, height: c.2, panel: c.0, charset: c.3, color: c.4)
        if c.0 == .batch { s.batch.phase = .finished(Fixtures.plan, Fixtures.batchSummary()) }
        let g = Fixtures.render(s)
        #expect(g.width == c.1 && g.height == c.2)
        #expect(g.row(0).contains("[\(c.0.rawValue) \(c.0.title)]"))
        if c.3 == .ascii { #expect(!g.hasNonASCII) } else { #expect(g.hasNonASCII) }
        if c.4 == .mono { #expect(g.rolesUsed == [.plain]) } else { #expect(g.rolesUsed.count > 2) }
        // Nothing the panel writes may run off its box: the right border column is intact on every body row.
        let border: Unicode.Scalar = c.3 == .ascii ? "|" : "│"
        let bodyRows = (2..<(c.2 - 3))
        #expect(bodyRows.contains { g[c.1 - 1, $0].scalar == border })
    }

    @Test("overview: the eight tiles with their headline numbers")
    func overview() {
        let g = Fixtures.render(Fixtures.state())
        for title in ["Requests", "Latency", "Predictions", "High risk", "Model F1", "Data drift", "Errors 5xx", "Memory"] {
            #expect(g.text.contains(title), "tile \(title)")
        }
        #expect(g.text.contains("25.0 req/s"))
        #expect(g.text.contains("120 ms"))
        #expect(g.text.contains("120,000 total"))
        #expect(g.text.contains("0.62 F1"))
        #expect(g.text.contains("38.0 MiB RSS"))
        #expect(g.text.contains("2.0% 1m"))
    }

    @Test("overview tiles carry a severity symbol that differs by state, in every look", arguments: Fixtures.looks)
    func overviewSeverity(_ look: (Charset, ColorMode)) {
        let g = Fixtures.render(Fixtures.state(charset: look.0, color: look.1))
        let glyphs = Glyphs.of(look.0)
        // Drift alert firing → crit; latency alert pending → warn; requests → ok.
        let drift = g.find("Data drift")!, latency = g.find("Latency")!, requests = g.find("Requests")!
        #expect(g.row(drift.y).unicodeScalars.contains(glyphs.crit))
        #expect(g.row(latency.y).dropFirst(latency.x).prefix(20).unicodeScalars.contains(glyphs.warn))
        #expect(g.row(requests.y).prefix(20).unicodeScalars.contains(glyphs.ok))
        #expect(Set([glyphs.ok, glyphs.warn, glyphs.crit]).count == 3)
        if look.1 == .mono {
            // Without colour, critical stands out by reverse video.
            let row = drift.y
            let critCell = (0..<g.width).first { g[$0, row].scalar == glyphs.crit && $0 > drift.x }!
            #expect(g[critCell, row].style.isReverse)
        }
    }

    @Test("drift below its minimum rows says it is warming up instead of showing a reassuring 0.00")
    func driftWarmingUp() {
        var snap = Fixtures.snapshot()
        snap.drift.rows = 59
        snap.drift.score = 0
        snap.alerts = []
        var s = Fixtures.state()
        s = DashboardUpdate.update(s, .snapshot(.success(snap), at: Fixtures.t0)).state
        let g = Fixtures.render(s)
        #expect(g.text.contains("warming up"))
        #expect(g.text.contains("59 of 200 rows"))
        let title = g.find("Data drift")!
        #expect(g.row(title.y).dropFirst(title.x).prefix(20).unicodeScalars.contains(Glyphs.utf8.unknown))
    }

    @Test("large screens draw the high-risk count big")
    func bigNumbers() {
        let small = Fixtures.render(Fixtures.state())
        let large = Fixtures.render(Fixtures.state(width: 160, height: 48))
        #expect(!large.text.contains("12,000"), "drawn as big digits, not plain text")
        #expect(large.text.contains("at high risk") || large.text.contains("customers at high risk"))
        #expect(small.text.contains("Requests"))
    }

    @Test("drift: bars sorted worst first, with 0.10 and 0.25 marks")
    func drift() {
        let g = Fixtures.render(Fixtures.state(panel: .drift))
        let order = ["Contract", "InternetService", "PaperlessBilling", "TotalCharges"].map { g.rowIndex(of: $0)! }
        #expect(order == order.sorted())
        #expect(Set(order).count == 4)
        #expect(g.text.contains("0.410"))
        let header = g.rowIndex(of: "feature  ")!
        #expect(g.row(header).contains("0.10") && g.row(header).contains("0.25"))
        #expect(g.text.contains("data_drift_score 0.17"))
        // Severity by symbol: over the threshold is crit, moderate is warn.
        let contract = g.row(g.rowIndex(of: "Contract")!)
        #expect(contract.unicodeScalars.contains(Glyphs.utf8.crit))
        let paperless = g.row(g.rowIndex(of: "PaperlessBilling")!)
        #expect(paperless.unicodeScalars.contains(Glyphs.utf8.warn))
    }

    @Test("drift: the filter keeps matching features only")
    func driftFilter() {
        var s = Fixtures.state(panel: .drift)
        s.filters[.drift] = "charges"
        let g = Fixtures.render(s)
        #expect(g.text.contains("TotalCharges") && g.text.contains("MonthlyCharges"))
        #expect(!g.text.contains("Contract "))
    }

    @Test("model: version, learner, test metrics, thresholds and importances in order")
    func model() {
        let g = Fixtures.render(Fixtures.state(panel: .model))
        #expect(g.text.contains("gbt-20261128-3f9a1c2e"))
        #expect(g.text.contains("AUC"))
        #expect(g.text.contains("medium ≥ 0.40, high ≥ 0.70"))
        #expect(g.rowIndex(of: "tenure")! < g.rowIndex(of: "MonthlyCharges")!)
        #expect(g.text.contains("live F1"))
    }

    @Test("alerts: firing first; ok, pending and firing differ by symbol and word", arguments: Fixtures.looks)
    func alerts(_ look: (Charset, ColorMode)) {
        let g = Fixtures.render(Fixtures.state(panel: .alerts, charset: look.0, color: look.1))
        let glyphs = Glyphs.of(look.0)
        let firing = g.rowIndex(of: "FIRING")!, pending = g.rowIndex(of: "PENDING")!
        let ok = g.rowIndex(of: "HighErrorRate")!
        #expect(firing < pending && pending < ok)
        #expect(g.row(firing).contains("DataDrift"))
        #expect(g.row(firing).unicodeScalars.first { $0 != " " && $0 != glyphs.vertical } == glyphs.crit)
        #expect(g.row(pending).unicodeScalars.first { $0 != " " && $0 != glyphs.vertical } == glyphs.warn)
        #expect(g.row(ok).unicodeScalars.first { $0 != " " && $0 != glyphs.vertical } == glyphs.ok)
        #expect(g.row(firing).contains("09:50:00"))
        #expect(g.row(firing).contains("10m00s"))
        #expect(g.text.contains("1 firing, 1 pending"))
        // Transitions, newest first.
        let t1 = g.rowIndex(of: "ok \(glyphs.arrow)")!, t2 = g.rowIndex(of: "pending \(glyphs.arrow)")!
        #expect(t1 < t2)
    }

    @Test("batch: the browser lists directories before CSV files, with sizes")
    func batchBrowser() {
        var s = Fixtures.state(panel: .batch)
        s = DashboardUpdate.update(s, .directoryListed(DirectoryListing(directory: "in", entries: [
            DirectoryEntry(name: "archive", isDirectory: true),
            DirectoryEntry(name: "customers.csv", isDirectory: false, size: 2_048_000),
        ]))).state
        let g = Fixtures.render(s)
        #expect(g.rowIndex(of: "../")! < g.rowIndex(of: "archive/")!)
        #expect(g.rowIndex(of: "archive/")! < g.rowIndex(of: "customers.csv")!)
        #expect(g.text.contains("2.0 MiB"))
        #expect(g.text.contains("in /in"))
    }

    @Test("batch: a running batch shows rows, percent, speed and ETA")
    func batchRunning() {
        var s = Fixtures.state(panel: .batch)
        s.batch.phase = .running(Fixtures.plan, BatchProgress(rows: 50_000, bytesRead: 500, totalBytes: 1000, elapsed: 2))
        let g = Fixtures.render(s)
        #expect(g.text.contains("50.0%"))
        #expect(g.text.contains("rows 50,000"))
        #expect(g.text.contains("25,000 rows/s"))
        #expect(g.text.contains("ETA 2s"))
        #expect(g.text.contains("Esc cancels"))
    }

    @Test("drift: below the rows the rule needs, no score and no severities, 'warming up' with the count")
    func driftPanelWarmingUp() {
        var snap = Fixtures.snapshot()
        snap.drift.rows = 40
        snap.drift.minimumRows = 120
        snap.drift.score = 0
        var s = Fixtures.state(panel: .drift)
        s = DashboardUpdate.update(s, .snapshot(.success(snap), at: Fixtures.t0)).state
        let g = Fixtures.render(s)
        #expect(g.text.contains("data_drift_score not measured: warming up"))
        #expect(g.text.contains("40 of 120 rows"))
        let contract = g.row(g.rowIndex(of: "Contract")!)
        #expect(!contract.unicodeScalars.contains(Glyphs.utf8.crit), "no verdict on a handful of rows")
    }

    @Test("batch: no rejects file when nothing was rejected; blank lines and unmeasured drift are said")
    func batchCleanTinyFile() {
        var s = Fixtures.state(width: 160, height: 48, panel: .batch)
        var summary = Fixtures.batchSummary()
        summary.rejected = 0
        summary.rejectsPath = nil
        summary.blankLines = 2
        summary.drift.rows = 5
        summary.drift.minimumRows = 120
        summary.drift.score = 0
        s.batch.phase = .finished(Fixtures.plan, summary)
        let g = Fixtures.render(s)
        #expect(g.text.contains("none written"))
        #expect(g.text.contains("2 blank lines skipped"))
        #expect(g.text.contains("drift not measured: 5 rows, needs 120"))
    }

    @Test("batch: results show the risk mix, rejects, drift, output path and the top table")
    func batchResults() {
        var s = Fixtures.state(panel: .batch)
        s.batch.phase = .finished(Fixtures.plan, Fixtures.batchSummary())
        let g = Fixtures.render(s)
        #expect(g.text.contains("rejected 10"))
        #expect(g.text.contains("/data/customers.scored.csv"))
        #expect(g.text.contains("/data/customers.rejects.csv"))
        #expect(g.text.contains("drift 0.50 (tenure 0.31"))
        #expect(g.text.contains("0.950"))
        #expect(g.rowIndex(of: "0.950")! < g.rowIndex(of: "0.940")!)
        #expect(g.text.contains("more"))
        s.batch.sort = .id
        let byID = Fixtures.render(s)
        #expect(byID.text.contains("sorted by id"))
        #expect(byID.rowIndex(of: "0000-ABCDE")! < byID.rowIndex(of: "0037-ABCDE")!)
    }

    @Test("batch: a file that fails the header check says why")
    func batchRejected() {
        var s = Fixtures.state(panel: .batch)
        s.batch.phase = .rejected(file: "x.csv", message: "x.csv:1: header lacks required column 'tenure'")
        let g = Fixtures.render(s)
        #expect(g.text.contains("cannot score x.csv"))
        #expect(g.text.contains("lacks required column 'tenure'"))
    }

    @Test("snapshot frames are the console's own rendering, as text")
    func snapshotFrame() {
        let text = SnapshotFrame.render(Fixtures.snapshot(), sourceName: "file x.json", panel: .drift, width: 100, height: 30,
                                        charset: .ascii, now: Fixtures.t0, timeZone: Fixtures.utc)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 30)
        #expect(lines.allSatisfy { $0.count <= 100 })
        #expect(text.contains("[2 Drift]"))
        #expect(text.allSatisfy { $0.isASCII })
    }
}
