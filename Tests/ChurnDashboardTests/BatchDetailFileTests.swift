import ChurnDashboard
@testable import ChurnModel
import Foundation
import Testing

/// The detail views on real files: a real batch over the fixture customers with bad rows added, its rejects file
/// read back, its highest-risk customers explained from the records the batch kept, and the same customers looked
/// up in the file as `churn snapshot --customer` does.
@Suite("Batch detail on real files")
struct BatchDetailFileTests {
    let dir: String
    let input: String
    let engine: ScoringEngine
    let lines: [String]

    init() throws {
        dir = NSTemporaryDirectory() + "churn-detail-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        input = dir + "/customers.csv"
        var text = try String(contentsOfFile: BatchRootTests.fixture("customers.csv"), encoding: .utf8)
        // Three bad rows at the end: a word for tenure, a short row, and a quoted field with a newline in it.
        text += "9001-BAD,Male,0,No,No,abc,Yes,No,DSL,No,No,No,No,No,No,One year,No,Mailed check,50,100,No\n"
        text += "9002-BAD,Female,0\n"
        text += "9003-BAD,Male,0,No,No,\"1\n2\",Yes,No,DSL,No,No,No,No,No,No,One year,No,Mailed check,50,100,No\n"
        try text.write(toFile: input, atomically: true, encoding: .utf8)
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        engine = ScoringEngine(artifact: try ModelArtifact.decode(Data(contentsOf: URL(fileURLWithPath: BatchRootTests.fixtureModel()))))
    }

    func run() throws -> BatchSummary {
        var options = BatchOptions(input: input, output: dir + "/customers.scored.csv", rejects: dir + "/customers.rejects.csv")
        options.rejectsIsSideFile = true
        options.topCount = 20
        options.blockSize = 4096 // several blocks, so kept records come from pending groups across blocks
        return try BatchScorer(engine: engine, options: options).run()
    }

    @Test("the rejects view reads every reject back with line, field, reason and the start of the record")
    func rejects() throws {
        let summary = try run()
        #expect(summary.rejected == 3)
        let list = try RejectsReader.read(try #require(summary.rejectsPath)).get()
        #expect(list.total == 3 && !list.isTruncated)
        #expect(list.rows.map(\.line) == [302, 303, 304])
        #expect(list.rows[0].field == "tenure" && list.rows[0].reason.contains("'abc' is not a number"))
        #expect(list.rows[0].record.hasPrefix("9001-BAD,Male"))
        #expect(list.rows[1].code == "field_count")
        #expect(list.rows[2].record.contains("\n"))
        // A limit keeps the first rows and still counts them all.
        let first = try RejectsReader.read(summary.rejectsPath!, limit: 2).get()
        #expect(first.rows.count == 2 && first.total == 3 && first.isTruncated)
    }

    @Test("a file that is not a rejects file is refused with its header named")
    func notRejects() {
        guard case .failure(let f) = RejectsReader.read(input) else { Issue.record("accepted"); return }
        #expect(f.message.contains("not a rejects file"))
    }

    @Test("the batch keeps each top customer's record exactly as in the file, and the JSON summary leaves it out")
    func keptRecords() throws {
        let summary = try run()
        #expect(summary.topRisk.count == 20)
        for c in summary.topRisk {
            #expect(c.record == lines[c.line - 1])
        }
        let json = String(decoding: try JSONEncoder().encode(summary), as: UTF8.self)
        #expect(!json.contains("\"record\""))
    }

    @Test("a customer explained from the kept record matches the batch's score and the file lookup; shares add up")
    func explain() throws {
        let summary = try run()
        let header = try CSVReader(path: input).header
        let plan = BatchPlan(input: "customers.csv", inputPath: input, outputPath: "", rejectsPath: "", columns: header.count,
                             sizeBytes: nil, header: header)
        for c in summary.topRisk.prefix(5) {
            let e = try CustomerDetailSource.explain(c, plan, engine).get()
            #expect(e.id == c.id && e.line == c.line)
            #expect(abs(e.probability - c.probability) < 1e-12)
            #expect(e.inputs.count == engine.artifact.schema.features.count)
            let sum = e.inputs.reduce(e.baseValue) { $0 + $1.contribution }
            #expect(abs(sum - e.margin) < 1e-9)
            #expect(abs(1 / (1 + exp(-e.margin)) - e.probability) < 1e-9) // logistic fixture: exact shares
            let fields = lines[c.line - 1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(e.inputs.first { $0.column == "tenure" }?.value == fields[header.firstIndex(of: "tenure")!])
            let looked = try CustomerLookup.find(.id(c.id), in: input, engine: engine)
            #expect(looked == CustomerExplanation(id: e.id, file: input, line: e.line, modelVersion: e.modelVersion, method: e.method,
                                                  probability: e.probability, risk: e.risk, baseValue: e.baseValue,
                                                  margin: e.margin, inputs: e.inputs))
            #expect(try CustomerLookup.find(.line(c.line), in: input, engine: engine) == looked)
        }
    }

    @Test("lookups that cannot succeed say why: unknown id, a rejected row (with its field), a file without the columns")
    func lookupErrors() throws {
        #expect(throws: CustomerLookupError.self) { try CustomerLookup.find(.id("nobody"), in: input, engine: engine) }
        do {
            _ = try CustomerLookup.find(.id("nobody"), in: input, engine: engine)
        } catch {
            #expect(error.description.contains("no customer 'nobody'") && error.description.contains("303 rows read"))
        }
        do {
            _ = try CustomerLookup.find(.id("9001-BAD"), in: input, engine: engine)
            Issue.record("a bad row was explained")
        } catch {
            #expect(error.description.contains("line 302") && error.description.contains("field tenure"))
        }
        let other = dir + "/other.csv"
        try "id,value\n1,2\n".write(toFile: other, atomically: true, encoding: .utf8)
        do {
            _ = try CustomerLookup.find(.line(2), in: other, engine: engine)
            Issue.record("a file without the model's columns was read")
        } catch {
            guard case .header = error else { Issue.record("wrong error: \(error)"); return }
        }
    }

    @Test("without a kept record the detail says where to look instead")
    func noRecord() {
        let c = ScoredCustomer(id: "x", probability: 0.9, risk: .high, line: 7)
        guard case .failure(let f) = CustomerDetailSource.explain(c, Fixtures.plan, engine) else { Issue.record("explained"); return }
        #expect(f.message.contains("churn snapshot --customer"))
    }
}
