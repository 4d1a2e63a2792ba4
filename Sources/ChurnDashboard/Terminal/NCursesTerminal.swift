@preconcurrency import CNCurses
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The ncurses backend: owns the terminal while the console runs.
///
/// Frames arrive as cell grids; only cells that differ from the previous frame are put into ncurses' virtual
/// screen, and one `doupdate` per frame sends ncurses' own minimal difference to the terminal. Nothing is
/// cleared between frames, so a steady screen costs only its changing numbers.
public final class NCursesTerminal: TerminalBackend {
    private let screen: OpaquePointer
    private let window: UnsafeMutablePointer<WINDOW>
    private var previous: CellGrid?
    /// Whether colour pairs are in use (the terminal has colour and the theme wants it).
    public let hasColor: Bool
    public private(set) var width: Int
    public private(set) var height: Int
    public var inputFD: Int32 { STDIN_FILENO }

    /// Why the terminal could not be opened.
    public struct OpenError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Opens the terminal on stdin/stdout. `wantColor` false keeps it monochrome (NO_COLOR).
    public init(wantColor: Bool) throws {
        guard let term = ProcessInfo.processInfo.environment["TERM"], !term.isEmpty else {
            throw OpenError(description: "TERM is not set; set it to your terminal type (e.g. TERM=xterm-256color)")
        }
        guard let scr = newterm(nil, stdout, stdin) else {
            throw OpenError(description: "ncurses cannot drive terminal type '\(term)' (no terminfo entry?)")
        }
        screen = scr
        _ = set_term(scr)
        window = churn_stdscr()!
        _ = cbreak()
        _ = noecho()
        _ = nonl()
        _ = keypad(window, true)
        _ = nodelay(window, true)
        _ = intrflush(window, false)
        _ = leaveok(window, true)
        _ = scrollok(window, false)
        _ = set_escdelay(25)
        _ = curs_set(0)
        if wantColor && has_colors() {
            _ = start_color()
            _ = use_default_colors()
            let colors: [(ColorRole, Int16)] = [(.ok, Int16(COLOR_GREEN)), (.warn, Int16(COLOR_YELLOW)), (.crit, Int16(COLOR_RED)),
                                                (.accent, Int16(COLOR_CYAN)), (.title, Int16(COLOR_BLUE)), (.muted, -1)]
            for (role, fg) in colors { _ = init_pair(Int16(role.rawValue), fg, -1) }
            hasColor = true
        } else {
            hasColor = false
        }
        width = Int(churn_cols())
        height = Int(churn_lines())
    }

    public func refreshSize() -> (width: Int, height: Int) {
        var ws = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0, ws.ws_row > 0 {
            if Int(ws.ws_col) != width || Int(ws.ws_row) != height {
                _ = resizeterm(Int32(ws.ws_row), Int32(ws.ws_col))
            }
        }
        width = Int(churn_cols())
        height = Int(churn_lines())
        previous = nil
        return (width, height)
    }

    public func readEvents() -> [DashboardEvent] {
        var out: [DashboardEvent] = []
        var ch: wint_t = 0
        // Bounded, so a flood of input (a paste) cannot starve drawing.
        for _ in 0..<256 {
            let rc = wget_wch(window, &ch)
            if rc == ERR { break }
            guard let e = KeyDecoder.decode(UInt32(ch), isFunctionKey: rc == KEY_CODE_YES) else { continue }
            if case .resize = e {
                let size = refreshSize()
                out.append(.resize(width: size.width, height: size.height))
            } else {
                out.append(e)
            }
        }
        return out
    }

    @discardableResult
    public func draw(_ grid: CellGrid) -> Int {
        let changes = GridDiff.changes(from: previous, to: grid)
        for c in changes {
            _ = churn_put_cell(window, Int32(c.y), Int32(c.x), wchar_t(bitPattern: c.cell.scalar.value),
                               attributes(c.cell.style), hasColor ? Int16(c.cell.style.role.rawValue) : 0)
        }
        previous = grid
        if !changes.isEmpty {
            _ = wnoutrefresh(window)
            _ = doupdate()
        }
        return changes.count
    }

    func attributes(_ style: CellStyle) -> attr_t {
        var a = churn_a_normal()
        if style.attributes.contains(.bold) { a |= churn_a_bold() }
        if style.attributes.contains(.reverse) { a |= churn_a_reverse() }
        if style.attributes.contains(.dim) { a |= churn_a_dim() }
        if style.attributes.contains(.underline) { a |= churn_a_underline() }
        return a
    }

    public func bell() {
        _ = beep()
    }

    public func shutdown() {
        _ = curs_set(1)
        _ = endwin()
        delscreen(screen)
    }
}
