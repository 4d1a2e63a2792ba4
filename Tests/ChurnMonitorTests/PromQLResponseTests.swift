import Foundation
import Testing
@testable import ChurnMonitor

@Suite("PromQL response decoder")
struct PromQLResponseTests {
    func decode(_ json: String) throws(PromQLError) -> PromQLResponse { try PromQLResponse.decode(Data(json.utf8)) }

    func malformed(_ json: String) -> String? {
        do {
            _ = try decode(json)
            return nil
        } catch {
            if case .malformed(let why) = error { return why }
            return "not malformed: \(error)"
        }
    }

    @Test("an instant vector: labels, time and value of each sample")
    func vector() throws {
        let r = try decode(#"""
        {"status":"success","data":{"resultType":"vector","result":[
          {"metric":{"__name__":"up","instance":"10.0.0.5:8000","job":"churn-api"},"value":[1795857521.534,"1"]},
          {"metric":{"instance":"10.0.0.6:8000"},"value":[1795857521.534,"0.25"]}]}}
        """#)
        let v = try r.vector()
        #expect(v.count == 2)
        #expect(v[0].labels == ["__name__": "up", "instance": "10.0.0.5:8000", "job": "churn-api"])
        #expect(v[0].time == 1_795_857_521.534)
        #expect(v[0].value == 1)
        #expect(v[1].value == 0.25)
        #expect(r.warnings.isEmpty)
    }

    @Test("a range matrix keeps every point in order")
    func matrix() throws {
        let r = try decode(#"""
        {"status":"success","data":{"resultType":"matrix","result":[
          {"metric":{"churn_query":"rate"},"values":[[100,"1.5"],[110,"2"],[120,"1e-3"]]}]},"warnings":["too many samples"]}
        """#)
        let m = try r.matrix()
        #expect(m.count == 1)
        #expect(m[0].labels == ["churn_query": "rate"])
        #expect(m[0].points == [PromQLPoint(time: 100, value: 1.5), PromQLPoint(time: 110, value: 2), PromQLPoint(time: 120, value: 0.001)])
        #expect(r.warnings == ["too many samples"])
        #expect(throws: PromQLError.self) { try r.vector() }
    }

    @Test("NaN and infinities arrive as strings and decode as such")
    func specialValues() throws {
        let v = try decode(#"""
        {"status":"success","data":{"resultType":"vector","result":[
          {"metric":{"q":"a"},"value":[1,"NaN"]},{"metric":{"q":"b"},"value":[1,"+Inf"]},
          {"metric":{"q":"c"},"value":[1,"-Inf"]},{"metric":{"q":"d"},"value":[1,"-0.5"]}]}}
        """#).vector()
        #expect(v[0].value.isNaN && v[0].finite == nil)
        #expect(v[1].value == .infinity && v[1].finite == nil)
        #expect(v[2].value == -.infinity)
        #expect(v[3].finite == -0.5)
    }

    @Test("a scalar reads as one unlabelled sample; a string result is kept as text")
    func scalarAndString() throws {
        let s = try decode(#"{"status":"success","data":{"resultType":"scalar","result":[5,"42"]}}"#)
        #expect(try s.vector() == [PromQLSample(labels: [:], time: 5, value: 42)])
        let t = try decode(#"{"status":"success","data":{"resultType":"string","result":[5,"hello"]}}"#)
        #expect(t.result == .string("hello"))
    }

    @Test("an error answer throws Prometheus's own error type and message")
    func serverError() {
        do {
            _ = try decode(#"{"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected \"}\""}"#)
            Issue.record("decoded an error")
        } catch {
            #expect(error == .server(type: "bad_data", message: "1:5: parse error: unexpected \"}\""))
            #expect("\(error)".contains("bad_data"))
            #expect("\(error)".contains("--selector"))
        }
        #expect(throws: PromQLError.server(type: "timeout", message: "query timed out in expression evaluation")) {
            try decode(#"{"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"}"#)
        }
    }

    @Test("unexpected shapes are errors that say what was wrong, never a crash", arguments: [
        ("", "not JSON"),
        ("<html>502 Bad Gateway</html>", "not JSON"),
        ("[1,2,3]", "not a JSON object"),
        (#"{"data":{}}"#, "'status'"),
        (#"{"status":"maybe"}"#, "status is 'maybe'"),
        (#"{"status":"success"}"#, "'data'"),
        (#"{"status":"success","data":{"result":[]}}"#, "resultType"),
        (#"{"status":"success","data":{"resultType":"vector"}}"#, "'data.result' is missing"),
        (#"{"status":"success","data":{"resultType":"vector","result":{}}}"#, "not an array"),
        (#"{"status":"success","data":{"resultType":"vector","result":[7]}}"#, "data.result[0] is not an object"),
        (#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1]}]}}"#, "pair"),
        (#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,2]}]}}"#, "not a string"),
        (#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":["1","2"]}]}}"#, "time"),
        (#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[true,"2"]}]}}"#, "time"),
        (#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"abc"]}]}}"#, "'abc'"),
        (#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"nan"]}]}}"#, "'nan'"),
        (#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"0x1p3"]}]}}"#, "'0x1p3'"),
        (#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":1},"value":[1,"2"]}]}}"#, "metric.a"),
        (#"{"status":"success","data":{"resultType":"vector","result":[{"metric":[],"value":[1,"2"]}]}}"#, "metric is not an object"),
        (#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{}}]}}"#, "neither"),
        (#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"2"],[3]]}]}}"#, "values[1]"),
        (#"{"status":"success","data":{"resultType":"scalar","result":"5"}}"#, "pair"),
        (#"{"status":"success","data":{"resultType":"histogram","result":[]}}"#, "unknown resultType"),
    ])
    func unexpectedShapes(_ c: (String, String)) {
        let why = malformed(c.0)
        #expect(why != nil, "decoded \(c.0)")
        #expect(why?.contains(c.1) == true, "\(why ?? "nil") should mention \(c.1)")
    }

    @Test("deeply nested or control-character input is refused cleanly")
    func hostileInput() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(malformed(deep) != nil)
        let control = "{\"status\":\"\u{1b}[31mred\"}"
        let why = malformed(control) ?? ""
        #expect(!why.contains("\u{1b}"), "control characters must not reach the screen")
    }

    @Test("native histogram samples (no float value) are skipped, not misread")
    func nativeHistogram() throws {
        let v = try decode(#"""
        {"status":"success","data":{"resultType":"vector","result":[
          {"metric":{"q":"h"},"histogram":[1,{"count":"2","sum":"3","buckets":[]}]},{"metric":{"q":"f"},"value":[1,"4"]}]}}
        """#).vector()
        #expect(v == [PromQLSample(labels: ["q": "f"], time: 1, value: 4)])
    }
}
