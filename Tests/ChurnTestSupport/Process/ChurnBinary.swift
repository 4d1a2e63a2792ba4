import Foundation

/// Where the built `churn` binary and the package are, for tests that run the command as users do.
public enum ChurnBinary {
    /// The package root: the nearest folder above this file holding Package.swift.
    public static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url.path
    }()

    /// The `churn` binary built beside the running test bundle (searched upwards from it), else the package's
    /// debug build.
    public static let path: String = {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("churn").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir.deleteLastPathComponent()
        }
        return packageRoot + "/.build/debug/churn"
    }()
}
