@preconcurrency import CNCurses
import Foundation

/// Locale set-up for the terminal: adopt the user's locale (ncursesw needs it for wide characters) and tell
/// whether it is UTF-8, which decides between block/braille graphics and ASCII.
public enum TerminalLocale {
    /// Calls `setlocale(LC_ALL, "")` and returns the charset to draw with.
    @discardableResult
    public static func adopt(forceASCII: Bool = false) -> Charset {
        setlocale(LC_ALL, "")
        if forceASCII { return .ascii }
        guard let cs = nl_langinfo(nl_item(CODESET)) else { return .ascii }
        let name = String(cString: cs).uppercased()
        return name == "UTF-8" || name == "UTF8" ? .utf8 : .ascii
    }
}
