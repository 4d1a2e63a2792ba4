/// What a cell's colour means; the terminal backend maps roles to colours (or ignores them in monochrome).
public enum ColorRole: UInt8, Sendable, Equatable, CaseIterable {
    case plain
    case ok
    case warn
    case crit
    case accent
    case title
    case muted
}
