@preconcurrency import CNCurses
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Locale set-up for the terminal: adopt the user's locale (ncursesw needs it for wide characters) and tell
/// whether it is UTF-8, which decides between block/braille graphics and ASCII.
public enum TerminalLocale {
    /// Calls `setlocale(LC_ALL, "")` and returns the charset to draw with. Numbers stay in the C locale: the
    /// console formats them with printf (`String(cFormat:)`), which would otherwise write "0,42" under de_DE.
    @discardableResult
    public static func adopt(forceASCII: Bool = false) -> Charset {
        setlocale(LC_ALL, "")
        setlocale(LC_NUMERIC, "C")
        if forceASCII { return .ascii }
        guard let cs = nl_langinfo(nl_item(CODESET)) else { return .ascii }
        let name = String(cString: cs).uppercased()
        return name == "UTF-8" || name == "UTF8" ? .utf8 : .ascii
    }
}
