extension SyntheticCustomer {
    /// The `gender` column.
    public enum Gender: Int, Sendable, CaseIterable {
        case male, female

        public var text: String { self == .male ? "Male" : "Female" }
    }

    /// The `InternetService` column.
    public enum InternetService: Int, Sendable, CaseIterable {
        case fiberOptic, dsl, none

        public var text: String {
            switch self {
            case .fiberOptic: "Fiber optic"
            case .dsl: "DSL"
            case .none: "No"
            }
        }
    }

    /// The `Contract` column.
    public enum Contract: Int, Sendable, CaseIterable {
        case monthToMonth, oneYear, twoYear

        public var text: String {
            switch self {
            case .monthToMonth: "Month-to-month"
            case .oneYear: "One year"
            case .twoYear: "Two year"
            }
        }
    }

    /// The `PaymentMethod` column.
    public enum PaymentMethod: Int, Sendable, CaseIterable {
        case electronicCheck, mailedCheck, bankTransfer, creditCard

        public var text: String {
            switch self {
            case .electronicCheck: "Electronic check"
            case .mailedCheck: "Mailed check"
            case .bankTransfer: "Bank transfer (automatic)"
            case .creditCard: "Credit card (automatic)"
            }
        }
    }
}
