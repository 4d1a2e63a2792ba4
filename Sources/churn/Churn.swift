import ArgumentParser

@main
struct Churn: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "churn",
        abstract: "Churn scoring operations: a terminal console, a scoring API, batch scoring and training in one binary.",
        discussion: """
        The console on the embedded engine (its API listens on 127.0.0.1:8000):
          churn dashboard --demo

        Typical workflow:
          churn generate --rows 100000 --seed 7 -o customers.csv
          churn train customers.csv -o model.json      fit, evaluate, save
          churn model show model.json                  what was trained
          churn score customers.csv --model model.json batch scoring
          churn serve --model model.json               the HTTP API
          churn dashboard --api http://127.0.0.1:8000  watch it

        Bring a model trained in Python (XGBoost JSON or LightGBM text):
          churn import xgboost model.json --reference train.csv -o churn-model.json

        Exit status: 0 success, 1 failure, 64 bad usage, 65 bad input header,
        3 finished with rejects (churn score --fail-on-rejects), 130 interrupted.
        Every command has its own help: churn help <command>.
        """,
        version: ChurnVersion.string,
        subcommands: [
            Dashboard.self, Snapshot.self, Serve.self, Score.self, Train.self, Evaluate.self, ModelCommand.self, Import.self,
            Generate.self, Backup.self, Restore.self,
        ]
    )
}

extension Churn {
    /// `--explain` takes an optional value, which the argument parser cannot express: a bare `--explain` (last,
    /// or followed by something that is not a count or `all`) gets the default count inserted.
    static func main() async {
        await main(ExplainArgument.normalized(Array(CommandLine.arguments.dropFirst())))
    }
}

enum ChurnVersion {
    static let string = "0.1.0"
}
