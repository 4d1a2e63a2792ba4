import ArgumentParser

@main
struct Churn: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "churn",
        abstract: "Churn scoring operations: a terminal console, a scoring API, batch scoring and training in one binary.",
        discussion: """
        Start with the console on the embedded engine (it also serves the HTTP API on 127.0.0.1:8000):
          churn dashboard --demo

        Typical workflow:
          churn generate --rows 100000 --seed 7 -o customers.csv     make labelled sample data
          churn train customers.csv -o model.json                    fit and evaluate a model
          churn model show model.json                                read what was trained
          churn evaluate model.json holdout.csv                      measure it on other labelled data

        Bring a model trained in Python (XGBoost JSON or LightGBM text):
          churn import xgboost model.json --reference train.csv -o churn-model.json

        Every command has its own help: churn help <command>.
        """,
        version: ChurnVersion.string,
        subcommands: [
            Dashboard.self, Snapshot.self, Serve.self, Score.self, Train.self, Evaluate.self, ModelCommand.self, Import.self,
            Generate.self,
        ]
    )
}

enum ChurnVersion {
    static let string = "0.1.0"
}
