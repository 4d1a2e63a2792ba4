/// Whether the console may use colour. Monochrome still has bold, reverse, dim and symbols.
public enum ColorMode: String, Sendable, Equatable {
    case color
    case mono

    /// Colour unless `NO_COLOR` is set to anything non-empty (https://no-color.org) or `TERM=dumb`.
    public static func fromEnvironment(_ env: [String: String]) -> ColorMode {
        if let v = env["NO_COLOR"], !v.isEmpty { return .mono }
        if env["TERM"] == "dumb" { return .mono }
        return .color
    }
}
