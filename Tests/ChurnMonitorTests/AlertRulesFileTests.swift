import ChurnMonitor
import ChurnTestSupport
import Foundation
import Testing

/// The alert rules `churn serve` evaluates in-process (`AlertRule.standard`) and the ones Prometheus evaluates
/// (infrastructure/monitoring/alerts.yml) must be the same rules: same names, same comparison and threshold at the
/// end of each expression, same `for` duration. Editing one without the other fails here.
@Suite("Alert rules agree with alerts.yml")
struct AlertRulesFileTests {
    /// One `- alert:` block of the file: its name, its expression (joined), its `for` in seconds.
    struct FileRule {
        var name: String
        var expression = ""
        var holdSeconds: Double?
    }

    /// Only Prometheus can see a replica that is down or absent; every other rule exists on both sides.
    static let prometheusOnly: Set<String> = ["ApiDown"]

    static func fileRules() throws -> [String: FileRule] {
        let path = ChurnBinary.packageRoot + "/infrastructure/monitoring/alerts.yml"
        var rules: [String: FileRule] = [:]
        var current: FileRule?
        var inExpression = false
        func finish() { if let r = current { rules[r.name] = r } }
        for raw in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("- alert:") {
                finish()
                current = FileRule(name: line.dropFirst("- alert:".count).trimmingCharacters(in: .whitespaces))
                inExpression = false
            } else if line.hasPrefix("expr:") {
                current?.expression = line.dropFirst("expr:".count).trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "|", with: "")
                inExpression = true
            } else if line.hasPrefix("for:") {
                current?.holdSeconds = seconds(line.dropFirst("for:".count).trimmingCharacters(in: .whitespaces))
                inExpression = false
            } else if line.hasSuffix(":") || line.contains(": ") {
                inExpression = false
            } else if inExpression, !line.hasPrefix("#") {
                current?.expression += " " + line
            }
        }
        finish()
        return rules
    }

    /// A Prometheus duration ("90s", "5m", "1h") in seconds.
    static func seconds(_ text: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600]
        guard let unit = text.last.flatMap({ units[$0] }), let n = Double(text.dropLast()) else { return nil }
        return n * unit
    }

    /// The comparison an expression ends with: direction and number ("… > 0.05" is above 0.05).
    static func finalComparison(_ expression: String) -> (AlertRule.Direction, Double)? {
        let parts = expression.split(separator: " ").map(String.init)
        guard parts.count >= 2, let number = Double(parts[parts.count - 1]) else { return nil }
        switch parts[parts.count - 2] {
        case ">": return (.above, number)
        case "<": return (.below, number)
        default: return nil
        }
    }

    @Test("the same rule names on both sides (ApiDown only in Prometheus)")
    func names() throws {
        let file = Set(try Self.fileRules().keys)
        let process = Set(AlertRule.standard().map(\.name))
        #expect(file.subtracting(Self.prometheusOnly) == process)
        #expect(file.isSuperset(of: Self.prometheusOnly))
    }

    @Test("each rule's threshold, direction and hold time match", arguments: AlertRule.standard().map(\.name))
    func rule(name: String) throws {
        let process = try #require(AlertRule.standard().first { $0.name == name })
        let file = try #require(try Self.fileRules()[name], "alerts.yml has no rule \(name)")
        let comparison = try #require(Self.finalComparison(file.expression), "\(name): cannot read '\(file.expression)'")
        #expect(comparison.0 == process.direction, "\(name): \(file.expression)")
        #expect(comparison.1 == process.threshold, "\(name): \(file.expression)")
        #expect(file.holdSeconds == process.holdSeconds, "\(name): for \(String(describing: file.holdSeconds))")
    }

    @Test("the reader notices a changed threshold, direction or duration")
    func readerNotices() {
        #expect(Self.finalComparison("sum(rate(x[5m])) / sum(rate(y[5m])) > 0.05")! == (.above, 0.05))
        #expect(Self.finalComparison("model_f1_score{job=\"churn-api\"} < 0.4")! == (.below, 0.4))
        #expect(Self.finalComparison("up == 0") == nil)
        #expect(Self.seconds("15m") == 900 && Self.seconds("90s") == 90 && Self.seconds("1h") == 3600)
    }
}
