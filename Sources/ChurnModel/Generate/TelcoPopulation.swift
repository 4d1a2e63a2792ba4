#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How generated customers are distributed: a small causal model of a telco's customer base.
///
/// Order of draws: who the customer is (gender, senior) → internet service (seniors favour fibre) → contract
/// (fibre customers stay month-to-month more, customers without internet sign long contracts) → tenure given
/// the contract → household (partners grow with tenure; dependents mostly with a partner) → phone lines →
/// internet add-ons (more with tenure; two hidden tastes make protection add-ons go together and the two
/// streaming services go together) → billing and payment → charges built from the price list → churn.
///
/// The numbers are calibrated against the IBM Telco file (7,043 rows): its marginals, contract by internet
/// service, tenure by contract, add-on uptake by internet service, payment by contract, and its price list
/// (a least-squares fit of MonthlyCharges on the services reproduces it to the cent, with ≈$1 of noise).
enum TelcoPopulation {
    static let seniorShare = 0.162
    static let maleShare = 0.505
    /// (fibre, DSL) shares by senior citizen status; the rest have no internet.
    static let internetShares: [(fibre: Double, dsl: Double)] = [(0.384, 0.366), (0.728, 0.227)]
    /// (month-to-month, one year) shares by internet service (fibre, DSL, none); the rest sign two years.
    static let contractShares: [(monthToMonth: Double, oneYear: Double)] = [(0.687, 0.174), (0.505, 0.235), (0.343, 0.239)]
    /// Kumaraswamy (a, b) shapes of tenure / 72 by contract, fitted (maximum likelihood) to the real file:
    /// month-to-month piles up at 1 month, one-year is broad, two-year piles up at 72 months.
    static let tenureShapes: [(a: Double, b: Double)] = [(0.468, 1.505), (1.651, 1.195), (2.119, 0.430)]
    /// Power on the tenure quantile by internet service (fibre, DSL, none), fitted with the shapes: on the same
    /// contract fibre customers have stayed longer and customers without internet shorter, which is why the
    /// real file's fibre share is flat across tenure although fibre customers mostly sit on month-to-month.
    static let tenurePower = [0.656, 1.0, 1.697]
    static let maxTenure = 72
    /// Two-year customers who signed this month and have no bill yet (the real file's blank TotalCharges).
    static let newTwoYearShare = 0.0065
    /// DSL customers without a phone line (fibre and no-internet customers all have one in the real file).
    static let dslWithoutPhoneShare = 0.282
    /// Log-odds of a second line at average tenure, by internet service.
    static let multipleLinesBase = [0.645, -0.572, -1.518]
    /// Add-on log-odds at average tenure: (fibre, DSL), in column order Security, Backup, Device, Tech, TV, Movies.
    static let addOnBase: [(fibre: Double, dsl: Double)] = [
        (-1.242, -0.094), (-0.349, -0.278), (-0.296, -0.371), (-1.198, -0.109), (0.380, -0.655), (0.392, -0.640),
    ]
    /// How strongly each add-on follows its hidden taste (protection for the first four, streaming for the last two).
    static let protectionLoading = 0.8
    static let streamingLoading = 1.4
    /// The price list in dollars, read off the real file.
    enum Price {
        static let phone = 20.0
        static let extraLines = 5.0
        static let dsl = 25.0
        static let fibre = 50.0
        static let protectionAddOn = 5.0
        static let streamingAddOn = 10.0
        static let range = 18.25...118.75
    }

    static func customer(index: Int, random r: inout CustomerRandom, drift: DriftShift) -> SyntheticCustomer {
        let gender: SyntheticCustomer.Gender = r.uniform() < maleShare ? .male : .female
        let senior = r.uniform() < seniorShare

        let internetShare = internetShares[senior ? 1 : 0]
        let fibreCut = internetShare.fibre + (1 - internetShare.fibre) * drift.fibreUptake
        let dslCut = fibreCut + internetShare.dsl * (1 - drift.fibreUptake)
        let uInternet = r.uniform()
        let internet: SyntheticCustomer.InternetService = uInternet < fibreCut ? .fiberOptic : uInternet < dslCut ? .dsl : .none

        let contractShare = contractShares[internet.rawValue]
        let monthToMonthCut = contractShare.monthToMonth + (1 - contractShare.monthToMonth) * drift.monthToMonthUptake
        let oneYearCut = monthToMonthCut + contractShare.oneYear * (1 - drift.monthToMonthUptake)
        let uContract = r.uniform()
        let contract: SyntheticCustomer.Contract = uContract < monthToMonthCut ? .monthToMonth : uContract < oneYearCut ? .oneYear : .twoYear

        // Tenure: the Kumaraswamy quantile function (closed form, one draw) scaled to 1...72 months.
        let shape = tenureShapes[contract.rawValue]
        let q = pow(r.uniform(), tenurePower[internet.rawValue] * drift.tenureExponent)
        let x = pow(1 - pow(1 - q, 1 / shape.b), 1 / shape.a)
        var tenure = min(maxTenure, 1 + Int(Double(maxTenure) * x))
        if r.uniform() < newTwoYearShare && contract == .twoYear { tenure = 0 }
        let t = Double(tenure)
        let tenureFromMean = t - 32

        let partner = r.uniform() < sigmoid(-1.13 + 0.034 * t)
        let dependents = r.uniform() < sigmoid(-2.073 + (partner ? 2.3 : 0) - (senior ? 1.3 : 0))

        let phone = !(r.uniform() < dslWithoutPhoneShare && internet == .dsl)
        let lines = r.uniform() < sigmoid(multipleLinesBase[internet.rawValue] + 0.04 * tenureFromMean) && phone

        let protectionTaste = r.normal()
        let streamingTaste = r.normal()
        func addOn(_ k: Int) -> Bool {
            let u = r.uniform()
            guard internet != .none else { return false }
            let base = internet == .fiberOptic ? addOnBase[k].fibre : addOnBase[k].dsl
            let taste = k < 4 ? protectionLoading * protectionTaste : streamingLoading * streamingTaste
            return u < sigmoid(base + 0.035 * tenureFromMean + taste)
        }
        let addOns = (addOn(0), addOn(1), addOn(2), addOn(3), addOn(4), addOn(5))

        let monthToMonth = contract == .monthToMonth
        let paperlessByInternet = switch internet {
        case .fiberOptic: 1.0
        case .dsl: 0.0
        case .none: -1.0
        }
        let paperless = r.uniform() < sigmoid(-0.06 + paperlessByInternet + (senior ? 0.5 : 0) + (monthToMonth ? 0.35 : 0))

        let payment = paymentMethod(
            u: r.uniform(), monthToMonth: monthToMonth, paperless: paperless, internet: internet,
            senior: senior, tenure: t, drift: drift)

        // Charges: the price list for what the customer takes, times the drift's price rise, plus noise.
        let protectionCount = (addOns.0 ? 1 : 0) + (addOns.1 ? 1 : 0) + (addOns.2 ? 1 : 0) + (addOns.3 ? 1 : 0)
        let streamingCount = (addOns.4 ? 1 : 0) + (addOns.5 ? 1 : 0)
        var list = phone ? Price.phone : 0
        if lines { list += Price.extraLines }
        if internet == .dsl { list += Price.dsl }
        if internet == .fiberOptic { list += Price.fibre }
        list += Double(protectionCount) * Price.protectionAddOn + Double(streamingCount) * Price.streamingAddOn
        let priceNoise = r.normal() * (internet == .none ? 0.55 : 1.1)
        let factor = drift.priceFactor
        let monthly = min(Price.range.upperBound * factor, max(Price.range.lowerBound * factor, list * factor + priceNoise))
        let monthlyCents = Int((monthly * 20).rounded()) * 5

        // Charges to date: tenure × the monthly charge, give or take what earlier prices and plans were.
        // The spread shrinks with tenure (an average over more months); the first bill is the monthly charge.
        let historyNoise = r.normal()
        var totalCents: Int?
        if tenure == 1 {
            totalCents = monthlyCents
        } else if tenure > 1 {
            let ratio = 1 + min(0.35, max(-0.35, historyNoise * 0.18 / t.squareRoot()))
            totalCents = Int((t * Double(monthlyCents) / 100 * ratio * 20).rounded()) * 5
        }

        var customer = SyntheticCustomer(
            index: index, customerID: "", gender: gender, seniorCitizen: senior, partner: partner,
            dependents: dependents, tenure: tenure, phoneService: phone, multipleLines: lines,
            internetService: internet, onlineSecurity: addOns.0, onlineBackup: addOns.1, deviceProtection: addOns.2,
            techSupport: addOns.3, streamingTV: addOns.4, streamingMovies: addOns.5, contract: contract,
            paperlessBilling: paperless, paymentMethod: payment, monthlyChargeCents: monthlyCents,
            totalChargeCents: totalCents, churnProbability: 0, churned: false)

        let unobserved = r.normal() * ChurnProcess.unobservedSpread
        let uChurn = r.uniform()
        // Nobody leaves before the first bill: the real file has no churner with tenure 0.
        if tenure > 0 {
            customer.churnProbability = sigmoid(ChurnProcess.observedLogit(customer) + unobserved)
            customer.churned = uChurn < customer.churnProbability
        }
        return customer
    }

    /// Payment method from a multinomial logit: electronic checks go with month-to-month, paperless, fibre and
    /// short tenure; mailed checks with no internet and paper bills; automatic payments with long tenure.
    static func paymentMethod(u: Double, monthToMonth: Bool, paperless: Bool, internet: SyntheticCustomer.InternetService,
                              senior: Bool, tenure: Double, drift: DriftShift) -> SyntheticCustomer.PaymentMethod {
        let years = (tenure - 32) / 24
        let electronic = exp(-0.638 + (monthToMonth ? 0.6 : 0) + (paperless ? 0.6 : 0) + (internet == .fiberOptic ? 0.5 : 0)
                             + (senior ? 0.3 : 0) - 0.3 * years + drift.electronicCheckPull)
        let mailed = exp(0.215 + (internet == .none ? 0.9 : 0) - (paperless ? 0.7 : 0) - (senior ? 0.3 : 0) - 0.2 * years
                         + drift.mailedCheckPull)
        let bank = exp(0.35 * years)
        let card = exp(-0.005 + 0.35 * years + drift.creditCardPull)
        let point = u * (electronic + mailed + bank + card)
        if point < electronic { return .electronicCheck }
        if point < electronic + mailed { return .mailedCheck }
        if point < electronic + mailed + bank { return .bankTransfer }
        return .creditCard
    }

    @inline(__always)
    static func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
}
