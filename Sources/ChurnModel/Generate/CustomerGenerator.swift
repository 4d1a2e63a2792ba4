/// Synthetic Telco-schema customers for demos, tests and benchmarks. (Implementation in progress.)
public struct CustomerGenerator: Sendable {
    public struct Options: Sendable {
        public var rows = 1000
        public var seed: UInt64 = 1
        /// Include the Churn column.
        public var labelled = true
        /// 0 = the training distribution; 1 = strongly shifted.
        public var drift = 0.0
        public init() {}
    }

    public var options: Options

    public init(options: Options) {
        self.options = options
    }
}
