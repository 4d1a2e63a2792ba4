import ChurnBase
import ArgumentParser
import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct ModelAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Register a model file as a candidate version.",
        discussion: """
        The file is checked (it must load and validate) and copied into the registry.
        Adding the same artifact twice is harmless.

        Examples:
          churn model add model.json
          churn model add model.json --promote
        """
    )

    @Argument(help: "Model artifact file.")
    var file: String

    @OptionGroup var registry: RegistryOption

    @Flag(help: "Promote it to production right away.")
    var promote = false

    func run() throws {
        let artifact = try loadModel(file)
        let reg = registry.open()
        let entry = try withRegistry { () throws(RegistryError) in
            try reg.register(artifact, source: "file \(PathText.lastComponent(file))")
        }
        print("registered #\(entry.number) \(entry.version) as \(entry.stage.rawValue) in \(reg.path)")
        if promote {
            let (promoted, previous) = try withRegistry { () throws(RegistryError) in try reg.promote(entry.version) }
            print("promoted #\(promoted.number) \(promoted.version) to production" + (previous.map { " (was \($0))" } ?? ""))
        }
    }
}

struct ModelPromote: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promote",
        abstract: "Make a registered version production; the current production version is archived.",
        discussion: """
        Servers following the registry (churn serve --registry DIR) swap the model in
        within a second, with no request dropped. The version must load, validate and
        take the same input columns as the current production version; --force skips
        these checks (servers will still refuse a model they cannot use).

        Examples:
          churn model promote 3
          churn model promote gbt-20261201-9c
        """
    )

    @Argument(help: "Version: its number, its id, or a unique prefix of the id.")
    var version: String

    @OptionGroup var registry: RegistryOption

    @Flag(help: "Skip the load, validation and schema checks.")
    var force = false

    func run() throws {
        let reg = registry.open()
        let (promoted, previous) = try withRegistry { () throws(RegistryError) in try reg.promote(version, verify: !force) }
        print("promoted #\(promoted.number) \(promoted.version) to production" + (previous.map { "; \($0) archived" } ?? ""))
    }
}

struct ModelRollback: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Put back the version that was production before the current one.",
        discussion: """
        The current production version is archived. Repeated rollbacks walk further
        back through the versions that were production.

        Examples:
          churn model rollback
          churn model rollback --registry /var/lib/churn/registry
        """
    )

    @OptionGroup var registry: RegistryOption

    func run() throws {
        let reg = registry.open()
        let (restored, retired) = try withRegistry { () throws(RegistryError) in try reg.rollback() }
        print("rolled back: #\(restored.number) \(restored.version) is production again; \(retired) archived")
    }
}
