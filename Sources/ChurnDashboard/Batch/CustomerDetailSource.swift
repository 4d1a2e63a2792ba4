import ChurnModel
import ChurnMonitor

/// Explains a customer of the Batch results from the record the batch kept in memory (the file is not read
/// again: it may have changed or gone since).
public enum CustomerDetailSource {
    public static func explain(_ customer: ScoredCustomer, _ plan: BatchPlan, _ engine: ScoringEngine)
        -> Result<CustomerExplanation, SourceFailure> {
        guard let record = customer.record, !plan.header.isEmpty else {
            return .failure(SourceFailure("the inputs of line \(customer.line) were not kept; see churn snapshot --customer"))
        }
        do {
            return .success(try CustomerExplanation.explain(record: record, line: customer.line, header: plan.header,
                                                            file: plan.input, engine: engine))
        } catch {
            return .failure(SourceFailure(error.description))
        }
    }
}
