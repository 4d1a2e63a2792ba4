@testable import ChurnModel
import ChurnTestSupport
import Foundation
import Testing

/// `churn import verify`'s logic, now in the library: real imported models against the libraries' own
/// probabilities (Fixtures/import), and the same files altered so the comparison must notice.
@Suite("Import verification")
struct ImportVerifierTests {
    static func artifact() throws -> ModelArtifact {
        try ImportFixture.artifact(.xgboost, "telco.xgb.json", customers: "telco.customers.csv")
    }

    @Test("an imported model agrees with XGBoost's probabilities on every row, within 1e-6")
    func agrees() throws {
        var verifier = ImportVerifier()
        verifier.runs = 3
        verifier.threads = 2
        let report = try verifier.verify(try Self.artifact(), customers: ImportFixture.path("telco.customers.csv"),
                                         expected: ImportFixture.path("telco.expected.csv"), column: "xgboost")
        #expect(report.rows == 400 && report.rejected == 0 && report.compared == 400)
        #expect(report.seconds.count == 3 && report.threads == 2)
        #expect(report.overTolerance == 0, "\(report.examples)")
        #expect(try #require(report.maxAbsDifference) <= 1e-6)
    }

    @Test("another library's column differs beyond the tolerance, and the report names the lines")
    func disagrees() throws {
        let report = try ImportVerifier().verify(try Self.artifact(), customers: ImportFixture.path("telco.customers.csv"),
                                                 expected: ImportFixture.path("telco.expected.csv"), column: "lightgbm")
        #expect(report.overTolerance > 0)
        #expect(report.examples.count == min(10, report.overTolerance))
        #expect(report.examples.first?.hasPrefix("line ") == true)
    }

    @Test("fewer expected rows than customers is an error naming both files")
    func shortExpected() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let short = dir.write("short.csv", "xgboost\n0.5\n0.5\n")
        do {
            _ = try ImportVerifier().verify(try Self.artifact(), customers: ImportFixture.path("telco.customers.csv"), expected: short)
            Issue.record("a short expected file was accepted")
        } catch let failure as ImportVerifier.Failure {
            #expect(failure.description.contains("short.csv: has 2 data rows"))
            #expect(failure.description.contains("telco.customers.csv more"))
        }
    }
}
