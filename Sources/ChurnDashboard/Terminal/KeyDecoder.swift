@preconcurrency import CNCurses

/// Turns what ncurses' `wget_wch` returns into console keys.
enum KeyDecoder {
    /// `isFunctionKey` is true when `wget_wch` returned KEY_CODE_YES.
    static func decode(_ code: UInt32, isFunctionKey: Bool) -> DashboardEvent? {
        if isFunctionKey {
            switch Int32(code) {
            case KEY_UP: return .key(.up)
            case KEY_DOWN: return .key(.down)
            case KEY_LEFT: return .key(.left)
            case KEY_RIGHT: return .key(.right)
            case KEY_NPAGE: return .key(.pageDown)
            case KEY_PPAGE: return .key(.pageUp)
            case KEY_HOME: return .key(.home)
            case KEY_END: return .key(.end)
            case KEY_BACKSPACE: return .key(.backspace)
            case KEY_BTAB: return .key(.backTab)
            case KEY_ENTER: return .key(.enter)
            case KEY_RESIZE: return .resize(width: -1, height: -1)
            default: return nil
            }
        }
        switch code {
        case 3: return .key(.interrupt)
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 27: return .key(.escape)
        case 8, 127: return .key(.backspace)
        case 0..<32: return nil
        default:
            guard let s = Unicode.Scalar(code) else { return nil }
            return .key(.char(Character(s)))
        }
    }
}
