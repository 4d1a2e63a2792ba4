#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// This process's resident memory and CPU time, read from /proc (Linux).
public enum ProcessStats {
    /// Resident set size in bytes.
    public static func residentBytes() -> Int? {
        guard let text = try? TextFile.read("/proc/self/statm") else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// User plus system CPU seconds.
    public static func cpuSeconds() -> Double? {
        guard let text = try? TextFile.read("/proc/self/stat"),
              let close = text.lastIndex(of: ")") else { return nil }
        // Fields after the command name: state is field 3; utime and stime are fields 14 and 15.
        let rest = text[text.index(after: close)...].split(separator: " ")
        guard rest.count > 13, let user = Double(rest[11]), let system = Double(rest[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Unix time at which the process started.
    public static let startTime = Date()
}
