/// Where one feature of a foreign model takes its value from in a ChurnOps customer row.
public enum FeatureBinding: Equatable, Sendable {
    /// A numeric column, as is (`tenure`).
    case numeric(column: String)
    /// The 0/1 indicator of one category of a categorical column (pandas `get_dummies`: `Contract_Month-to-month`).
    case indicator(column: String, category: String)
    /// The integer code of a categorical column's value, as the library was fed it (pandas `category` dtype,
    /// XGBoost `enable_categorical`, LightGBM categorical features): `codes[category]` is the library's code.
    case codes(column: String, codes: [String: Int])

    public var column: String {
        switch self {
        case .numeric(let c), .indicator(let c, _), .codes(let c, _): return c
        }
    }

    /// How `churn import` describes it: `tenure`, `Contract=Month-to-month`, `code(Contract)`.
    public var text: String {
        switch self {
        case .numeric(let c): return c
        case .indicator(let c, let k): return "\(c)=\(k)"
        case .codes(let c, _): return "code(\(c))"
        }
    }
}
