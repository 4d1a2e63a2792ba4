import Foundation
import ChurnModel

/// How long a test's client waits for a loopback server that is expected to answer. A full parallel test run on two
/// cores has held answers back by more than 10 s (CI failed once at a 5 s client timeout), so a test that checks what
/// comes back must not share the product's short default; tests of the timeout itself pass their own small value.
public let loopbackAnswerTimeout: Double = 60

/// A fresh temporary directory per test, removed by the caller with `cleanup()`.
public struct TempDir {
    public let path: String

    public init() {
        path = NSTemporaryDirectory() + "churn-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    public func file(_ name: String) -> String { path + "/" + name }

    @discardableResult
    public func write(_ name: String, _ bytes: [UInt8]) -> String {
        let p = file(name)
        FileManager.default.createFile(atPath: p, contents: Data(bytes))
        return p
    }

    @discardableResult
    public func write(_ name: String, _ text: String) -> String { write(name, Array(text.utf8)) }

    public func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

/// Runs a program (in `cwd` when given) and returns its standard output (and exit status).
public func run(_ executable: String, _ arguments: [String], stdin: Data? = nil, cwd: String? = nil) throws -> (status: Int32, stdout: Data, stderr: Data) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : "/usr/bin/env")
    p.arguments = executable.hasPrefix("/") ? arguments : [executable] + arguments
    if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    let input = Pipe()
    p.standardInput = input
    try p.run()
    if let stdin { input.fileHandleForWriting.write(stdin) }
    try input.fileHandleForWriting.close()
    // Read both pipes concurrently so neither fills up and blocks the child.
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    p.waitUntilExit()
    return (p.terminationStatus, outData, errData)
}

/// Reads every record of a CSV file with our reader, as strings (blank lines as empty arrays).
public func readAll(_ path: String, chunkSize: Int = 1 << 20) throws -> (header: [String], rows: [[String]], errors: [CSVError]) {
    let reader = try CSVReader(path: path, chunkSize: chunkSize)
    var rows: [[String]] = []
    var errors: [CSVError] = []
    try reader.forEachRecord { record in
        if let e = record.error { errors.append(e) }
        rows.append((0..<record.count).map { record.string(at: $0) })
    }
    return (reader.header, rows, errors)
}
