#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `churn import verify`: scores a customer file with an artifact's block predictor (timed, `runs` times) and
/// compares row by row with another tool's probabilities, data row i of one file with data row i of the other.
public struct ImportVerifier: Sendable {
    public var tolerance = 1e-6
    public var runs = 1
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    public var kernel: CompiledPredictor.TreeKernel = .automatic

    /// Why verification could not be done, with the file to look at.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public init() {}

    /// Encodes `customers` under the artifact's schema (rejected rows left out), scores it, and compares with
    /// `expected` (a CSV of probabilities, `column` or its only column) when given.
    public func verify(_ artifact: ModelArtifact, customers: String, expected: String? = nil, column: String? = nil) throws -> VerifyReport {
        let rows = try EncodedCustomers.load(path: customers, schema: artifact.schema)
        let expectation = try expected.map { try ExpectedProbabilities.load(path: $0, column: column) }
        let (probabilities, seconds) = score(rows, predictor: CompiledPredictor(artifact.predictor, trees: kernel))
        var report = VerifyReport(rows: rows.rows, rejected: rows.rejected, threads: threads, seconds: seconds,
                                  median: seconds.sorted()[seconds.count / 2])
        if let expected, let expectation {
            try compare(probabilities, rows: rows, with: expectation, into: &report, files: (customers, expected))
        }
        return report
    }

    /// The probabilities of every encoded row and the seconds each of the `runs` took.
    func score(_ rows: EncodedCustomers, predictor: CompiledPredictor) -> (probabilities: [Double], seconds: [Double]) {
        var seconds: [Double] = []
        var probabilities: [Double] = []
        rows.values.withUnsafeBufferPointer { values in
            for _ in 0..<max(1, runs) {
                let start = ContinuousClock.now
                probabilities = predictor.probabilities(matrix: values.baseAddress!, count: rows.rows, stride: rows.stride,
                                                        threads: threads)
                seconds.append((ContinuousClock.now - start).inSeconds)
            }
        }
        return (probabilities, seconds)
    }

    /// Row-by-row differences: the largest, how many exceed the tolerance, and the first ten of those.
    func compare(_ probabilities: [Double], rows: EncodedCustomers, with expectation: ExpectedProbabilities,
                 into report: inout VerifyReport, files: (customers: String, expected: String)) throws {
        var worst = 0.0
        for (k, position) in rows.positions.enumerated() {
            guard position < expectation.values.count else {
                throw Failure(description: "\(files.expected): has \(expectation.values.count) data rows, \(files.customers) more")
            }
            let d = abs(probabilities[k] - expectation.values[position])
            if d > worst || d.isNaN { worst = d.isNaN ? .infinity : d }
            if !(d <= tolerance) {
                if report.examples.count < 10 {
                    report.examples.append("line \(rows.lines[k]): \(probabilities[k]) vs \(expectation.values[position])")
                }
                report.overTolerance += 1
            }
        }
        report.compared = rows.rows
        report.maxAbsDifference = worst
    }
}
