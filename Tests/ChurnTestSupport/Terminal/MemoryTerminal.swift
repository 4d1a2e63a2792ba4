import ChurnDashboard
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A terminal in memory for `DashboardRuntime`: tests type keys and resizes into it from any thread, and read the
/// last frame drawn as text. Input wakes the runtime's `poll` through a real pipe, as a keyboard would.
public final class MemoryTerminal: TerminalBackend, @unchecked Sendable {
    private let state: Locked<(width: Int, height: Int, pending: [DashboardEvent], screen: CellGrid?, frames: Int, shutDown: Bool)>
    private let pipeFDs: [Int32]

    public init(width: Int = 120, height: Int = 40) {
        state = Locked((width, height, [], nil, 0, false))
        var fds: [Int32] = [0, 0]
        _ = pipe(&fds)
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        pipeFDs = fds
    }

    deinit { for fd in pipeFDs { close(fd) } }

    // MARK: What tests do

    /// Types `keys`, in order.
    public func type(_ keys: Key...) {
        state.withLock { $0.pending += keys.map { DashboardEvent.key($0) } }
        wake()
    }

    /// Types each character of `text` as a key.
    public func type(_ text: String) {
        state.withLock { $0.pending += text.map { DashboardEvent.key(.char($0)) } }
        wake()
    }

    /// Resizes the window (the runtime sees it as a resize event, as after SIGWINCH).
    public func resize(width: Int, height: Int) {
        state.withLock { s in
            s.width = width
            s.height = height
            s.pending.append(.resize(width: width, height: height))
        }
        wake()
    }

    /// The last frame drawn, as text (nil before the first).
    public var screen: String? { state.withLock { $0.screen?.text } }
    /// The last frame drawn.
    public var lastFrame: CellGrid? { state.withLock { $0.screen } }
    /// Frames drawn so far.
    public var frames: Int { state.withLock { $0.frames } }
    /// True once the runtime has restored the terminal.
    public var isShutDown: Bool { state.withLock { $0.shutDown } }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(pipeFDs[1], &byte, 1)
    }

    // MARK: TerminalBackend

    public var width: Int { state.withLock { $0.width } }
    public var height: Int { state.withLock { $0.height } }
    public var inputFD: Int32 { pipeFDs[0] }

    public func readEvents() -> [DashboardEvent] {
        var drain = [UInt8](repeating: 0, count: 256)
        while read(pipeFDs[0], &drain, drain.count) > 0 {}
        return state.withLock { s in
            defer { s.pending.removeAll() }
            return s.pending
        }
    }

    public func refreshSize() -> (width: Int, height: Int) { state.withLock { ($0.width, $0.height) } }

    @discardableResult
    public func draw(_ grid: CellGrid) -> Int {
        state.withLock { s in
            let changed = GridDiff.changes(from: s.screen, to: grid).count
            s.screen = grid
            s.frames += 1
            return changed
        }
    }

    public func shutdown() { state.withLock { $0.shutDown = true } }
}
