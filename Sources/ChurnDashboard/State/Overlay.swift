/// A box drawn over the current panel that takes the keys until it closes.
public enum Overlay: Sendable, Equatable {
    case help
    /// `q` while a batch runs: quitting would discard it.
    case confirmQuit(reason: String)
    /// `P` or `B` on the Model panel: changing what production serves needs a yes.
    case confirmModel(ModelAction)
}
