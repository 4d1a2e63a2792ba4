import ArgumentParser
import ChurnModel

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write synthetic Telco-schema customers (labelled or not, optionally drifted).")

    func run() throws {
        throw fail("churn generate is not implemented yet")
    }
}
