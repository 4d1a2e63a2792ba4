/// What the UI loop needs from a terminal: its size, a file descriptor to wait on for input, the keys (and
/// resizes) typed since the last call, and a way to show a frame.
public protocol TerminalBackend: AnyObject {
    var width: Int { get }
    var height: Int { get }
    /// Readable when keys are waiting.
    var inputFD: Int32 { get }
    /// Keys and resize events available now, without blocking.
    func readEvents() -> [DashboardEvent]
    /// Re-reads the window size from the kernel after SIGWINCH; returns the new size.
    func refreshSize() -> (width: Int, height: Int)
    /// Shows `grid`, sending only what changed since the previous frame. Returns the cells changed.
    @discardableResult
    func draw(_ grid: CellGrid) -> Int
    /// Restores the terminal (cursor, modes, screen).
    func shutdown()
    /// Rings the bell (or flashes, where the terminal has no bell).
    func bell()
}

extension TerminalBackend {
    /// Backends without a bell (tests) ignore it.
    public func bell() {}
}
