import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a generator's customers as one CSV stream: blocks of rows encoded in parallel, written in order.
///
/// Output is byte-identical whatever the thread count, because each row depends only on (seed, index) and
/// blocks are written in index order. Memory stays bounded: one wave of `threads × 2` blocks at a time.
struct CustomerCSVWriter {
    static let blockRows = 16_384

    let generator: CustomerGenerator
    let threads: Int

    /// Writes the header and every row to `fd`; `path` only names the file in errors.
    func write(to fd: Int32, path: String) throws(GenerateError) {
        try CustomerCSVWriter.writeAll(generator.encoder.headerLine, to: fd, path: path)
        let rows = generator.options.rows
        let blocks = (rows + CustomerCSVWriter.blockRows - 1) / CustomerCSVWriter.blockRows
        let wave = max(1, threads) * 2
        var first = 0
        while first < blocks {
            let count = min(wave, blocks - first)
            let slots = ResultSlots<[UInt8]>(count: count)
            let start = first
            let generator = generator
            DispatchQueue.concurrentPerform(iterations: count) { k in
                let lo = (start + k) * CustomerCSVWriter.blockRows
                slots[k] = generator.csvRows(lo..<min(rows, lo + CustomerCSVWriter.blockRows))
            }
            for k in 0..<count { try CustomerCSVWriter.writeAll(slots[k]!, to: fd, path: path) }
            first += count
        }
    }

    static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws(GenerateError) {
        var failure: Int32 = 0
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += n
            }
        }
        if failure != 0 { throw GenerateError(path: path, reason: .system(operation: "write to", code: failure)) }
    }
}
