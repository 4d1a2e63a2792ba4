import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A real HTTP server on 127.0.0.1 (an ephemeral port) that answers every request with a canned response:
/// enough to test the API source over a real socket without `churn serve`.
public final class TinyHTTPServer: Sendable {
    public let port: UInt16
    private let fd: Int32
    private let response: Mutex<(status: Int, body: Data, delay: Double)>
    private let stopped = Atomic<Bool>(false)
    /// Request lines and headers received, for assertions.
    public let requests = Mutex<[String]>([])

    public init(status: Int = 200, body: Data = Data()) throws {
        response = Mutex((status, body, 0))
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
        guard bound == 0, listen(fd, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
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

    public func respond(status: Int, body: Data, delay: Double = 0) {
        response.withLock { $0 = (status, body, delay) }
    }

    public func stop() {
        stopped.store(true, ordering: .relaxed)
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    private func serve() {
        while !stopped.load(ordering: .relaxed) {
            let client = accept(fd, nil, nil)
            if client < 0 { if stopped.load(ordering: .relaxed) { return } else { continue } }
            var request = Data()
            var buf = [UInt8](repeating: 0, count: 4096)
            while !request.contains("\r\n\r\n".data(using: .utf8)!) {
                let n = read(client, &buf, buf.count)
                if n <= 0 { break }
                request.append(contentsOf: buf[0..<n])
            }
            requests.withLock { $0.append(String(decoding: request, as: UTF8.self)) }
            let (status, body, delay) = response.withLock { $0 }
            if delay > 0 { Thread.sleep(forTimeInterval: delay) }
            var head = "HTTP/1.1 \(status) X\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
            head.withUTF8 { _ = write(client, $0.baseAddress, $0.count) }
            body.withUnsafeBytes { _ = write(client, $0.baseAddress, $0.count) }
            close(client)
        }
    }

}
