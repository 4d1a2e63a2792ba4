/// The rejects view of the Batch panel: what was read, the selected row, and the filter being typed.
public struct RejectsView: Sendable, Equatable {
    /// Nil while the rejects file is being read.
    public var list: RejectList?
    /// Why the rejects file could not be read.
    public var error: String?
    public var selected = 0
    public var filter = ""
    /// Keys go to the filter (after `/`) until Enter or Esc.
    public var typing = false

    public init(list: RejectList? = nil, error: String? = nil) {
        self.list = list
        self.error = error
    }

    /// The rows that match the filter, in file order.
    public var visible: [RejectRow] { (list?.rows ?? []).filter { $0.matches(filter) } }
}
