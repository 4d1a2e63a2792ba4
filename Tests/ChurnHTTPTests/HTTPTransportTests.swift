@testable import ChurnHTTP
import ChurnTestSupport
import Foundation
import Testing

/// The one client transport against a real loopback server: plain http through the socket client, and libcurl
/// (loaded on demand) for https, driven here over http too so its bindings are exercised for real.
@Suite("HTTP transport", .timeLimit(.minutes(1)))
struct HTTPTransportTests {
    static func echo() throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer { request in
            .init(status: request.method == "PUT" ? 201 : 200, body: Data("\(request.method) \(request.path)".utf8))
        }
    }

    @Test("http: method, path with its percent-encoding and query, headers and body arrive; the answer comes back whole")
    func plain() async throws {
        let server = try Self.echo()
        defer { server.stop() }
        let url = URL(string: "http://127.0.0.1:\(server.port)/api/2.0/a%20b/c?x=1&y=%2F")!
        let response = try await HTTPTransport(timeout: loopbackAnswerTimeout).post(url, body: Data("{\"k\":1}".utf8), headers: ["X-Test": "yes"])
        #expect(response.status == 200)
        #expect(response.text == "POST /api/2.0/a%20b/c?x=1&y=%2F")
        #expect(response.headers["content-type"] == "application/json")
        let seen = try #require(server.requests.withLock { $0.first })
        #expect(seen.contains("X-Test: yes\r\n"))
        #expect(seen.hasSuffix("\r\n\r\n{\"k\":1}"))
    }

    @Test("libcurl (https's engine) sends the same exchange: custom method, headers, body; status and headers read")
    func curl() throws {
        let server = try Self.echo()
        defer { server.stop() }
        var request = HTTPRequest("PUT", URL(string: "http://127.0.0.1:\(server.port)/artifacts/m%20j.json")!, body: Data("xyz".utf8))
        request.headers["Authorization"] = "Bearer t"
        let response = try CurlExchange.perform(request, timeout: loopbackAnswerTimeout)
        #expect(response.status == 201)
        #expect(response.text == "PUT /artifacts/m%20j.json")
        #expect(response.headers["content-length"] == "\(response.body.count)")
        let seen = try #require(server.requests.withLock { $0.first })
        #expect(seen.contains("Authorization: Bearer t\r\n") && seen.hasSuffix("\r\n\r\nxyz"))
    }

    @Test("https to a server that does not speak TLS fails as a TLS failure, in words")
    func tlsFailure() async throws {
        let server = try Self.echo()
        defer { server.stop() }
        do {
            _ = try await HTTPTransport(timeout: loopbackAnswerTimeout).get(URL(string: "https://127.0.0.1:\(server.port)/")!)
            Issue.record("https to a plain-http port succeeded")
        } catch {
            #expect(error.description.hasPrefix("TLS failed ("), "\(error)")
        }
    }

    @Test("a closed port is 'connection refused' on both engines, and a silent server is a timeout naming it")
    func failures() async throws {
        let server = try LoopbackHTTPServer { _ in .init(status: 200, body: Data(), delay: 3600) }
        let silent = URL(string: "http://127.0.0.1:\(server.port)/")!
        do {
            _ = try await HTTPTransport(timeout: 0.3).get(silent)
            Issue.record("a silent server answered")
        } catch {
            #expect(error.description == "no answer within 0.3 s")
        }
        do {
            _ = try CurlExchange.perform(HTTPRequest("GET", silent), timeout: 0.3)
            Issue.record("a silent server answered libcurl")
        } catch {
            #expect(error.description == "no answer within 0.3 s")
        }
        server.stop()
        let closed = URL(string: "http://127.0.0.1:1/")!
        await #expect(throws: HTTPFailure(description: "connection refused")) { try await HTTPTransport(timeout: 2).get(closed) }
        #expect(throws: HTTPFailure(description: "connection refused")) { try CurlExchange.perform(HTTPRequest("GET", closed), timeout: 2) }
        await #expect(throws: HTTPFailure.self) { try await HTTPTransport(timeout: 2).get(URL(string: "ftp://127.0.0.1/")!) }
    }
}
