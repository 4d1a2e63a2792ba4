// swift-tools-version: 6.1
// ChurnOps: churn scoring operations in one Swift package. See docs/architecture.md for the module map.
import PackageDescription

let package = Package(
    name: "churn",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "churn", targets: ["churn"]),
        .library(name: "ChurnModel", targets: ["ChurnModel"]),
        .library(name: "ChurnMonitor", targets: ["ChurnMonitor"]),
        .library(name: "ChurnServer", targets: ["ChurnServer"]),
        .library(name: "ChurnDashboard", targets: ["ChurnDashboard"]),
        .library(name: "ChurnTracking", targets: ["ChurnTracking"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // No traits: the default ones (FullFoundation, ConfigurationSupport) link all of Foundation and build
        // swift-configuration, and nothing here uses what they add (docs/benchmarks.md, "where the memory goes").
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // What every module shares in place of full Foundation (printf formatting, trimming, strftime, a JSON value).
        .target(name: "ChurnBase"),
        // Byte classes of a 64-byte window as bit masks (SSE2 move masks), for the CSV field split.
        .target(name: "CByteClasses"),
        .target(
            name: "ChurnModel",
            dependencies: ["ChurnBase", "CByteClasses"],
            // The readable copy of the compiled-in default model (Model/DefaultModelJSON.swift), for scripts and
            // readers; not a resource, so the binary needs no bundle beside it.
            exclude: ["Resources/default-model.json"],
            swiftSettings: [
                // The scoring loops touch buffers owned by classes; dynamic exclusivity checks there cost
                // about a fifth of batch-scoring time. Static checking stays on.
                .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
            ]
        ),
        // One HTTP transport for every client in the product (snapshot sources, Prometheus, MLflow, demo traffic).
        .target(name: "ChurnHTTP", dependencies: ["ChurnBase"]),
        .target(
            name: "ChurnMonitor",
            dependencies: [
                "ChurnBase",
                "ChurnModel",
                "ChurnHTTP",
                "CSQLite",
            ]
        ),
        // SQLite's C API as a Swift module (the metrics store wraps it in ChurnMonitor/Store/SQLite).
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(
            name: "ChurnServer",
            dependencies: [
                "ChurnBase",
                "ChurnModel",
                "ChurnMonitor",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // ncursesw as a Swift module; the shim header switches on the wide-character API itself.
        .systemLibrary(name: "CNCurses", pkgConfig: "ncursesw", providers: [.apt(["libncurses-dev"])]),
        .target(name: "ChurnDashboard", dependencies: ["ChurnBase", "ChurnModel", "ChurnMonitor", "ChurnHTTP", "CNCurses"]),
        // MLflow's REST API (runs, params and metrics, the model registry, the artifact proxy) for model tracking.
        .target(name: "ChurnTracking", dependencies: ["ChurnBase", "ChurnModel", "ChurnHTTP"]),
        // `churn dashboard --demo`: generated customers sent through the real HTTP API, the script they follow, and the
        // week of history written into its metrics store first.
        .target(name: "ChurnDemo", dependencies: ["ChurnBase", "ChurnModel", "ChurnMonitor", "ChurnHTTP"]),
        .executableTarget(
            name: "churn",
            dependencies: [
                "ChurnBase",
                "ChurnModel",
                "ChurnMonitor",
                "ChurnServer",
                "ChurnDashboard",
                "ChurnTracking",
                "ChurnDemo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // What the test targets share: loopback HTTP server and clients, the `churn` binary's locator, temporary
        // directories, fixtures from the real generator, polling with a deadline, an in-memory terminal.
        .target(name: "ChurnTestSupport", dependencies: ["ChurnModel", "ChurnDashboard"], path: "Tests/ChurnTestSupport"),
        .testTarget(name: "ChurnModelTests", dependencies: ["ChurnModel", "ChurnTestSupport"], resources: [.copy("Fixtures")]),
        // Runs the built `churn` binary (no product library: it tests the command as users run it; ChurnTestSupport finds it).
        .testTarget(name: "ChurnCLITests", dependencies: ["churn", "ChurnTestSupport"]),
        .testTarget(
            name: "ChurnMonitorTests",
            dependencies: ["ChurnMonitor", "ChurnHTTP", "ChurnModel", "ChurnTestSupport"],
            // A store written by an earlier version, found from its test's #filePath.
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "ChurnServerTests",
            dependencies: ["ChurnServer", "ChurnMonitor", "ChurnModel", "ChurnTestSupport", .product(name: "Hummingbird", package: "hummingbird")]
        ),
        .testTarget(name: "ChurnBaseTests", dependencies: ["ChurnBase"]),
        .testTarget(name: "ChurnHTTPTests", dependencies: ["ChurnHTTP", "ChurnTestSupport"]),
        .testTarget(name: "ChurnTrackingTests", dependencies: ["ChurnTracking", "ChurnModel"]),
        .testTarget(name: "ChurnDashboardTests", dependencies: ["ChurnDashboard", "ChurnDemo", "ChurnModel", "ChurnMonitor", "ChurnTestSupport"],
                    exclude: ["Fixtures"]),
        // What each fuzz target does with one input, and the checks it makes; a plain library so the unit tests
        // replay the committed corpus through exactly the same code (docs/reliability.md).
        .target(name: "FuzzHarness", dependencies: ["ChurnBase", "ChurnModel", "ChurnMonitor", "ChurnServer"]),
        .testTarget(name: "FuzzHarnessTests", dependencies: ["FuzzHarness"], resources: [.copy("Corpus")]),
    ]
)

// Every target of ours sees only the members of modules it imports itself, so a module that imports
// FoundationEssentials cannot use full Foundation's extensions by way of a dependency that still imports it.
for target in package.targets where target.type == .regular || target.type == .executable {
    target.swiftSettings = (target.swiftSettings ?? []) + [.enableUpcomingFeature("MemberImportVisibility")]
}

// libFuzzer targets, declared only when asked for: `CHURN_FUZZ=1 swift build --sanitize fuzzer
// --scratch-path .build-fuzz` (scripts/fuzz/run). Plain `swift build` and `swift test` never build them, so they
// cost nothing there and their entry point (libFuzzer's own `main`) cannot clash with anything.
if Context.environment["CHURN_FUZZ"] == "1" {
    for name in ["FuzzCSVReader", "FuzzJSONRequest", "FuzzModelArtifact", "FuzzPromQLResponse"] {
        package.targets.append(.executableTarget(
            name: name,
            dependencies: ["FuzzHarness"],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ))
    }
}

// scripts/bench/store.sh: busy flushes into a real metrics store, declared only when asked for
// (`CHURN_STOREBENCH=1 swift build -c release --product StoreBench`), so normal builds never build it.
if Context.environment["CHURN_STOREBENCH"] == "1" {
    package.targets.append(.executableTarget(name: "StoreBench", dependencies: ["ChurnBase", "ChurnModel", "ChurnMonitor"]))
}
