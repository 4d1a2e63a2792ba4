import Foundation

/// A real HTTP server on 127.0.0.1 standing in for Prometheus: each request's path picks a canned answer
/// (status, body, delay). Requests (line, headers, body) are kept for assertions.
public final class FakePrometheus: Sendable {
    public struct Answer: Sendable {
        public var status: Int
        public var body: String
        public var delay: Double = 0

        public init(status: Int, body: String, delay: Double = 0) {
            self.status = status
            self.body = body
            self.delay = delay
        }
    }

    private let server: LoopbackHTTPServer
    private let answers: Locked<[String: Answer]>

    public init() throws {
        let answers = Locked<[String: Answer]>([:])
        self.answers = answers
        server = try LoopbackHTTPServer { request in
            let answer = answers.withLock { a in
                a.keys.sorted { $0.count > $1.count }.first { request.path.hasPrefix($0) }.flatMap { a[$0] }
            } ?? Answer(status: 404, body: "404 page not found")
            return .init(status: answer.status, body: Data(answer.body.utf8), delay: answer.delay)
        }
    }

    public var port: UInt16 { server.port }
    public var url: URL { server.url }
    /// Requests received (line, headers and body), for assertions.
    public var requests: Locked<[String]> { server.requests }

    /// Answers requests whose path starts with `path` (e.g. "/api/v1/query", "/api/v1/rules").
    public func answer(_ path: String, _ answer: Answer) { answers.withLock { $0[path] = answer } }

    public func stop() { server.stop() }

    /// A vector answer in Prometheus's JSON, each sample tagged with its combined-query part.
    public static func vector(_ parts: [(part: String, labels: [String: String], value: String)], time: Double = 1_800_000_000) -> String {
        let items = parts.map { p -> String in
            var labels = p.labels
            labels["churn_query"] = p.part
            let metric = labels.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\"\($0.value)\"" }.joined(separator: ",")
            return "{\"metric\":{\(metric)},\"value\":[\(time),\"\(p.value)\"]}"
        }
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[\(items.joined(separator: ","))]}}"
    }
}
