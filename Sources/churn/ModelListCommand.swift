import ArgumentParser
import ChurnBase
import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct ModelList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List registered model versions: number, id, stage, learner, held-out AUC and F1, source.",
        discussion: """
        Examples:
          churn model list
          churn model list --registry /var/lib/churn/registry --json
          churn model list --history        (promotions and rollbacks, newest last)
        """
    )

    @OptionGroup var registry: RegistryOption

    @Flag(help: "Print the whole index as JSON.")
    var json = false

    @Flag(help: "Also print the history of registrations, promotions and rollbacks.")
    var history = false

    func run() throws {
        let reg = registry.open()
        let index = try withRegistry { () throws(RegistryError) in try reg.read() }
        if json {
            print(String(decoding: try JSONOutput.encode(index), as: UTF8.self))
            return
        }
        guard !index.versions.isEmpty else {
            print("No versions registered in \(reg.path).")
            print("Add one: churn train DATA.csv -o model.json --register, or churn model add model.json")
            return
        }
        let date = { (d: Date) in clockTime(d.timeIntervalSince1970, "%Y-%m-%d %H:%M", utc: true) }
        var table = TextTable(["#", "version", "stage", "learner", "AUC", "F1", "registered (UTC)", "source"], rightAligned: [0, 4, 5])
        for e in index.versions {
            table.add([String(e.number), e.version, e.stage == .production ? "production *" : e.stage.rawValue, e.learner,
                       e.metrics.map { fixed($0.auc, 3) } ?? "-", e.metrics.map { fixed($0.f1, 3) } ?? "-",
                       date(e.registeredAt), e.source])
        }
        print(table.text)
        if history {
            print("")
            var h = TextTable(["when (UTC)", "action", "version", "previous production", "by"])
            for c in index.history {
                h.add([date(c.at), c.action.rawValue, c.version, c.previous ?? "-", c.actor])
            }
            print(h.text)
        }
    }
}
