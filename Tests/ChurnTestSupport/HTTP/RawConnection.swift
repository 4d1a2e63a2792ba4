import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP connection driven byte by byte, to play the clients a server must survive: ones that trickle their
/// headers or body, hold a request open, or never read.
public final class RawConnection: @unchecked Sendable {
    public let fd: Int32

    public init(port: Int) throws {
        fd = try Self.connectLoopback(port: port)
    }

    /// A TCP socket connected to 127.0.0.1:`port`; the caller closes it.
    public static func connectLoopback(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(fd); throw POSIXError(.ECONNREFUSED) }
        return fd
    }

    deinit { close(fd) }

    /// Sends `text`; false when the server has closed the connection.
    @discardableResult
    public func send(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { raw in
            Glibc.send(fd, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL)) == raw.count
        }
    }

    /// True when the server has closed the connection (end of stream or reset) within `seconds`.
    /// Response bytes that arrive meanwhile are read and dropped.
    public func closedByServer(within seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ms = Int32(max(1, min(100, deadline.timeIntervalSinceNow * 1000)))
            if Glibc.poll(&p, 1, ms) > 0 {
                let n = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
                if n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) { return true }
            }
        }
        return false
    }

    /// True when the server has already answered on this connection or closed it; never waits.
    public var answeredOrClosed: Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return Glibc.poll(&p, 1, 0) > 0
    }

    /// Trickles `text` one byte every `interval` seconds until done or the server closes; returns the seconds
    /// from the first byte until the server closed the connection, or nil if it never did.
    public func trickle(_ text: String, every interval: Double) -> Double? {
        let start = Date()
        for ch in text {
            if !send(String(ch)) { return Date().timeIntervalSince(start) }
            if closedByServer(within: interval) { return Date().timeIntervalSince(start) }
        }
        return nil
    }
}
