/// One generated customer of the Telco schema, with typed fields and the truth of whether it churned.
///
/// Service fields are plain flags; the schema's third values ("No phone service", "No internet service")
/// come from `phoneService` and `internetService` when the customer is written out, so a customer cannot be
/// inconsistent. `fieldValues(labelled:)` and `featureValues` give the text a file or a scoring request carries.
public struct SyntheticCustomer: Sendable, Equatable {
    /// The row index the customer was generated for.
    public var index: Int
    public var customerID: String
    public var gender: Gender
    public var seniorCitizen: Bool
    public var partner: Bool
    public var dependents: Bool
    /// Months with the company, 0...72 (0: joined this month, not billed yet).
    public var tenure: Int
    public var phoneService: Bool
    /// Only with phone service (written "No phone service" otherwise).
    public var multipleLines: Bool
    public var internetService: InternetService
    /// The six internet add-ons; all false without internet (written "No internet service").
    public var onlineSecurity: Bool
    public var onlineBackup: Bool
    public var deviceProtection: Bool
    public var techSupport: Bool
    public var streamingTV: Bool
    public var streamingMovies: Bool
    public var contract: Contract
    public var paperlessBilling: Bool
    public var paymentMethod: PaymentMethod
    /// Monthly charge in cents (a multiple of 5, like the real data's 29.85).
    public var monthlyChargeCents: Int
    /// Charges to date in cents; nil for a customer not billed yet (tenure 0), written as a single space.
    public var totalChargeCents: Int?
    /// This customer's probability of churning under the generating process, including a factor no column shows.
    public var churnProbability: Double
    public var churned: Bool

    public var monthlyCharges: Double { Double(monthlyChargeCents) / 100 }
    public var totalCharges: Double? { totalChargeCents.map { Double($0) / 100 } }
}
