/// Writes generated customers as CSV rows straight into a byte buffer (the hot path of `churn generate`).
///
/// Every field is a `StaticString` copied with one memcpy or digits written by hand, so a row costs no
/// allocation. The text must match `SyntheticCustomer.fieldValues`; a test checks that it does.
struct CustomerCSVEncoder: Sendable {
    let idPrefix: [UInt8]
    let labelled: Bool

    /// An upper bound on one row's bytes.
    var maxRowBytes: Int { idPrefix.count + 320 }

    /// The header line, with the Churn column only when labelled.
    var headerLine: [UInt8] {
        let names = labelled ? TelcoSchema.header : Array(TelcoSchema.header.dropLast())
        return Array((names.joined(separator: ",") + "\n").utf8)
    }

    /// Writes one row (with its newline) at `start`; returns the bytes written. `start` must have `maxRowBytes` room.
    @inline(__always)
    func write(_ c: SyntheticCustomer, idNumber: UInt64, to start: UnsafeMutablePointer<UInt8>) -> Int {
        var p = start
        @inline(__always) func put(_ s: StaticString) {
            p.update(from: s.utf8Start, count: s.utf8CodeUnitCount)
            p += s.utf8CodeUnitCount
        }
        @inline(__always) func yesNo(_ flag: Bool) { put(flag ? "Yes," : "No,") }
        @inline(__always) func addOn(_ flag: Bool) {
            if c.internetService == .none { put("No internet service,") } else { yesNo(flag) }
        }
        idPrefix.withUnsafeBufferPointer { prefix in
            if let base = prefix.baseAddress { p.update(from: base, count: prefix.count) }
            p += prefix.count
        }
        CustomerIDPermutation.write(idNumber, to: p)
        p += CustomerIDPermutation.textLength
        put(c.gender == .male ? ",Male," : ",Female,")
        put(c.seniorCitizen ? "1," : "0,")
        yesNo(c.partner)
        yesNo(c.dependents)
        p += ChargeText.writeInteger(c.tenure, to: p)
        put(",")
        yesNo(c.phoneService)
        if c.phoneService { yesNo(c.multipleLines) } else { put("No phone service,") }
        switch c.internetService {
        case .fiberOptic: put("Fiber optic,")
        case .dsl: put("DSL,")
        case .none: put("No,")
        }
        addOn(c.onlineSecurity)
        addOn(c.onlineBackup)
        addOn(c.deviceProtection)
        addOn(c.techSupport)
        addOn(c.streamingTV)
        addOn(c.streamingMovies)
        switch c.contract {
        case .monthToMonth: put("Month-to-month,")
        case .oneYear: put("One year,")
        case .twoYear: put("Two year,")
        }
        yesNo(c.paperlessBilling)
        switch c.paymentMethod {
        case .electronicCheck: put("Electronic check,")
        case .mailedCheck: put("Mailed check,")
        case .bankTransfer: put("Bank transfer (automatic),")
        case .creditCard: put("Credit card (automatic),")
        }
        p += ChargeText.write(cents: c.monthlyChargeCents, to: p)
        put(",")
        if let total = c.totalChargeCents { p += ChargeText.write(cents: total, to: p) } else { put(" ") }
        if labelled { put(c.churned ? ",Yes\n" : ",No\n") } else { put("\n") }
        return p - start
    }
}
