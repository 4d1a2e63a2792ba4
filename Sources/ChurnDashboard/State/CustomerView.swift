import ChurnModel

/// One customer of the highest-risk table opened with Enter: the row from the results, then its explanation
/// once the runtime has computed it.
public struct CustomerView: Sendable, Equatable {
    public var customer: ScoredCustomer
    public var explanation: CustomerExplanation?
    public var error: String?
    /// First input row shown (the list scrolls with j/k).
    public var scroll = 0

    public init(customer: ScoredCustomer, explanation: CustomerExplanation? = nil, error: String? = nil) {
        self.customer = customer
        self.explanation = explanation
        self.error = error
    }
}
