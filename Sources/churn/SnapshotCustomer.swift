import ArgumentParser
import ChurnDashboard
import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Snapshot {
    /// Whether this run explains one customer (`--customer ID` or `--line N` with `--file`).
    var explainsCustomer: Bool { customer != nil || line != nil }

    func validateCustomer() throws {
        guard explainsCustomer else {
            if file != nil { throw ValidationError("--file names the file --customer ID or --line N is looked up in; add one of them") }
            return
        }
        if customer != nil && line != nil { throw ValidationError("give --customer ID or --line N, not both") }
        if file == nil { throw ValidationError("--customer and --line need --file CSV, the file the customer is in") }
        if let line, line < 2 { throw ValidationError("--line must be 2 or more (line 1 is the header)") }
        if from != nil || source.namesSource {
            throw ValidationError("--customer reads --file with --model; leave out --api, --store, --prometheus and --from")
        }
    }

    /// Prints the console's customer detail for one record of `--file`: as a frame (every input shown, so the
    /// frame is as tall as it needs to be) or, with --json, as the explanation itself.
    func printCustomer() throws {
        let artifact = try loadModel(model)
        let key: CustomerLookup.Key = customer.map { .id($0) } ?? .line(line ?? 0)
        let explanation: CustomerExplanation
        do {
            explanation = try CustomerLookup.find(key, in: file ?? "", engine: ScoringEngine(artifact: artifact))
        } catch {
            if case .header = error { throw fail(error.description, code: ExitStatus.badHeader) }
            throw fail(error.description)
        }
        if json {
            var data = try JSONOutput.encode(explanation)
            data.append(0x0a)
            Terminal.writeOutput(data)
            return
        }
        let charset = TerminalLocale.adopt(forceASCII: ascii)
        let scored = ScoredCustomer(id: explanation.id ?? "line \(explanation.line)", probability: explanation.probability,
                                    risk: explanation.risk, line: explanation.line)
        let rows = CustomerDetailPanel.chromeRows + explanation.inputs.count
        var grid = CellGrid(width: width, height: rows, asciiOnly: charset == .ascii)
        CustomerDetailPanel.draw(&grid, grid.bounds, CustomerView(customer: scored, explanation: explanation),
                                 Theme(charset: charset, color: .mono))
        print(grid.text)
    }
}
