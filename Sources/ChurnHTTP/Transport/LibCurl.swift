#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// libcurl's easy interface, loaded with `dlopen` on the first https request. The `churn` binary does not link
/// libcurl (nor FoundationNetworking, which would load it and its TLS, Kerberos and LDAP libraries into every
/// process at start): a console or server that only speaks plain http never maps any of it.
final class LibCurl: @unchecked Sendable {
    typealias Handle = OpaquePointer
    typealias EasyInit = @convention(c) () -> Handle?
    typealias EasyCleanup = @convention(c) (Handle?) -> Void
    typealias EasyPerform = @convention(c) (Handle?) -> Int32
    // curl_easy_setopt and curl_easy_getinfo are variadic in C; called with exactly one argument after the option,
    // as here, the x86-64 and AArch64 Linux calling conventions pass it as they would a fixed parameter.
    typealias SetoptPointer = @convention(c) (Handle?, Int32, UnsafeRawPointer?) -> Int32
    typealias SetoptLong = @convention(c) (Handle?, Int32, Int) -> Int32
    typealias GetinfoLong = @convention(c) (Handle?, Int32, UnsafeMutablePointer<Int>) -> Int32
    typealias Strerror = @convention(c) (Int32) -> UnsafePointer<CChar>?
    typealias SlistAppend = @convention(c) (OpaquePointer?, UnsafePointer<CChar>) -> OpaquePointer?
    typealias SlistFree = @convention(c) (OpaquePointer?) -> Void
    typealias GlobalInit = @convention(c) (Int) -> Int32
    /// size_t (char *ptr, size_t size, size_t nmemb, void *userdata)
    typealias Receive = @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int

    // Option and info numbers from curl.h (stable across libcurl 7 and 8).
    static let optWriteData: Int32 = 10001, optURL: Int32 = 10002, optHTTPHeader: Int32 = 10023
    static let optHeaderData: Int32 = 10029, optCustomRequest: Int32 = 10036, optNoSignal: Int32 = 99
    static let optWriteFunction: Int32 = 20011, optHeaderFunction: Int32 = 20079, optTimeoutMS: Int32 = 155
    static let optPostFieldSizeLarge: Int32 = 30120, optCopyPostFields: Int32 = 10165, optProtocols: Int32 = 181
    static let infoResponseCode: Int32 = 0x200002

    let easyInit: EasyInit
    let easyCleanup: EasyCleanup
    let easyPerform: EasyPerform
    let setoptPointer: SetoptPointer
    let setoptLong: SetoptLong
    let getinfoLong: GetinfoLong
    let strerror: Strerror
    let slistAppend: SlistAppend
    let slistFree: SlistFree

    /// The library, loaded once per process; a failure says which file was looked for.
    static let shared: Result<LibCurl, HTTPFailure> = {
        for name in ["libcurl.so.4", "libcurl-gnutls.so.4", "libcurl.so"] {
            if let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL), let curl = LibCurl(handle) { return .success(curl) }
        }
        return .failure(HTTPFailure(description: "https needs libcurl (libcurl.so.4, Debian package libcurl4), which is not installed"))
    }()

    private init?(_ handle: UnsafeMutableRawPointer) {
        func symbol<T>(_ name: String, _ type: T.Type) -> T? {
            dlsym(handle, name).map { unsafeBitCast($0, to: type) }
        }
        guard let globalInit = symbol("curl_global_init", GlobalInit.self),
              let easyInit = symbol("curl_easy_init", EasyInit.self),
              let easyCleanup = symbol("curl_easy_cleanup", EasyCleanup.self),
              let easyPerform = symbol("curl_easy_perform", EasyPerform.self),
              let setoptPointer = symbol("curl_easy_setopt", SetoptPointer.self),
              let setoptLong = symbol("curl_easy_setopt", SetoptLong.self),
              let getinfoLong = symbol("curl_easy_getinfo", GetinfoLong.self),
              let strerror = symbol("curl_easy_strerror", Strerror.self),
              let slistAppend = symbol("curl_slist_append", SlistAppend.self),
              let slistFree = symbol("curl_slist_free_all", SlistFree.self) else { return nil }
        // CURL_GLOBAL_DEFAULT (SSL and Win32 init); once per process, before any handle.
        guard globalInit(3) == 0 else { return nil }
        self.easyInit = easyInit
        self.easyCleanup = easyCleanup
        self.easyPerform = easyPerform
        self.setoptPointer = setoptPointer
        self.setoptLong = setoptLong
        self.getinfoLong = getinfoLong
        self.strerror = strerror
        self.slistAppend = slistAppend
        self.slistFree = slistFree
    }
}
