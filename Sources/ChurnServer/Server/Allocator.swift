#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// How the server keeps glibc's allocator from holding on to memory under sustained load.
///
/// Each flush frees a batch of logged predictions (100,000 customers at 20,000 req/s) that many threads allocated.
/// glibc gives each thread that contends for the heap an arena of its own (up to eight per core) and keeps freed
/// pages in them, so resident memory climbed in steps for as long as load lasted: the 5-minute soak's peak grew
/// 20-40% after warm-up with the defaults, and stayed flat with one arena per core and a trim after each flush.
/// Both calls are looked up at run time (Swift's Glibc module does not import `<malloc.h>`) and do nothing
/// elsewhere.
enum Allocator {
    /// Caps glibc's arenas at one per core, unless `MALLOC_ARENA_MAX` already says how many. Call at start-up,
    /// before the worker threads allocate.
    static func limitArenas() {
        #if canImport(Glibc)
        guard ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] == nil,
              let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
        let arenaMax: Int32 = -8  // M_ARENA_MAX in <malloc.h>
        _ = mallopt(arenaMax, Int32(max(1, ProcessInfo.processInfo.activeProcessorCount)))
        #endif
    }

    /// Hands free pages back to the system (after a flush has freed its batch).
    static func returnFreedMemory() {
        #if canImport(Glibc)
        if let trim = mallocTrim { _ = trim(0) }
        #endif
    }

    #if canImport(Glibc)
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim")
        .map { unsafeBitCast($0, to: (@convention(c) (Int) -> Int32).self) }
    #endif
}
