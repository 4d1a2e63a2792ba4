/// The fitted function from encoded features to a churn margin (logit).
public enum Predictor: Sendable, Equatable {
    case logistic(LogisticModel)
    case trees(TreeEnsemble)

    @inline(__always)
    public func margin(_ x: UnsafePointer<Double>) -> Double {
        switch self {
        case .logistic(let m): return m.margin(x)
        case .trees(let t): return t.margin(x)
        }
    }

    @inline(__always)
    public func probability(_ x: UnsafePointer<Double>) -> Double {
        sigmoid(margin(x))
    }

    /// Each encoded feature's additive share of the margin: exact for the logistic model, path-based for trees.
    public func contributions(_ x: UnsafePointer<Double>, featureCount: Int) -> [Double] {
        switch self {
        case .logistic(let m): return m.contributions(x)
        case .trees(let t): return t.contributions(x, featureCount: featureCount)
        }
    }
}

extension Predictor: Codable {
    enum CodingKeys: String, CodingKey { case type, logistic, trees }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let type = try c.decode(String.self, forKey: .type)
        switch type {
        case "logistic": self = .logistic(try c.decode(LogisticModel.self, forKey: .logistic))
        case "trees": self = .trees(try c.decode(TreeEnsemble.self, forKey: .trees))
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown predictor type '\(type)' (expected 'logistic' or 'trees')")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .logistic(let m):
            try c.encode("logistic", forKey: .type)
            try c.encode(m, forKey: .logistic)
        case .trees(let t):
            try c.encode("trees", forKey: .type)
            try c.encode(t, forKey: .trees)
        }
    }
}
