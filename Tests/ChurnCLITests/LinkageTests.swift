import ChurnTestSupport
import Foundation
import Testing

/// What the `churn` binary loads at start: https is served by libcurl loaded on demand, so neither libcurl nor
/// FoundationNetworking (which would bring libcurl's TLS and Kerberos stack) may be linked.
@Suite("churn binary linkage")
struct LinkageTests {
    @Test("the binary does not link FoundationNetworking or libcurl")
    func noNetworkingLibraries() throws {
        let result = try run("/usr/bin/ldd", [ChurnBinary.path])
        let text = String(decoding: result.stdout, as: UTF8.self)
        #expect(result.status == 0, "\(text)")
        #expect(text.contains("libswiftCore"), "\(text)")
        #expect(!text.contains("FoundationNetworking"))
        #expect(!text.contains("libcurl"))
    }
}
