#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bytes placed so that they end exactly at an inaccessible page: any read past the end crashes the test
/// instead of passing unnoticed (the word-at-a-time scanners must never load beyond their buffer).
final class GuardedBytes {
    private let mapping: UnsafeMutableRawPointer
    private let mappedSize: Int
    let buffer: UnsafeBufferPointer<UInt8>

    init(_ bytes: [UInt8]) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let dataPages = (bytes.count + page - 1) / page
        mappedSize = (dataPages + 1) * page
        guard let m = mmap(nil, mappedSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), m != MAP_FAILED else {
            fatalError("mmap of \(mappedSize) bytes failed")
        }
        mapping = m
        precondition(mprotect(m + dataPages * page, page, PROT_NONE) == 0, "mprotect failed")
        let start = (m + dataPages * page - bytes.count).assumingMemoryBound(to: UInt8.self)
        bytes.withUnsafeBufferPointer { if let b = $0.baseAddress { start.update(from: b, count: bytes.count) } }
        buffer = UnsafeBufferPointer(start: start, count: bytes.count)
    }

    deinit { munmap(mapping, mappedSize) }
}
