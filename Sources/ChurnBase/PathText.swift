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

/// File path arithmetic on plain strings, as full Foundation's `NSString` path methods did it, with the same results
/// so every printed path stays as it was (FoundationEssentials has them only on URL, which resolves relative paths
/// against the working directory and may add a slash).
public enum PathText {
    /// "~" and "~/x" under $HOME (else the user's home from the password database), "~user/x" under that user's
    /// home; trailing slashes dropped when a tilde was expanded. Anything else, or an unknown user, unchanged.
    public static func expandingTilde(_ path: String) -> String {
        guard path.hasPrefix("~") else { return path }
        let afterTilde = path.dropFirst()
        let user = afterTilde.prefix { $0 != "/" }
        let rest = afterTilde.dropFirst(user.count)
        guard let home = user.isEmpty ? currentHome() : home(of: String(user)) else { return path }
        var result = home + rest
        while result.count > 1 && result.hasSuffix("/") { result.removeLast() }
        return result
    }

    /// The last component: "a/b.csv" → "b.csv", "a/b/" → "b", "/" → "/".
    public static func lastComponent(_ path: String) -> String {
        let trimmed = strippingTrailingSlashes(path)
        if trimmed == "/" { return "/" }
        guard let slash = trimmed.lastIndex(of: "/") else { return trimmed }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// The path without its last component: "/a/b" → "/a", "/a" → "/", "a" → "", "a/b/" → "a".
    public static func parent(_ path: String) -> String {
        let trimmed = strippingTrailingSlashes(path)
        if trimmed == "/" { return "/" }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        let parent = strippingTrailingSlashes(String(trimmed[..<slash]))
        return parent.isEmpty ? "/" : parent
    }

    private static func strippingTrailingSlashes(_ path: String) -> String {
        var p = path
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        return p
    }

    private static func currentHome() -> String? {
        if let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty { return home }
        guard let pw = getpwuid(getuid()), let dir = pw.pointee.pw_dir else { return nil }
        return String(cString: dir)
    }

    private static func home(of user: String) -> String? {
        guard let pw = getpwnam(user), let dir = pw.pointee.pw_dir else { return nil }
        return String(cString: dir)
    }
}
