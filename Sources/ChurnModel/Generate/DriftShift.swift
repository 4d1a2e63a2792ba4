/// What a drift level changes in the generated population.
///
/// Level 0 is the training distribution; 1 is a market that has clearly moved: more month-to-month contracts
/// and fibre, newer customers, higher prices, more electronic-check payers. Every shift grows linearly with the
/// level, so PSI against level 0 grows roughly with its square: small levels barely register, level 1 puts
/// Contract, tenure, PaymentMethod, MonthlyCharges and TotalCharges well past the 0.25 "major shift" mark.
/// The churn process itself does not change; churn rises because more customers have what drives it.
struct DriftShift: Sendable, Equatable {
    /// 0...1.
    let level: Double

    /// Clamps `level` into 0...1 (NaN counts as 0), so a replayer can pass any computed value.
    init(level: Double) {
        self.level = level.isNaN ? 0 : min(1, max(0, level))
    }

    /// Share of the customers who would take DSL or no internet that take fibre instead.
    var fibreUptake: Double { 0.45 * level }
    /// Share of the customers who would sign a one- or two-year contract that stay month-to-month.
    var monthToMonthUptake: Double { 0.55 * level }
    /// Power applied to the tenure quantile: above 1 pulls every contract's tenure towards its short end.
    var tenureExponent: Double { 1 + level }
    /// Multiplies list prices (and the charge range).
    var priceFactor: Double { 1 + 0.08 * level }
    /// Added to the payment-method logits.
    var electronicCheckPull: Double { 0.9 * level }
    var mailedCheckPull: Double { -0.6 * level }
    var creditCardPull: Double { 0.3 * level }
}
