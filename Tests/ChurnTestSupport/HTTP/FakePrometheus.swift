import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

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

    public let port: UInt16
    private let fd: Int32
    private let answers = Mutex<[String: Answer]>([:])
    private let stopped = Atomic<Bool>(false)
    public let requests = Mutex<[String]>([])

    public init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 32) == 0 else { throw POSIXError(.EADDRINUSE) }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        port = UInt16(bigEndian: addr.sin_port)
        self.fd = fd
        let thread = Thread { [self] in self.serve() }
        thread.start()
    }

    public var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// Answers requests whose path starts with `path` (e.g. "/api/v1/query", "/api/v1/rules").
    public func answer(_ path: String, _ answer: Answer) { answers.withLock { $0[path] = answer } }

    public func stop() {
        stopped.store(true, ordering: .relaxed)
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    private func serve() {
        while !stopped.load(ordering: .relaxed) {
            let client = accept(fd, nil, nil)
            if client < 0 { if stopped.load(ordering: .relaxed) { return } else { continue } }
            // One thread per connection: the source sends its requests at once.
            Thread { [self] in self.handle(client) }.start()
        }
    }

    private func handle(_ client: Int32) {
        defer { close(client) }
        var request = Data()
        var buf = [UInt8](repeating: 0, count: 65536)
        let separator = Data("\r\n\r\n".utf8)
        while request.range(of: separator) == nil {
            let n = read(client, &buf, buf.count)
            if n <= 0 { return }
            request.append(contentsOf: buf[0..<n])
        }
        let headEnd = request.range(of: separator)!.upperBound
        let head = String(decoding: request[..<headEnd], as: UTF8.self)
        let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        while request.count - headEnd < length {
            let n = read(client, &buf, buf.count)
            if n <= 0 { break }
            request.append(contentsOf: buf[0..<n])
        }
        let text = String(decoding: request, as: UTF8.self)
        requests.withLock { $0.append(text) }
        let path = String(head.split(separator: " ").dropFirst().first ?? "")
        let answer = answers.withLock { a in
            a.keys.sorted { $0.count > $1.count }.first { path.hasPrefix($0) }.flatMap { a[$0] }
        } ?? Answer(status: 404, body: "404 page not found")
        if answer.delay > 0 { Thread.sleep(forTimeInterval: answer.delay) }
        let body = Data(answer.body.utf8)
        let reply = "HTTP/1.1 \(answer.status) X\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        var out = Data(reply.utf8)
        out.append(body)
        out.withUnsafeBytes { _ = write(client, $0.baseAddress, $0.count) }
    }

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
