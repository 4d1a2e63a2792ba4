/// The Telco customer schema: the default for generated data, the shipped model and the API's request body.
public enum TelcoSchema {
    public static let idColumn = "customerID"
    public static let targetColumn = "Churn"

    static let yesNo = ["No", "Yes"]
    static let internetDependent = ["No", "Yes", "No internet service"]

    /// Feature columns in file order, with every category the real data uses.
    public static let features: [ColumnSchema] = [
        ColumnSchema(name: "gender", kind: .categorical, categories: ["Male", "Female"]),
        ColumnSchema(name: "SeniorCitizen", kind: .numeric),
        ColumnSchema(name: "Partner", kind: .categorical, categories: yesNo),
        ColumnSchema(name: "Dependents", kind: .categorical, categories: yesNo),
        ColumnSchema(name: "tenure", kind: .numeric),
        ColumnSchema(name: "PhoneService", kind: .categorical, categories: yesNo),
        ColumnSchema(name: "MultipleLines", kind: .categorical, categories: ["No", "Yes", "No phone service"]),
        ColumnSchema(name: "InternetService", kind: .categorical, categories: ["Fiber optic", "DSL", "No"]),
        ColumnSchema(name: "OnlineSecurity", kind: .categorical, categories: internetDependent),
        ColumnSchema(name: "OnlineBackup", kind: .categorical, categories: internetDependent),
        ColumnSchema(name: "DeviceProtection", kind: .categorical, categories: internetDependent),
        ColumnSchema(name: "TechSupport", kind: .categorical, categories: internetDependent),
        ColumnSchema(name: "StreamingTV", kind: .categorical, categories: internetDependent),
        ColumnSchema(name: "StreamingMovies", kind: .categorical, categories: internetDependent),
        ColumnSchema(name: "Contract", kind: .categorical, categories: ["Month-to-month", "Two year", "One year"]),
        ColumnSchema(name: "PaperlessBilling", kind: .categorical, categories: ["Yes", "No"]),
        ColumnSchema(name: "PaymentMethod", kind: .categorical, categories: [
            "Electronic check", "Mailed check", "Bank transfer (automatic)", "Credit card (automatic)",
        ]),
        ColumnSchema(name: "MonthlyCharges", kind: .numeric),
        ColumnSchema(name: "TotalCharges", kind: .numeric),
    ]

    public static let schema = Schema(
        idColumn: idColumn, targetColumn: targetColumn, positiveLabel: "Yes", negativeLabel: "No", features: features)

    /// The full header of a labelled Telco file.
    public static var header: [String] { [idColumn] + features.map(\.name) + [targetColumn] }
}
