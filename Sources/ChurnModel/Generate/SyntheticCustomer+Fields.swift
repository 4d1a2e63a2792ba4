extension SyntheticCustomer {
    /// The customer's values as text, in `TelcoSchema.header` order; without the Churn value when not labelled.
    public func fieldValues(labelled: Bool = true) -> [String] {
        var values = [customerID]
        values.reserveCapacity(TelcoSchema.features.count + 2)
        values.append(contentsOf: TelcoSchema.features.map { featureValue($0.name) ?? "" })
        if labelled { values.append(churned ? "Yes" : "No") }
        return values
    }

    /// The feature values keyed by column name (no id, no label): the body of a scoring request.
    public var featureValues: [String: String] {
        Dictionary(uniqueKeysWithValues: TelcoSchema.features.map { ($0.name, featureValue($0.name) ?? "") })
    }

    /// The text of one feature column, nil for a name that is not a Telco feature.
    public func featureValue(_ column: String) -> String? {
        switch column {
        case "gender": gender.text
        case "SeniorCitizen": seniorCitizen ? "1" : "0"
        case "Partner": yesNo(partner)
        case "Dependents": yesNo(dependents)
        case "tenure": String(tenure)
        case "PhoneService": yesNo(phoneService)
        case "MultipleLines": phoneService ? yesNo(multipleLines) : "No phone service"
        case "InternetService": internetService.text
        case "OnlineSecurity": internetAddOn(onlineSecurity)
        case "OnlineBackup": internetAddOn(onlineBackup)
        case "DeviceProtection": internetAddOn(deviceProtection)
        case "TechSupport": internetAddOn(techSupport)
        case "StreamingTV": internetAddOn(streamingTV)
        case "StreamingMovies": internetAddOn(streamingMovies)
        case "Contract": contract.text
        case "PaperlessBilling": yesNo(paperlessBilling)
        case "PaymentMethod": paymentMethod.text
        case "MonthlyCharges": ChargeText.string(cents: monthlyChargeCents)
        // The real file leaves a single space for customers with nothing billed yet.
        case "TotalCharges": totalChargeCents.map { ChargeText.string(cents: $0) } ?? " "
        default: nil
        }
    }

    private func yesNo(_ flag: Bool) -> String { flag ? "Yes" : "No" }

    private func internetAddOn(_ flag: Bool) -> String {
        internetService == .none ? "No internet service" : yesNo(flag)
    }
}
