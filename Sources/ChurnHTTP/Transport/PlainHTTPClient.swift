import ChurnBase
import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A small HTTP/1.1 client for plain `http://` requests over a POSIX socket, with one deadline for the
/// whole exchange.
///
/// The console polls a server every second for days; this client keeps that loop light (no libcurl, no TLS
/// library initialised, a few kilobytes per request) and its timeouts exact. `HTTPTransport` sends `http://`
/// requests here and `https://` ones to libcurl (`CurlExchange`).
public struct PlainHTTPClient: Sendable {
    public typealias Response = HTTPResponse
    public typealias Failure = HTTPFailure

    public let timeout: Double

    public init(timeout: Double) {
        self.timeout = timeout
    }

    /// GETs `url` (scheme http) off the Swift concurrency pool.
    public func get(_ url: URL, headers: [String: String] = [:]) async throws -> Response {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try self.blockingGet(url, headers: headers) })
            }
        }
    }

    /// POSTs `body` to `url` (scheme http) off the Swift concurrency pool.
    public func post(_ url: URL, body: Data, headers: [String: String] = [:]) async throws -> Response {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try self.blockingRequest("POST", url, headers: headers, body: body) })
            }
        }
    }

    public func blockingGet(_ url: URL, headers: [String: String] = [:]) throws -> Response {
        try blockingRequest("GET", url, headers: headers, body: nil)
    }

    public func blockingRequest(_ method: String, _ url: URL, headers: [String: String], body: Data?) throws -> Response {
        guard url.scheme?.lowercased() == "http", let host = url.host else {
            throw Failure(description: "not an http:// URL: \(url.absoluteString)")
        }
        let deadline = Date().addingTimeInterval(timeout)
        let port = url.port ?? 80
        let fd = try connect(host: host, port: port, deadline: deadline)
        defer { close(fd) }
        // The path as written (percent-encoded), not URL.path, which decodes it.
        let parts = URLComponents(url: url, resolvingAgainstBaseURL: false)
        var path = parts?.percentEncodedPath ?? ""
        if path.isEmpty { path = "/" }
        if let query = parts?.percentEncodedQuery { path += "?" + query }
        var request = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\nAccept-Encoding: identity\r\n"
        for (k, v) in headers { request += "\(k): \(v)\r\n" }
        if let body { request += "Content-Length: \(body.count)\r\n" }
        request += "\r\n"
        try send(fd, Array(request.utf8) + (body.map { Array($0) } ?? []), deadline: deadline)
        let raw = try receiveAll(fd, deadline: deadline)
        return try parse(raw)
    }

    func connect(host: String, port: Int, deadline: Date) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &result)
        guard rc == 0, let first = result else {
            throw Failure(description: "unknown host \(host)")
        }
        defer { freeaddrinfo(result) }
        var lastError = "connection refused"
        var info: UnsafeMutablePointer<addrinfo>? = first
        while let ai = info {
            info = ai.pointee.ai_next
            let fd = socket(ai.pointee.ai_family, ai.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), ai.pointee.ai_protocol)
            if fd < 0 { continue }
            let flags = fcntl(fd, F_GETFL, 0)
            _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
            if Glibc.connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 { return fd }
            if errno != EINPROGRESS { lastError = String(cString: strerror(errno)); close(fd); continue }
            guard wait(fd, events: Int16(POLLOUT), deadline: deadline) else {
                close(fd)
                throw Failure(description: "no answer within \(PlainHTTPClient.seconds(timeout))")
            }
            var soError: Int32 = 0
            var len = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &len)
            if soError == 0 { return fd }
            lastError = soError == ECONNREFUSED ? "connection refused" : String(cString: strerror(soError))
            close(fd)
        }
        throw Failure(description: lastError)
    }

    func wait(_ fd: Int32, events: Int16, deadline: Date) -> Bool {
        while true {
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { return false }
            var p = pollfd(fd: fd, events: events, revents: 0)
            let n = poll(&p, 1, Int32(min(left * 1000, 60_000).rounded(.up)))
            if n > 0 { return true }
            if n < 0 && errno != EINTR { return false }
        }
    }

    func send(_ fd: Int32, _ bytes: [UInt8], deadline: Date) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBufferPointer { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if n > 0 { offset += n; continue }
            if n < 0 && (errno == EAGAIN || errno == EINTR) {
                guard wait(fd, events: Int16(POLLOUT), deadline: deadline) else { throw Failure(description: "no answer within \(PlainHTTPClient.seconds(timeout))") }
                continue
            }
            throw Failure(description: "connection lost")
        }
    }

    func receiveAll(_ fd: Int32, deadline: Date) throws -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            guard wait(fd, events: Int16(POLLIN), deadline: deadline) else {
                throw Failure(description: "no answer within \(PlainHTTPClient.seconds(timeout))")
            }
            let n = recv(fd, &buffer, buffer.count, 0)
            if n > 0 {
                data.append(contentsOf: buffer[0..<n])
                if data.count > 256 << 20 { throw Failure(description: "answer larger than 256 MiB") }
                if let complete = PlainHTTPClient.completeLength(data), data.count >= complete { return data.prefix(complete) }
                continue
            }
            if n == 0 { return data }
            if errno == EAGAIN || errno == EINTR { continue }
            throw Failure(description: "connection lost")
        }
    }

    /// Total length of the response once the headers say it (Content-Length), else nil (read to close).
    static func completeLength(_ data: Data) -> Int? {
        guard let end = data.firstRange(of: Array("\r\n\r\n".utf8)) else { return nil }
        let head = String(decoding: data[..<end.lowerBound], as: UTF8.self).lowercased()
        for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
            if let n = Int(line.dropFirst("content-length:".count).trimmingWhitespace(newlines: false)) {
                return end.upperBound - data.startIndex + n
            }
        }
        return nil
    }

    func parse(_ data: Data) throws -> Response {
        guard let end = data.firstRange(of: Array("\r\n\r\n".utf8)) else { throw Failure(description: "answer is not HTTP") }
        let lines = String(decoding: data[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/"), let status = Int(statusParts[1]) else {
            throw Failure(description: "answer is not HTTP")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingWhitespace(newlines: false)
        }
        var body = Data(data[end.upperBound...])
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true { body = try PlainHTTPClient.dechunk(body) }
        return Response(status: status, headers: headers, body: body)
    }

    static func dechunk(_ data: Data) throws -> Data {
        var out = Data()
        var rest = data[...]
        while let lineEnd = rest.firstRange(of: Array("\r\n".utf8)) {
            let sizeText = String(decoding: rest[..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingWhitespace(newlines: false), radix: 16) else { throw Failure(description: "bad chunked answer") }
            if size == 0 { return out }
            let start = lineEnd.upperBound
            guard rest.distance(from: start, to: rest.endIndex) >= size + 2 else { throw Failure(description: "truncated answer") }
            let chunkEnd = rest.index(start, offsetBy: size)
            out.append(rest[start..<chunkEnd])
            rest = rest[rest.index(chunkEnd, offsetBy: 2)...]
        }
        throw Failure(description: "truncated answer")
    }

    public static func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : String(cFormat: "%.1f s", s)
    }
}
