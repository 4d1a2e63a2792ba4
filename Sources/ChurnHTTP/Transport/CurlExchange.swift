import ChurnBase
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One `https://` exchange for `HTTPTransport`, through libcurl (`LibCurl`): certificate checks against the
/// system's CA store, proxies from the environment (`https_proxy`), one deadline for the whole exchange. Blocking;
/// the transport runs it on a Dispatch thread.
enum CurlExchange {
    /// What the callbacks fill in while libcurl runs.
    final class Received {
        var body = Data()
        var headerLines: [String] = []
    }

    static func perform(_ request: HTTPRequest, timeout: Double) throws(HTTPFailure) -> HTTPResponse {
        let curl: LibCurl
        switch LibCurl.shared {
        case .success(let c): curl = c
        case .failure(let f): throw f
        }
        guard let easy = curl.easyInit() else { throw HTTPFailure(description: "libcurl could not start a request") }
        defer { curl.easyCleanup(easy) }
        var headers: OpaquePointer?
        defer { curl.slistFree(headers) }
        let received = Received()
        let box = Unmanaged.passRetained(received)
        defer { box.release() }

        _ = request.url.absoluteString.withCString { curl.setoptPointer(easy, LibCurl.optURL, $0) } // libcurl copies strings
        _ = curl.setoptLong(easy, LibCurl.optProtocols, 1 | 2) // CURLPROTO_HTTP | CURLPROTO_HTTPS, never redirects elsewhere
        _ = curl.setoptLong(easy, LibCurl.optNoSignal, 1)
        _ = curl.setoptLong(easy, LibCurl.optTimeoutMS, max(1, Int(timeout * 1000)))
        if request.method != "GET" && request.method != "POST" {
            _ = request.method.withCString { curl.setoptPointer(easy, LibCurl.optCustomRequest, $0) }
        }
        if let body = request.body {
            _ = curl.setoptLong(easy, LibCurl.optPostFieldSizeLarge, body.count)
            if body.isEmpty {
                _ = "".withCString { curl.setoptPointer(easy, LibCurl.optCopyPostFields, $0) }
            } else {
                _ = body.withUnsafeBytes { curl.setoptPointer(easy, LibCurl.optCopyPostFields, $0.baseAddress) }
            }
        }
        for (name, value) in request.headers {
            headers = "\(name): \(value)".withCString { curl.slistAppend(headers, $0) }
        }
        // No "Expect: 100-continue" round trip before a body.
        headers = "Expect:".withCString { curl.slistAppend(headers, $0) }
        _ = curl.setoptPointer(easy, LibCurl.optHTTPHeader, UnsafeRawPointer(headers))
        let onBody: LibCurl.Receive = { data, size, count, user in
            let r = Unmanaged<Received>.fromOpaque(user!).takeUnretainedValue()
            if let data { r.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: size * count) }
            return size * count
        }
        let onHeader: LibCurl.Receive = { data, size, count, user in
            let r = Unmanaged<Received>.fromOpaque(user!).takeUnretainedValue()
            if let data {
                let line = String(decoding: UnsafeRawBufferPointer(start: data, count: size * count), as: UTF8.self)
                r.headerLines.append(line.trimmingWhitespace())
            }
            return size * count
        }
        _ = curl.setoptPointer(easy, LibCurl.optWriteFunction, unsafeBitCast(onBody, to: UnsafeRawPointer.self))
        _ = curl.setoptPointer(easy, LibCurl.optWriteData, box.toOpaque())
        _ = curl.setoptPointer(easy, LibCurl.optHeaderFunction, unsafeBitCast(onHeader, to: UnsafeRawPointer.self))
        _ = curl.setoptPointer(easy, LibCurl.optHeaderData, box.toOpaque())

        let code = curl.easyPerform(easy)
        guard code == 0 else { throw HTTPFailure(description: describe(code, curl: curl, timeout: timeout)) }
        var status = 0
        _ = curl.getinfoLong(easy, LibCurl.infoResponseCode, &status)
        return HTTPResponse(status: status, headers: lastHeaders(received.headerLines), body: received.body)
    }

    /// The headers of the final response (a proxy's or a 100-continue's come first), names lowercased.
    static func lastHeaders(_ lines: [String]) -> [String: String] {
        var headers: [String: String] = [:]
        for line in lines {
            if line.hasPrefix("HTTP/") { headers = [:]; continue }
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingWhitespace(newlines: false)
        }
        return headers
    }

    /// libcurl's result code in the words the other clients use.
    static func describe(_ code: Int32, curl: LibCurl, timeout: Double) -> String {
        switch code {
        case 28: return "no answer within \(PlainHTTPClient.seconds(timeout))"
        case 7: return "connection refused"
        case 6: return "unknown host"
        case 52, 55, 56: return "connection lost"
        case 35, 58, 59, 60, 77, 83, 90, 91:
            return "TLS failed (\(curl.strerror(code).map { String(cString: $0) } ?? "error \(code)"))"
        default: return curl.strerror(code).map { String(cString: $0) } ?? "libcurl error \(code)"
        }
    }
}
