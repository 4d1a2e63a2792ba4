import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A real HTTP/1.1 server on 127.0.0.1 (an ephemeral port), one thread per connection, answering each request
/// with whatever `handler` returns: the listener behind `TinyHTTPServer` (one canned answer) and `FakePrometheus`
/// (answers by path). Every request (head and body, as text) is kept for assertions.
public final class LoopbackHTTPServer: Sendable {
    /// A request as received.
    public struct Request: Sendable {
        public var method: String
        public var path: String
        /// Head and body as text.
        public var text: String
    }

    /// What to answer: status and body, held back `delay` seconds first (a slow server; `stop()` ends the wait).
    public struct Reply: Sendable {
        public var status: Int
        public var body: Data
        public var delay: Double

        public init(status: Int, body: Data, delay: Double = 0) {
            self.status = status
            self.body = body
            self.delay = delay
        }
    }

    public let port: UInt16
    /// Requests received so far (head and body as text), oldest first.
    public let requests = Locked<[String]>([])
    private let fd: Int32
    private let handler: @Sendable (Request) -> Reply
    private let stopped = Atomic<Bool>(false)
    private let stopSignal = DispatchSemaphore(value: 0)

    public init(handler: @escaping @Sendable (Request) -> Reply) throws {
        self.handler = handler
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        port = UInt16(bigEndian: addr.sin_port)
        self.fd = fd
        Thread { [self] in self.serve() }.start()
    }

    public var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// Closes the listening socket and releases replies still being held back.
    public func stop() {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
        stopSignal.signal()
    }

    private func serve() {
        while !stopped.load(ordering: .relaxed) {
            let client = accept(fd, nil, nil)
            if client < 0 { if stopped.load(ordering: .relaxed) { return } else { continue } }
            Thread { [self] in self.handle(client) }.start()
        }
    }

    private func handle(_ client: Int32) {
        defer { close(client) }
        guard let request = Self.read(client) else {
            // Not HTTP (a TLS hello on this plain port, say): answer 400 at once and close, as real servers do.
            let refusal = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            _ = refusal.withCString { send(client, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
            return
        }
        requests.withLock { $0.append(request.text) }
        let reply = handler(request)
        if reply.delay > 0, stopSignal.wait(timeout: .now() + reply.delay) == .success {
            stopSignal.signal() // pass the release on to the next held reply
            return
        }
        var out = Data("HTTP/1.1 \(reply.status) X\r\nContent-Type: application/json\r\nContent-Length: \(reply.body.count)\r\nConnection: close\r\n\r\n".utf8)
        out.append(reply.body)
        out.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = send(client, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n <= 0 { return }
                offset += n
            }
        }
    }

    /// Reads one request: the head, then as many body bytes as Content-Length says.
    static func read(_ client: Int32) -> Request? {
        var data = Data()
        var buf = [UInt8](repeating: 0, count: 65536)
        let separator = Data("\r\n\r\n".utf8)
        while data.range(of: separator) == nil {
            let n = recv(client, &buf, buf.count, 0)
            if n <= 0 { return nil }
            data.append(contentsOf: buf[0..<n])
            // A request line starts with a method in capitals; anything else is not HTTP.
            guard let first = data.first, (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(first) else { return nil }
        }
        let headEnd = data.range(of: separator)!.upperBound
        let head = String(decoding: data[..<headEnd], as: UTF8.self)
        let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        while data.count - headEnd < length {
            let n = recv(client, &buf, buf.count, 0)
            if n <= 0 { break }
            data.append(contentsOf: buf[0..<n])
        }
        let line = head.split(separator: " ", maxSplits: 2)
        return Request(method: line.first.map(String.init) ?? "", path: line.count > 1 ? String(line[1]) : "",
                       text: String(decoding: data, as: UTF8.self))
    }
}
