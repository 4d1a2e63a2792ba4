import ChurnModel
import ChurnTestSupport
import Foundation
import Testing

/// What the server does beyond its limits: more requests in flight than `--max-in-flight`, and clients that
/// send their request slower than anyone should (slowloris). Real `churn serve` processes, real sockets.
@Suite("Overload and slow clients", .serialized)
struct ServerOverloadTests {
    /// A request whose head has arrived and whose body never finishes: its route is running (collecting the
    /// body), so it holds one in-flight slot.
    static func holdSlot(_ port: Int) throws -> RawConnection {
        let c = try RawConnection(port: port)
        c.send("POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"a\":")
        return c
    }

    /// The status of a `/predict` once the server has let go of the slots a departed client held: it frees them
    /// when it has finished with the cut request, a moment after the client sees the close, so this asks again
    /// (up to 5 s) while the answer is 503.
    static func statusOnceSlotFree(_ server: TestServer) async throws -> Int {
        var status = 0
        try await poll(until: {
            status = try await server.client.post("/predict", json: TelcoFixture.json(1)).status
            return status != 503
        }, deadline: 5)
        return status
    }

    @Test("beyond --max-in-flight the server answers 503 with Retry-After at once, and serves again when load drops")
    func shedsLoad() async throws {
        // The held requests send nothing more: only their 600 s deadlines may end them, not the 30 s idle timeout
        // (a CI run where this test took 103 s saw the slots freed mid-check, and 200s where 503s belonged).
        try await TestServer.with(configure: { $0.maxInFlight = 4; $0.requestTimeoutSeconds = 600; $0.idleTimeoutSeconds = 600 }) { server in
            #expect(try await server.client.get("/health").status == 200)
            var held: [RawConnection] = []
            for _ in 0..<4 { held.append(try Self.holdSlot(server.port)) }
            // The four heads reach their route in their own time on a loaded machine: wait (up to the usual 60 s;
            // 10 s ran out once in a clean-clone CI run where this test took 103 s) until the server sheds a
            // request, which it does only once all four slots are taken. The probe takes a slot while it is in
            // flight, so a held head that arrives late, beside three held slots and the probe, is itself the one
            // shed: answered 503, it holds nothing (a CI run where this test took 200 s stayed at three held slots
            // for the whole 60 s). Such a request is replaced by a new one until four are held.
            var replaced = 0
            let shedding = try await poll(until: {
                for i in held.indices where held[i].answeredOrClosed {
                    held[i] = try Self.holdSlot(server.port)
                    replaced += 1
                }
                return try await server.client.post("/predict", json: TelcoFixture.json(1)).status == 503
            })
            #expect(shedding)
            print("overload: \(replaced) held request(s) answered before their slot was taken, and replaced")
            var latencies: [Double] = []
            for _ in 0..<20 {
                let start = ContinuousClock.now
                let r = try await server.client.post("/predict", json: TelcoFixture.json(1))
                latencies.append((ContinuousClock.now - start).inSeconds)
                #expect(r.status == 503)
                #expect(r.header("retry-after") == "1")
                #expect(r.text.contains("\"code\":\"overloaded\""))
            }
            latencies.sort()
            print("overload: 503 latency median \(latencies[10] * 1000) ms, max \(latencies.last! * 1000) ms")
            // No queueing: every one of the 20 was answered 503 while the four slots were still held (they hold
            // them until the 600 s request timeout, far beyond any pause of a loaded machine: at 60 s, one full-suite run
            // saw a held slot expire mid-loop), so none waited for a slot. The latencies are printed, not
            // asserted: a loaded test machine can delay any answer.
            held.removeAll()  // the slow clients go away; the server frees their slots once it sees them gone
            #expect(try await Self.statusOnceSlotFree(server) == 200)
            for i in 0..<10 { #expect(try await server.client.post("/predict", json: TelcoFixture.json(i)).status == 200) }
        }
    }

    @Test("a client trickling its headers is cut by the idle timeout")
    func trickledHeaders() async throws {
        try await TestServer.with(configure: { $0.idleTimeoutSeconds = 2; $0.requestTimeoutSeconds = 3 }) { server in
            let c = try RawConnection(port: server.port)
            let head = "POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + String(repeating: "a", count: 200) + "\r\n"
            let cut = c.trickle(head, every: 0.5)
            print("slowloris headers: cut after \(cut.map { String(format: "%.1f s", $0) } ?? "never")")
            // Trickling the whole head would take 100 s: being cut at all is the idle timeout at work.
            #expect(cut != nil)
            #expect(try await server.client.get("/health").status == 200)
        }
    }

    @Test("a client trickling its body is cut by the request timeout, freeing its in-flight slot")
    func trickledBody() async throws {
        try await TestServer.with(configure: { $0.idleTimeoutSeconds = 2; $0.requestTimeoutSeconds = 3; $0.maxInFlight = 1 }) { server in
            let c = try RawConnection(port: server.port)
            c.send("POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
            // One byte every second: each byte restarts Hummingbird's idle timer, so only a request deadline cuts this.
            let cut = c.trickle(String(repeating: " ", count: 20), every: 1.0)
            print("slowloris body: cut after \(cut.map { String(format: "%.1f s", $0) } ?? "never")")
            // Trickling the whole body would take 20 s with each byte restarting the idle timer: only the request
            // deadline cuts it.
            #expect(cut != nil)
            // The slot it held is free again.
            #expect(try await Self.statusOnceSlotFree(server) == 200)
            // The cut request is the client's failure (408), not a server error that would feed HighErrorRate.
            let metrics = try await server.client.get("/metrics").text
            #expect(metrics.contains("http_requests_total{method=\"POST\",path=\"/predict\",status=\"408\"} 1"), "\(metrics.prefix(600))")
            #expect(!metrics.contains("status=\"500\""))
        }
    }
}
