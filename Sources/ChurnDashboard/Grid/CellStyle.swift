/// Text attributes of a cell, independent of the terminal: emphasis plus a colour role.
public struct CellStyle: Sendable, Equatable, Hashable {
    /// Emphasis that works on every terminal, colour or not.
    public struct Attributes: OptionSet, Sendable, Hashable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        public static let bold = Attributes(rawValue: 1)
        public static let reverse = Attributes(rawValue: 2)
        public static let dim = Attributes(rawValue: 4)
        public static let underline = Attributes(rawValue: 8)
    }

    public var attributes: Attributes
    public var role: ColorRole

    public init(_ attributes: Attributes = [], role: ColorRole = .plain) {
        self.attributes = attributes
        self.role = role
    }

    public static let plain = CellStyle()
    public static let bold = CellStyle(.bold)
    public static let reverse = CellStyle(.reverse)
    public static let dim = CellStyle(.dim)

    public func adding(_ extra: Attributes) -> CellStyle {
        CellStyle(attributes.union(extra), role: role)
    }

    public func with(role: ColorRole) -> CellStyle {
        CellStyle(attributes, role: role)
    }

    public var isBold: Bool { attributes.contains(.bold) }
    public var isReverse: Bool { attributes.contains(.reverse) }
    public var isDim: Bool { attributes.contains(.dim) }
}
