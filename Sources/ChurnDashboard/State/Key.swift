/// A key press, decoded from the terminal by the backend.
public enum Key: Sendable, Equatable, Hashable {
    case char(Character)
    case enter
    case escape
    case tab
    case backTab
    case backspace
    case up
    case down
    case left
    case right
    case pageUp
    case pageDown
    case home
    case end
    /// Ctrl-C typed while the terminal is in raw mode.
    case interrupt
}
