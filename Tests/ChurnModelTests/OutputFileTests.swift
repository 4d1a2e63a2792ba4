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
