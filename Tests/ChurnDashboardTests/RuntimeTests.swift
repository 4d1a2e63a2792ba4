import ChurnDashboard
import ChurnMonitor
import ChurnTestSupport
import Foundation
import Testing

/// `DashboardRuntime`'s real loop (poll, key and wake-up handling, drawing only on change) driven through an
/// in-memory terminal: keys go in as a keyboard would send them, and the assertions read the frames drawn.
@Suite("Dashboard runtime", .serialized, .timeLimit(.minutes(2)))
struct RuntimeTests {
    /// Starts the loop on its own thread; the box receives the final state when it returns.
    static func start(_ terminal: MemoryTerminal, source: any SnapshotSource, config: DashboardConfig? = nil) -> Locked<DashboardState?> {
        let finished = Locked<DashboardState?>(nil)
        nonisolated(unsafe) let runtime = DashboardRuntime(source: source, terminal: terminal, queue: EventQueue(), model: nil,
                                                           root: nil, pollTimeout: 5)
        let config = config ?? DashboardConfig(sourceName: source.name, theme: Theme(charset: .ascii, color: .mono))
        Thread {
            let state = runtime.run(config: config)
            finished.withLock { $0 = state }
        }.start()
        return finished
    }

    static func fixed(_ snapshot: MonitorSnapshot) -> FixedSnapshotSource {
        FixedSnapshotSource(name: "fixed", result: .success(snapshot))
    }

    @Test("the first poll reaches the screen; digits switch panels; q ends the loop with the state on screen")
    func keysSwitchPanels() async throws {
        let terminal = MemoryTerminal(width: 120, height: 40)
        let snapshot = Fixtures.snapshot(at: Date())
        let finished = Self.start(terminal, source: Self.fixed(snapshot))
        let version = try #require(snapshot.model?.version)
        #expect(await poll(until: { terminal.screen?.contains(version) == true }))
        #expect(terminal.screen?.contains("data_drift_score") == false)

        terminal.type("2")
        #expect(await poll(until: { terminal.screen?.contains("Data drift: PSI per feature") == true }))
        terminal.type("q")
        #expect(await poll(until: { finished.withLock { $0 != nil } }))
        let state = try #require(finished.withLock { $0 })
        #expect(state.panel == .drift)
        #expect(state.quitting)
    }

    @Test("a window below the minimum shows what is needed, and the panels come back when it grows")
    func resize() async throws {
        let terminal = MemoryTerminal(width: 120, height: 40)
        let finished = Self.start(terminal, source: Self.fixed(Fixtures.snapshot(at: Date())))
        #expect(await poll(until: { terminal.frames > 0 }))
        terminal.resize(width: 30, height: 8)
        #expect(await poll(until: { terminal.screen?.contains("Terminal too small: 30x8.") == true }))
        #expect(terminal.lastFrame?.width == 30)
        terminal.resize(width: 120, height: 40)
        #expect(await poll(until: { terminal.screen?.contains("Overview") == true && terminal.lastFrame?.width == 120 }))
        terminal.type("q")
        #expect(await poll(until: { finished.withLock { $0 != nil } }))
    }

    @Test("a source that cannot be read is reported on screen in its own words, and the loop keeps running")
    func failingSource() async throws {
        let terminal = MemoryTerminal(width: 120, height: 40)
        let source = FixedSnapshotSource(name: "broken", result: .failure(SourceFailure("cannot reach http://x: connection refused")))
        let finished = Self.start(terminal, source: source)
        #expect(await poll(until: { terminal.screen?.contains("connection refused") == true }))
        terminal.type("3")
        #expect(await poll(until: { terminal.frames > 1 && terminal.screen?.contains("connection refused") == true }))
        #expect(finished.withLock { $0 == nil })
        terminal.type("q")
        #expect(await poll(until: { finished.withLock { $0 != nil } }))
        #expect(finished.withLock { $0?.panel } == .model)
    }
}
