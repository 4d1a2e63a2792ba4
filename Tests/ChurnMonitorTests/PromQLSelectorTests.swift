import Foundation
import Testing
@testable import ChurnMonitor

@Suite("Selector, combined queries and alert rules of the fleet view")
struct PromQLSelectorTests {
    @Test("selectors: matchers with or without braces, normalised; errors say what is wrong")
    func selectors() throws {
        #expect(try PromQLSelector(#"job="churn-api""#).matchers == #"job="churn-api""#)
        #expect(try PromQLSelector(#" { job = "churn-api" , namespace=~"prod|stage" } "#).matchers
                == #"job="churn-api",namespace=~"prod|stage""#)
        #expect(try PromQLSelector(#"path!="/a\"b""#).matchers == #"path!="/a\"b""#)
        for (bad, reason) in [("", "empty"), ("job", "needs"), ("job=churn", "double quotes"), (#"job="x"#, "unclosed"),
                              (#"job="x" env="y""#, "commas"), (#"9job="x""#, "label name"), (#"job="x"}; drop"#, "commas")] {
            #expect(throws: PromQLSelectorError.self) { try PromQLSelector(bad) }
            do { _ = try PromQLSelector(bad) } catch { #expect(error.description.contains(reason), "\(bad): \(error)") }
        }
        let s = try PromQLSelector(#"job="churn-api""#)
        #expect(s.metric("up") == #"up{job="churn-api"}"#)
        #expect(s.metric("x", #"status=~"5..""#) == #"x{job="churn-api",status=~"5.."}"#)
        #expect(PromQLSelector.quote(#"a"b\c"#) == #""a\"b\\c""#)
    }

    @Test("a combined query tags each part, and its answer splits back by tag")
    func combined() {
        let text = FleetQueries.combined([("up", "up{job=\"x\"}"), ("rate_60", "sum(rate(y[1m]))")])
        #expect(text == #"label_replace(up{job="x"}, "churn_query", "up", "", "") or label_replace(sum(rate(y[1m])), "churn_query", "rate_60", "", "")"#)
        let parts = FleetQueries.split([
            PromQLSample(labels: ["churn_query": "up", "instance": "a"], time: 1, value: 1),
            PromQLSample(labels: ["churn_query": "up", "instance": "b"], time: 1, value: 0),
            PromQLSample(labels: ["churn_query": "rate_60"], time: 1, value: 2.5),
            PromQLSample(labels: ["other": "untagged"], time: 1, value: 9),
        ])
        #expect(parts["up"]?.map(\.labels) == [["instance": "a"], ["instance": "b"]])
        #expect(parts["rate_60"]?.first?.value == 2.5)
        #expect(parts.count == 2)
    }

    @Test("fleet drift counts exact deltas of the bin counters, only of rows the reference model scored")
    func driftQuery() throws {
        let q = FleetQueries(selector: .standard, modelVersion: "logistic-1")
        let drift = try #require(q.instant.first { $0.name == "drift_bins" }?.expression)
        let series = #"churn_feature_bin_total{job="churn-api",model_version="logistic-1"}"#
        #expect(drift.hasPrefix("sum by (feature, bin) "))
        #expect(drift.contains("\(series) - \(series) offset 15m"))
        #expect(drift.contains("or \(series)"))
        #expect(q.instant.first { $0.name == "drift_replicas" }?.expression == #"count(churn_model_info{job="churn-api",version="logistic-1"})"#)
        #expect(!drift.contains("increase("))
        #expect(FleetQueries(selector: .standard, modelVersion: nil).instant.allSatisfy { !$0.name.hasPrefix("drift") })
    }

    @Test("alert thresholds are read from the rule's comparison, outside label matchers")
    func thresholds() {
        func rule(_ name: String, _ query: String) -> PrometheusAlertRule {
            PrometheusAlertRule(group: "g", name: name, query: query, state: "inactive", summary: nil, health: nil, lastError: nil, alerts: [])
        }
        #expect(FleetAlertBook.threshold(rule("A", #"sum(rate(x{status=~"5.."}[5m])) / sum(rate(x[5m])) > 0.05"#)) == 0.05)
        #expect(FleetAlertBook.threshold(rule("B", #"up{job="churn-api"} == 0 or absent(up{job="churn-api"})"#)) == 0)
        #expect(FleetAlertBook.threshold(rule("C", "model_f1_score < bool 0.5")) == 0.5)
        #expect(FleetAlertBook.threshold(rule("DataDriftHigh", "data_drift_score")) == 0.3)
        #expect(FleetAlertBook.threshold(rule("Unknown", "x")) == 0)
    }

    @Test("alert rules map to ok/pending/firing, keep their since, and record transitions between polls")
    func alertBook() {
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let active = t0.addingTimeInterval(-400)
        func rules(_ state: String) -> [PrometheusAlertRule] {
            [
                PrometheusAlertRule(group: "churn-api", name: "HighErrorRate", query: "sum(rate(http_requests_total[5m])) > 0.05",
                                    holdSeconds: 300, state: state, summary: "errors", health: "ok", lastError: nil,
                                    alerts: state == "inactive" ? [] : [.init(labels: [:], state: state, activeAt: active, value: 0.2)]),
                PrometheusAlertRule(group: "other-team", name: "DiskFull", query: "node_filesystem_free < 1", state: "firing",
                                    summary: nil, health: "ok", lastError: nil, alerts: []),
            ]
        }
        var book = FleetAlertBook()
        let first = book.update(rules("inactive"), selector: .standard, now: t0)
        #expect(first.map(\.name) == ["HighErrorRate"], "another service's rule is not the fleet's")
        #expect(first[0].state == .ok && first[0].since == t0 && first[0].threshold == 0.05)
        let pending = book.update(rules("pending"), selector: .standard, now: t0.addingTimeInterval(10))
        #expect(pending[0].state == .pending && pending[0].since == active && pending[0].value == 0.2)
        let firing = book.update(rules("firing"), selector: .standard, now: t0.addingTimeInterval(20))
        #expect(firing[0].state == .firing && firing[0].since == active.addingTimeInterval(300))
        let ok = book.update(rules("inactive"), selector: .standard, now: t0.addingTimeInterval(30))
        #expect(ok[0].state == .ok && ok[0].since == t0.addingTimeInterval(30))
        #expect(book.transitions.map { "\($0.from.rawValue)->\($0.to.rawValue)" } == ["firing->ok", "pending->firing", "ok->pending"])
    }

    @Test("the rules API answer decodes with nanosecond times and per-alert values")
    func rulesDecode() throws {
        let json = #"""
        {"status":"success","data":{"groups":[{"name":"churn-api","file":"alerts.yml","rules":[
          {"state":"firing","name":"ApiDown","query":"up == 0","duration":60,"labels":{},"annotations":{"summary":"down"},
           "alerts":[{"labels":{"instance":"a"},"annotations":{},"state":"firing","activeAt":"2026-11-28T09:09:42.123456789Z","value":"0e+00"}],
           "health":"ok","type":"alerting"},
          {"name":"rec","query":"sum(x)","health":"ok","type":"recording"}]}]}}
        """#
        let rules = try PrometheusRulesResponse.decode(Data(json.utf8))
        #expect(rules.count == 1)
        #expect(rules[0].name == "ApiDown" && rules[0].holdSeconds == 60 && rules[0].summary == "down")
        let at = try #require(rules[0].alerts.first?.activeAt)
        #expect(abs(at.timeIntervalSince1970 - 1_795_856_982.123456789) < 1e-6)
        #expect(rules[0].alerts.first?.value == 0)
        #expect(throws: PromQLError.self) { try PrometheusRulesResponse.decode(Data(#"{"status":"success","data":{}}"#.utf8)) }
    }
}
