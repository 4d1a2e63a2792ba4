import Foundation
import Testing
@testable import ChurnMonitor

/// `AlertRule.standard()` (what `churn serve` evaluates and the console shows) against
/// infrastructure/monitoring/alerts.yml (what Prometheus evaluates): the same names, thresholds, comparisons, hold
/// times and severities, so neither can change alone.
@Suite("Alert rules agree with alerts.yml")
struct AlertRulesFileTests {
    /// One rule as alerts.yml states it.
    struct FileRule: Equatable {
        var name: String
        var expr: String
        var holdSeconds: Double
        var severity: String
        var line: Int

        /// The comparison that ends the expression (`> 0.05`), if it ends with one.
        var comparison: (op: String, value: Double)? {
            let text = expr.trimmingCharacters(in: .whitespacesAndNewlines)
            guard let match = text.firstMatch(of: #/([<>]=?)\s*(-?[0-9]+(?:\.[0-9]+)?)$/#) else { return nil }
            return (String(match.1), Double(match.2)!)
        }
    }

    struct ReadError: Error, CustomStringConvertible {
        var line: Int
        var message: String
        var description: String { "alerts.yml line \(line): \(message)" }
    }

    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url.path
    }()

    static func fileText() throws -> String {
        try String(contentsOfFile: root + "/infrastructure/monitoring/alerts.yml", encoding: .utf8)
    }

    /// A small, strict reader for the shape alerts.yml has (groups → rules → alert, expr, for, labels,
    /// annotations). Anything else at rule level, or a rule without expr, for or severity, is an error naming the
    /// line, so a change of shape is noticed rather than silently skipped.
    static func read(_ text: String) throws -> [FileRule] {
        var rules: [FileRule] = []
        var current: FileRule?
        var section = ""
        var blockKey: String?
        let lines = text.components(separatedBy: "\n")
        func finish() throws {
            guard let rule = current else { return }
            if rule.expr.isEmpty { throw ReadError(line: rule.line, message: "rule \(rule.name) has no expr") }
            if rule.holdSeconds < 0 { throw ReadError(line: rule.line, message: "rule \(rule.name) has no 'for'") }
            if rule.severity.isEmpty { throw ReadError(line: rule.line, message: "rule \(rule.name) has no severity label") }
            rules.append(rule)
            current = nil
        }
        for (k, raw) in lines.enumerated() {
            let number = k + 1
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let indent = raw.prefix { $0 == " " }.count
            if let key = blockKey {
                if indent > 8 {
                    if key == "expr" { current?.expr += trimmed + "\n" }
                    continue
                }
                blockKey = nil
            }
            if indent == 6, trimmed.hasPrefix("- alert:") {
                try finish()
                let name = trimmed.dropFirst("- alert:".count).trimmingCharacters(in: .whitespaces)
                current = FileRule(name: name, expr: "", holdSeconds: -1, severity: "", line: number)
                section = ""
                continue
            }
            guard current != nil else {
                if indent >= 6 { throw ReadError(line: number, message: "expected '- alert: NAME', got '\(trimmed)'") }
                continue
            }
            guard let colon = trimmed.firstIndex(of: ":") else {
                throw ReadError(line: number, message: "expected 'key: value', got '\(trimmed)'")
            }
            let key = String(trimmed[..<colon])
            let value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch (indent, key) {
            case (8, "expr"):
                section = ""
                if value == "|" || value == ">-" || value == "|-" { blockKey = "expr" } else { current!.expr = value }
            case (8, "for"):
                section = ""
                guard let seconds = duration(value) else { throw ReadError(line: number, message: "unreadable duration '\(value)'") }
                current!.holdSeconds = seconds
            case (8, "labels"), (8, "annotations"):
                section = key
            case (10, "severity") where section == "labels":
                current!.severity = value
            case (10, _) where section == "annotations":
                if value == ">-" || value == "|" { blockKey = key }
            case (10, _) where section == "labels":
                break
            default:
                throw ReadError(line: number, message: "unexpected '\(key)' at indent \(indent) in rule \(current!.name)")
            }
        }
        try finish()
        return rules
    }

    /// Prometheus durations as alerts.yml writes them (`30s`, `5m`, `1h`).
    static func duration(_ text: String) -> Double? {
        guard let unit = text.last, let n = Double(text.dropLast()) else { return nil }
        switch unit {
        case "s": return n
        case "m": return n * 60
        case "h": return n * 3600
        default: return nil
        }
    }

    /// Every way the two sides disagree, one sentence each (empty when they agree).
    static func mismatches(_ rules: [AlertRule], _ file: [FileRule]) -> [String] {
        var problems: [String] = []
        let fileNames = Set(file.map(\.name))
        let codeNames = Set(rules.map(\.name) + AlertRule.prometheusOnly.map(\.name))
        for name in fileNames.subtracting(codeNames).sorted() { problems.append("\(name) is in alerts.yml only") }
        for name in codeNames.subtracting(fileNames).sorted() { problems.append("\(name) is in AlertRule only") }
        for rule in rules {
            guard let f = file.first(where: { $0.name == rule.name }) else { continue }
            if let (op, value) = f.comparison {
                let expected = rule.direction == .above ? ">" : "<"
                if op != expected { problems.append("\(rule.name): alerts.yml compares with \(op), AlertRule with \(expected)") }
                if value != rule.threshold { problems.append("\(rule.name): threshold \(value) in alerts.yml, \(rule.threshold) in AlertRule") }
            } else {
                problems.append("\(rule.name): the expression in alerts.yml (line \(f.line)) does not end with a threshold")
            }
            if f.holdSeconds != rule.holdSeconds {
                problems.append("\(rule.name): for \(f.holdSeconds) s in alerts.yml, \(rule.holdSeconds) s in AlertRule")
            }
            if f.severity != rule.severity.rawValue {
                problems.append("\(rule.name): severity \(f.severity) in alerts.yml, \(rule.severity.rawValue) in AlertRule")
            }
        }
        for (name, severity) in AlertRule.prometheusOnly {
            if let f = file.first(where: { $0.name == name }), f.severity != severity.rawValue {
                problems.append("\(name): severity \(f.severity) in alerts.yml, \(severity.rawValue) in AlertRule.prometheusOnly")
            }
        }
        return problems
    }

    @Test("alerts.yml and AlertRule.standard() name the same rules with the same thresholds, holds and severities")
    func agree() throws {
        let file = try Self.read(Self.fileText())
        #expect(file.count == AlertRule.standard().count + AlertRule.prometheusOnly.count)
        #expect(Self.mismatches(AlertRule.standard(), file) == [])
    }

    @Test("a threshold, hold or severity changed on either side alone is reported")
    func oneSidedChangesFail() throws {
        let text = try Self.fileText()
        // The file changes alone.
        let loosened = try Self.read(text.replacingOccurrences(of: "> 0.05", with: "> 0.06"))
        #expect(Self.mismatches(AlertRule.standard(), loosened) == ["HighErrorRate: threshold 0.06 in alerts.yml, 0.05 in AlertRule"])
        let longer = try Self.read(text.replacingOccurrences(of: "for: 15m", with: "for: 20m"))
        #expect(Self.mismatches(AlertRule.standard(), longer) == ["ModelF1Low: for 1200.0 s in alerts.yml, 900.0 s in AlertRule"])
        let paged = try Self.read(text.replacingOccurrences(of: "severity: warning", with: "severity: critical"))
        #expect(Self.mismatches(AlertRule.standard(), paged).count == 3)
        let extra = try Self.read(text + "\n      - alert: Extra\n        expr: up > 1\n        for: 1m\n        labels:\n          severity: warning\n")
        #expect(Self.mismatches(AlertRule.standard(), extra) == ["Extra is in alerts.yml only"])
        // The code changes alone.
        let file = try Self.read(text)
        var settings = AlertRule.Settings()
        settings.p99Seconds = 0.25
        settings.driftHold = 300
        #expect(Self.mismatches(AlertRule.standard(settings), file) == [
            "HighLatencyP99: threshold 0.5 in alerts.yml, 0.25 in AlertRule",
            "DataDriftHigh: for 600.0 s in alerts.yml, 300.0 s in AlertRule",
        ])
        #expect(Self.mismatches(Array(AlertRule.standard().dropLast()), file) == ["ModelF1Low is in alerts.yml only"])
    }

    @Test("the reader refuses a shape it does not know, naming the line")
    func strictReader() throws {
        let text = try Self.fileText()
        let renamed = text.replacingOccurrences(of: "        for: 5m\n", with: "        hold: 5m\n")
        #expect(throws: ReadError.self) { try Self.read(renamed) }
        let noFor = text.replacingOccurrences(of: "        for: 10m\n", with: "")
        let error = #expect(throws: ReadError.self) { try Self.read(noFor) }
        #expect(error?.message == "rule DataDriftHigh has no 'for'")
    }
}
