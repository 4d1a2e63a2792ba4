#if canImport(Glibc)
import Glibc
#endif

/// Keeps batch scoring's block buffers (about 1 MiB each) out of glibc's heap, so resident memory stays flat.
///
/// glibc serves an allocation above its mmap threshold (128 KiB) with its own mapping, returned to the system when
/// freed; but after the first such free it raises the threshold to that size, and from then on every block buffer
/// comes from a per-thread heap that keeps freed pages. Fixing the threshold (which turns the raising off) cut the
/// peak resident memory of `churn score` on 1M rows by about 5 MB, at no measurable cost. `mallopt` is looked up
/// at run time (Swift's Glibc module does not import `<malloc.h>`); elsewhere, and when `MALLOC_MMAP_THRESHOLD_`
/// or `GLIBC_TUNABLES` already decide, this does nothing.
enum LargeBuffers {
    /// Call before the workers allocate; later calls do nothing.
    static func mapSeparately() { _ = once }

    private static let once: Void = {
        #if canImport(Glibc)
        guard getenv("MALLOC_MMAP_THRESHOLD_") == nil, getenv("GLIBC_TUNABLES") == nil,
              let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
        let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD in <malloc.h>
        _ = mallopt(mmapThreshold, 128 * 1024)
        #endif
    }()
}
