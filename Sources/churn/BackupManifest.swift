import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `manifest.json` of a backup directory: what it holds and the store copy's checksum, so `churn restore` can
/// refuse a copy damaged after it was made.
struct BackupManifest: Codable {
    static let formatName = "churnops-backup"
    static let fileName = "manifest.json"
    static let storeFile = "metrics.sqlite"
    static let registryDirectory = "registry"

    var format = BackupManifest.formatName
    var formatVersion = 1
    var createdAt: Date
    /// The store copy's checksum ("fnv1a64:…", as registry artifacts), nil when the backup has no store.
    var storeChecksum: String?
    var storeBytes: Int?
    /// Registry versions copied and the production one, nil when the backup has no registry.
    var registryVersions: Int?
    var registryProduction: String?

    static func read(from directory: String) throws -> BackupManifest {
        let path = directory + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else {
            throw fail("\(path) is missing: \(directory) is not a backup made by `churn backup`")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let manifest = try? decoder.decode(BackupManifest.self, from: data), manifest.format == formatName else {
            throw fail("\(path) is not a churn backup manifest")
        }
        guard manifest.formatVersion <= 1 else { throw fail("\(path): backup format \(manifest.formatVersion) is newer than this churn reads") }
        return manifest
    }

    func write(to directory: String) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(self), to: directory + "/" + BackupManifest.fileName)
    }

    /// The checksum of a whole file, read in 1 MiB pieces (a store can be large).
    static func checksum(ofFile path: String) throws -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw fail("cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { readBytes(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw fail("cannot read \(path): \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            for b in chunk[..<n] { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        }
        let hex = String(h, radix: 16)
        return "fnv1a64:" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// read(2), by a name the type's own `read(from:)` does not hide.
private func readBytes(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { read(fd, buffer, count) }
