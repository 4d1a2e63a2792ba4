/// A view opened over the Batch panel's results: the rejects of the last run (`e`), or one customer (Enter).
public enum BatchDetail: Sendable, Equatable {
    case rejects(RejectsView)
    case customer(CustomerView)
}
