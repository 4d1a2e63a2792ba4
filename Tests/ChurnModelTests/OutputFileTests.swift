import ChurnTestSupport
import Foundation
import Testing
@testable import ChurnModel

@Suite("Output files")
struct OutputFileTests {
    @Test("a temporary left by a dead process is removed, a live one's kept, in a folder of thousands of names of every length")
    func staleTemporariesInABigFolder() throws {
        let folder = TemporaryFolder.shared.url.appendingPathComponent("stale-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // Names of 1 to 255 bytes, so directory entries end at every offset of the kernel's listing buffer (the
        // listing once read 256 bytes past the last entry, which crashed when that crossed into an unmapped page).
        for k in 0..<3000 {
            let length = 1 + (k * 37) % 255
            let prefix = "\(k)_"
            let name = prefix + String(repeating: "n", count: max(0, length - prefix.count))
            #expect(FileManager.default.createFile(atPath: folder + "/" + name, contents: nil))
        }
        let dead = Int32.max - 1  // above any pid_max: kill(pid, 0) says ESRCH
        let staleName = ".out.csv.tmp-\(dead)-7"
        let liveName = ".out.csv.tmp-\(getpid())-8"
        let otherName = ".other.csv.tmp-\(dead)-9"
        for name in [staleName, liveName, otherName] {
            #expect(FileManager.default.createFile(atPath: folder + "/" + name, contents: Data("x".utf8)))
        }
        let before = try FileManager.default.contentsOfDirectory(atPath: folder).count
        let out = try OutputFile(path: folder + "/out.csv")
        try out.write(Array("a\n".utf8))
        try out.commit()
        let after = Set(try FileManager.default.contentsOfDirectory(atPath: folder))
        #expect(!after.contains(staleName))
        #expect(after.contains(liveName) && after.contains(otherName))
        #expect(after.count == before - 1 + 1)  // the stale one went, out.csv came
        #expect(try String(contentsOfFile: folder + "/out.csv", encoding: .utf8) == "a\n")
        try FileManager.default.removeItem(atPath: folder)
    }

    #if os(Linux)
    @Test("the cache of an output a run will replace is dropped, its bytes kept; not for the input, a link or a missing file")
    func releaseCacheOfReplaced() throws {
        let folder = TemporaryFolder.shared.url.appendingPathComponent("release-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let old = folder + "/scored.csv", input = folder + "/in.csv"
        let bytes = (0..<(4 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let out = try OutputFile(path: old)
        try out.write(bytes)
        try out.commit()
        #expect(FileManager.default.createFile(atPath: input, contents: Data("a\n".utf8)))
        symlink(old, folder + "/link.csv")
        link(input, folder + "/in-again.csv")

        #expect(OutputFile.cacheReleasable(old, input: input))
        #expect(!OutputFile.cacheReleasable(old, input: old))                        // the input itself
        #expect(!OutputFile.cacheReleasable(folder + "/link.csv", input: input))     // through a symbolic link
        #expect(!OutputFile.cacheReleasable(folder + "/in-again.csv", input: old))   // another link to it
        #expect(!OutputFile.cacheReleasable(folder + "/missing.csv", input: input))

        // The freshly written file is in the cache; once released, (almost) none of it is, and it reads the same.
        #expect(try Self.residentPages(old) > 900)
        OutputFile.releaseCache(ofReplaced: old, input: input)
        var resident = Int.max
        for _ in 0..<200 where resident > 16 {
            usleep(10_000)
            resident = try Self.residentPages(old)
        }
        #expect(resident <= 16, "\(resident) of 1,024 pages still cached")
        #expect(try Data(contentsOf: URL(fileURLWithPath: old)) == Data(bytes))
    }

    /// How many of the file's pages are in the page cache (`mincore` over a mapping of it).
    static func residentPages(_ path: String) throws -> Int {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw POSIXFailure(operation: "open", path: path, code: errno) }
        defer { close(fd) }
        var info = stat()
        fstat(fd, &info)
        let size = Int(info.st_size), page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard let map = mmap(nil, size, PROT_READ, MAP_SHARED, fd, 0), map != MAP_FAILED else {
            throw POSIXFailure(operation: "map", path: path, code: errno)
        }
        defer { munmap(map, size) }
        var flags = [UInt8](repeating: 0, count: (size + page - 1) / page)
        guard mincore(map, size, &flags) == 0 else { throw POSIXFailure(operation: "mincore", path: path, code: errno) }
        return flags.reduce(0) { $0 + Int($1 & 1) }
    }
    #endif

    @Test("a file of several writeback chunks is committed whole, in order, and nothing is at its path before the commit")
    func largeFileInChunks() throws {
        let folder = TemporaryFolder.shared.url.appendingPathComponent("chunks-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/scored.csv"
        let out = try OutputFile(path: path)
        // Pieces of uneven sizes that cross the 8 MiB writeback marks at different offsets, each byte telling its
        // position, so a piece written twice, skipped or out of place changes the file.
        var expected: [UInt8] = []
        var rng = SplitMix64(seed: 11)
        while expected.count < 3 * Int(OutputFile.writebackChunk) + 12_345 {
            let piece = (0..<Int(rng.next() % 900_000) + 1).map { UInt8(truncatingIfNeeded: (expected.count + $0) &* 31 >> 3) }
            try out.write(piece)
            expected += piece
            #expect(!FileManager.default.fileExists(atPath: path))
        }
        try out.commit()
        let written = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(written.count == expected.count)
        #expect(written == Data(expected))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["scored.csv"])
        try FileManager.default.removeItem(atPath: folder)
    }
}
