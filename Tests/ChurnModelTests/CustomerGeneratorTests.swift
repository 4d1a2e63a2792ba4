import Foundation
import Testing
@testable import ChurnModel

/// A generated file read back through the project's own CSV reader, column by column.
struct GeneratedFile: Sendable {
    let path: String
    let header: [String]
    let columns: [String: [String]]
    let fieldCounts: Set<Int>

    var rows: Int { columns[header[0]]?.count ?? 0 }

    init(_ options: CustomerGenerator.Options, name: String) throws {
        let path = try TemporaryFolder.shared.path(name)
        try CustomerGenerator(options: options).write(toFile: path, overwrite: true)
        self.path = path
        let reader = try CSVReader(path: path)
        let names = reader.header
        var values = [[String]](repeating: [], count: names.count)
        var counts = Set<Int>()
        try reader.forEachRecord { record in
            counts.insert(record.count)
            for i in 0..<min(record.count, names.count) { values[i].append(record.string(at: i)) }
        }
        header = names
        columns = Dictionary(uniqueKeysWithValues: zip(names, values))
        fieldCounts = counts
    }

    func column(_ name: String) -> [String] { columns[name] ?? [] }

    /// Share of rows whose `name` value is `value`.
    func share(_ name: String, _ value: String) -> Double {
        let values = column(name)
        return Double(values.filter { $0 == value }.count) / Double(max(1, values.count))
    }

    func numbers(_ name: String) -> [Double] { column(name).map { Double($0.trimmingCharacters(in: .whitespaces)) ?? .nan } }

    /// Churn rate among rows where `where` holds.
    func churnRate(where predicate: (Int) -> Bool) -> Double {
        let churn = column("Churn")
        let picked = churn.indices.filter(predicate)
        return Double(picked.filter { churn[$0] == "Yes" }.count) / Double(max(1, picked.count))
    }

    /// The shared 50,000-row labelled sample most tests read.
    static let sample: Result<GeneratedFile, any Error> = Result {
        try GeneratedFile(CustomerGenerator.Options(rows: 50_000, seed: 11), name: "sample-50k.csv")
    }
}

/// One folder per test process for generated files. Files are shared between tests, so nothing is removed
/// during the run; instead each run removes the folders of earlier runs whose process has gone.
final class TemporaryFolder: Sendable {
    static let shared = TemporaryFolder()
    static let namePrefix = "churn-generate-tests-"
    let url: URL

    init() {
        let fm = FileManager.default
        let root = fm.temporaryDirectory
        for name in (try? fm.contentsOfDirectory(atPath: root.path)) ?? [] where name.hasPrefix(Self.namePrefix) {
            if let pid = Int32(name.dropFirst(Self.namePrefix.count)), kill(pid, 0) != 0 && errno == ESRCH {
                try? fm.removeItem(at: root.appendingPathComponent(name))
            }
        }
        url = root.appendingPathComponent(Self.namePrefix + "\(getpid())")
        try? fm.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) throws -> String { url.appendingPathComponent(name).path }
}

@Suite("churn generate: file shape")
struct GeneratedFileShapeTests {
    @Test("the header is the Telco header and every row has all 21 fields")
    func headerAndFieldCount() throws {
        let file = try GeneratedFile.sample.get()
        #expect(file.header == TelcoSchema.header)
        #expect(file.header.count == 21)
        #expect(file.fieldCounts == [21])
        #expect(file.rows == 50_000)
    }

    @Test("without labels the Churn column is left out and rows have 20 fields")
    func unlabelled() throws {
        let file = try GeneratedFile(CustomerGenerator.Options(rows: 500, seed: 4, labelled: false), name: "unlabelled.csv")
        #expect(file.header == Array(TelcoSchema.header.dropLast()))
        #expect(!file.header.contains("Churn"))
        #expect(file.fieldCounts == [20])
        #expect(file.rows == 500)
    }

    @Test("customer IDs look like 7590-VHVEG and never repeat within a file")
    func customerIDs() throws {
        let ids = try GeneratedFile.sample.get().column("customerID")
        #expect(Set(ids).count == ids.count)
        let malformed = ids.filter { id in
            let b = Array(id.utf8)
            return b.count != 10 || b[4] != UInt8(ascii: "-")
                || !b[0..<4].allSatisfy { $0 >= 0x30 && $0 <= 0x39 } || !b[5..<10].allSatisfy { $0 >= 0x41 && $0 <= 0x5A }
        }
        #expect(malformed.isEmpty, "e.g. \(malformed.prefix(3))")
    }

    @Test("an ID prefix goes before every ID")
    func idPrefix() {
        let generator = CustomerGenerator(options: .init(rows: 3, seed: 2, idPrefix: "DEMO-"))
        let plain = CustomerGenerator(options: .init(rows: 3, seed: 2))
        #expect(generator.customer(at: 1).customerID == "DEMO-" + plain.customer(at: 1).customerID)
        #expect(String(decoding: generator.csvRows(1..<2), as: UTF8.self).hasPrefix("DEMO-" + plain.customer(at: 1).customerID + ","))
        #expect(!CustomerGenerator.isValidIDPrefix("a,b"))
        #expect(!CustomerGenerator.isValidIDPrefix("a\"b"))
    }

    @Test("charges are written like the real file: 29.85, 1889.5, 100")
    func chargeText() {
        #expect(ChargeText.string(cents: 2985) == "29.85")
        #expect(ChargeText.string(cents: 188_950) == "1889.5")
        #expect(ChargeText.string(cents: 10_000) == "100")
        #expect(ChargeText.string(cents: 5) == "0.05")
        #expect(ChargeText.string(cents: 1_825) == "18.25")
        #expect(ChargeText.string(cents: 0) == "0")
    }

    @Test("the fast CSV encoder writes exactly the customer's field values")
    func encoderMatchesFieldValues() {
        for labelled in [true, false] {
            let generator = CustomerGenerator(options: .init(rows: 2_000, seed: 5, labelled: labelled, drift: 0.3, idPrefix: "X"))
            let lines = String(decoding: generator.csvRows(0..<2_000), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == 2_001 && lines.last == "")
            for i in 0..<2_000 {
                let expected = generator.customer(at: i).fieldValues(labelled: labelled).joined(separator: ",")
                #expect(lines[i] == Substring(expected), "row \(i)")
                if lines[i] != Substring(expected) { return }
            }
        }
    }

    @Test("feature values name every Telco feature and nothing else")
    func featureValues() {
        let customer = CustomerGenerator().customer(at: 0)
        #expect(Set(customer.featureValues.keys) == Set(TelcoSchema.features.map(\.name)))
        #expect(customer.featureValue("Churn") == nil)
    }
}

@Suite("churn generate: determinism")
struct GeneratorDeterminismTests {
    @Test("the same seed and options give byte-identical files, whatever the thread count")
    func sameSeedSameBytes() throws {
        let options = CustomerGenerator.Options(rows: 40_000, seed: 9, drift: 0.2)
        let one = try TemporaryFolder.shared.path("det-1.csv")
        let two = try TemporaryFolder.shared.path("det-2.csv")
        try CustomerGenerator(options: options).write(toFile: one, overwrite: true, threads: 1)
        try CustomerGenerator(options: options).write(toFile: two, overwrite: true, threads: 2)
        let a = try Data(contentsOf: URL(fileURLWithPath: one))
        let b = try Data(contentsOf: URL(fileURLWithPath: two))
        #expect(a.count > 1_000_000)
        #expect(a == b)
        #expect(a == Data(CustomerGenerator(options: options).csvFile()))
    }

    @Test("different seeds give different customers and IDs")
    func differentSeedsDiffer() {
        let a = CustomerGenerator(options: .init(rows: 1_000, seed: 1)).csvRows(0..<1_000)
        let b = CustomerGenerator(options: .init(rows: 1_000, seed: 2)).csvRows(0..<1_000)
        #expect(a != b)
        let idsA = Set((0..<1_000).map { CustomerGenerator(options: .init(seed: 1)).customer(at: $0).customerID })
        let idsB = Set((0..<1_000).map { CustomerGenerator(options: .init(seed: 2)).customer(at: $0).customerID })
        #expect(idsA.intersection(idsB).count < 5)
    }

    @Test("a customer depends only on seed and index, not on the block it is made in")
    func customerByIndex() {
        let generator = CustomerGenerator(options: .init(rows: 100, seed: 3))
        let all = generator.csvRows(0..<100)
        let tail = generator.csvRows(60..<100)
        #expect(all.suffix(tail.count).elementsEqual(tail))
        #expect(generator.customer(at: 77) == CustomerGenerator(options: .init(rows: 5, seed: 3)).customer(at: 77))
    }

    @Test("a small change of drift level leaves most customers as they were")
    func driftMovesCustomersGradually() {
        let generator = CustomerGenerator(options: .init(seed: 12))
        let same = (0..<2_000).filter { i in
            let a = generator.customer(at: i, drift: 0.20)
            let b = generator.customer(at: i, drift: 0.22)
            return a.contract == b.contract && a.internetService == b.internetService && a.paymentMethod == b.paymentMethod
        }.count
        #expect(same > 1_900)
        #expect(generator.customer(at: 5, drift: 0.4) == generator.customer(at: 5, drift: 0.4))
        #expect(generator.customer(at: 5, drift: -3) == generator.customer(at: 5, drift: 0))
    }
}

@Suite("churn generate: output files")
struct GeneratedOutputFileTests {
    @Test("an existing file is kept unless overwriting is allowed, and no temporary file is left behind")
    func refusesToOverwrite() throws {
        let folder = TemporaryFolder.shared.url.appendingPathComponent("overwrite-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("out.csv").path
        try Data("keep me\n".utf8).write(to: URL(fileURLWithPath: path))
        let generator = CustomerGenerator(options: .init(rows: 10, seed: 1))
        #expect(throws: GenerateError(path: path, reason: .outputExists)) {
            try generator.write(toFile: path)
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "keep me\n")
        try generator.write(toFile: path, overwrite: true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(generator.csvFile()))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.csv"])
    }

    @Test("a directory or a missing folder is reported with the path asked for")
    func badPaths() throws {
        let generator = CustomerGenerator(options: .init(rows: 10, seed: 1))
        let folder = TemporaryFolder.shared.url.path
        #expect(throws: GenerateError(path: folder, reason: .isDirectory)) { try generator.write(toFile: folder, overwrite: true) }
        let missing = folder + "/no-such-folder/out.csv"
        let error = #expect(throws: GenerateError.self) { try generator.write(toFile: missing) }
        #expect(error?.description.contains(missing) == true)
        #expect(error?.description.contains("No such file or directory") == true)
    }
}

@Suite("churn generate: realism")
struct GeneratedRealismTests {
    /// Marginals of the real IBM Telco file (7,043 rows), with tolerances a 50,000-row sample must meet.
    @Test("category shares are close to the real Telco file's", arguments: [
        ("SeniorCitizen", "1", 0.162), ("Partner", "Yes", 0.483), ("Dependents", "Yes", 0.300),
        ("PhoneService", "Yes", 0.903), ("MultipleLines", "Yes", 0.422),
        ("InternetService", "Fiber optic", 0.440), ("InternetService", "DSL", 0.344), ("InternetService", "No", 0.217),
        ("OnlineSecurity", "Yes", 0.287), ("TechSupport", "Yes", 0.290), ("StreamingTV", "Yes", 0.384),
        ("Contract", "Month-to-month", 0.550), ("Contract", "One year", 0.209), ("Contract", "Two year", 0.241),
        ("PaperlessBilling", "Yes", 0.592),
        ("PaymentMethod", "Electronic check", 0.336), ("PaymentMethod", "Mailed check", 0.229),
        ("PaymentMethod", "Bank transfer (automatic)", 0.219), ("PaymentMethod", "Credit card (automatic)", 0.216),
        ("gender", "Male", 0.505),
    ])
    func categoryShares(column: String, value: String, real: Double) throws {
        let share = try GeneratedFile.sample.get().share(column, value)
        #expect(abs(share - real) < 0.03, "\(column)=\(value): \(share) vs real \(real)")
    }

    @Test("tenure runs 0 to 72 and is bimodal: many new customers, a pile at 72")
    func tenure() throws {
        let tenure = try GeneratedFile.sample.get().numbers("tenure")
        let n = Double(tenure.count)
        #expect(tenure.min() == 0 && tenure.max() == 72)
        let mean = tenure.reduce(0, +) / n
        #expect(abs(mean - 32.4) < 2, "mean tenure \(mean)")
        let one = Double(tenure.filter { $0 == 1 }.count) / n
        let top = Double(tenure.filter { $0 == 72 }.count) / n
        let middle = Double(tenure.filter { $0 == 36 }.count) / n
        #expect(one > 0.06 && one < 0.11, "tenure 1: \(one)")
        #expect(top > 0.035 && top < 0.08, "tenure 72: \(top)")
        #expect(one > 4 * middle && top > 3 * middle)
    }

    @Test("monthly charges stay in the real range and follow the services taken")
    func monthlyCharges() throws {
        let file = try GeneratedFile.sample.get()
        let charges = file.numbers("MonthlyCharges")
        #expect(charges.min()! >= 18.25 && charges.max()! <= 118.75)
        let mean = charges.reduce(0, +) / Double(charges.count)
        #expect(abs(mean - 64.76) < 2.5, "mean \(mean)")
        let internet = file.column("InternetService")
        func meanCharge(_ service: String) -> Double {
            let picked = charges.indices.filter { internet[$0] == service }.map { charges[$0] }
            return picked.reduce(0, +) / Double(picked.count)
        }
        #expect(abs(meanCharge("No") - 21.1) < 2)
        #expect(abs(meanCharge("DSL") - 58.1) < 3)
        #expect(abs(meanCharge("Fiber optic") - 91.5) < 3)
        // Every amount is a multiple of 5 cents, as in the real file.
        #expect(charges.allSatisfy { Int(($0 * 100).rounded()) % 5 == 0 })
    }

    @Test("services are consistent: no internet means every add-on says so; no phone means no phone service")
    func consistency() throws {
        let file = try GeneratedFile.sample.get()
        let internet = file.column("InternetService")
        let phone = file.column("PhoneService")
        let addOns = ["OnlineSecurity", "OnlineBackup", "DeviceProtection", "TechSupport", "StreamingTV", "StreamingMovies"]
        for name in addOns {
            let values = file.column(name)
            #expect(values.indices.allSatisfy { (internet[$0] == "No") == (values[$0] == "No internet service") }, "\(name)")
            #expect(Set(values) == ["Yes", "No", "No internet service"])
        }
        let lines = file.column("MultipleLines")
        #expect(lines.indices.allSatisfy { (phone[$0] == "No") == (lines[$0] == "No phone service") })
        // Everyone has a phone or internet (or both).
        #expect(internet.indices.allSatisfy { internet[$0] != "No" || phone[$0] == "Yes" })
    }

    @Test("TotalCharges is a single space exactly when tenure is 0, else about tenure × MonthlyCharges")
    func totalCharges() throws {
        let file = try GeneratedFile.sample.get()
        let raw = file.column("TotalCharges")
        let tenure = file.numbers("tenure")
        let monthly = file.numbers("MonthlyCharges")
        let total = file.numbers("TotalCharges")
        let blanks = raw.indices.filter { raw[$0] == " " }
        #expect(blanks == tenure.indices.filter { tenure[$0] == 0 })
        #expect(blanks.count > 20 && blanks.count < 250, "\(blanks.count) new customers")
        #expect(blanks.allSatisfy { file.column("Churn")[$0] == "No" })
        let ratios = tenure.indices.filter { tenure[$0] > 0 }.map { total[$0] / (tenure[$0] * monthly[$0]) }
        #expect(ratios.allSatisfy { $0 > 0.6 && $0 < 1.4 })
        let meanRatio = ratios.reduce(0, +) / Double(ratios.count)
        #expect(abs(meanRatio - 1) < 0.01)
        #expect(tenure.indices.filter { tenure[$0] == 1 }.allSatisfy { total[$0] == monthly[$0] })
    }

    @Test("the churn rate is close to the real 26.5%")
    func churnRate() throws {
        let rate = try GeneratedFile.sample.get().share("Churn", "Yes")
        #expect(rate > 0.245 && rate < 0.285, "churn rate \(rate)")
    }

    @Test("churn follows the real drivers: contract, tenure, fibre, electronic check, support, seniors")
    func churnSignal() throws {
        let file = try GeneratedFile.sample.get()
        func rate(_ column: String, _ value: String) -> Double {
            let values = file.column(column)
            return file.churnRate { values[$0] == value }
        }
        #expect(rate("Contract", "Month-to-month") > 3 * rate("Contract", "One year"))
        #expect(rate("Contract", "Month-to-month") > 8 * rate("Contract", "Two year"))
        #expect(rate("InternetService", "Fiber optic") > 1.8 * rate("InternetService", "DSL"))
        #expect(rate("PaymentMethod", "Electronic check") > 2 * rate("PaymentMethod", "Credit card (automatic)"))
        #expect(rate("TechSupport", "No") > 2 * rate("TechSupport", "Yes"))
        #expect(rate("OnlineSecurity", "No") > 2 * rate("OnlineSecurity", "Yes"))
        #expect(rate("PaperlessBilling", "Yes") > 1.5 * rate("PaperlessBilling", "No"))
        #expect(rate("SeniorCitizen", "1") > 1.4 * rate("SeniorCitizen", "0"))
        let tenure = file.numbers("tenure")
        #expect(file.churnRate { tenure[$0] >= 1 && tenure[$0] <= 6 } > 3 * file.churnRate { tenure[$0] > 48 })
        // Interaction: fibre hurts most on month-to-month contracts.
        let contract = file.column("Contract")
        let internet = file.column("InternetService")
        let fibreMonthly = file.churnRate { internet[$0] == "Fiber optic" && contract[$0] == "Month-to-month" }
        let dslMonthly = file.churnRate { internet[$0] == "DSL" && contract[$0] == "Month-to-month" }
        let fibreYearly = file.churnRate { internet[$0] == "Fiber optic" && contract[$0] == "One year" }
        let dslYearly = file.churnRate { internet[$0] == "DSL" && contract[$0] == "One year" }
        #expect(fibreMonthly - dslMonthly > fibreYearly - dslYearly)
    }

    @Test("the signal is real but noisy: a logistic model's held-out AUC is near the real data's 0.85")
    func learnableButNotTrivial() throws {
        let path = try TemporaryFolder.shared.path("auc.csv")
        try CustomerGenerator(options: .init(rows: 12_000, seed: 21)).write(toFile: path, overwrite: true)
        var options = TrainingOptions()
        options.learner = .logistic
        let report = ModelTrainer.train(try TrainingTable.load(path: path), options: options)
        #expect(report.testMetrics.auc > 0.81 && report.testMetrics.auc < 0.88, "AUC \(report.testMetrics.auc)")
    }

    @Test("the trainer reads the output: TotalCharges numeric despite blanks, Contract categorical")
    func readableByTrainingTable() throws {
        let file = try GeneratedFile.sample.get()
        let table = try TrainingTable.load(path: file.path)
        #expect(table.rowCount == 50_000)
        #expect(table.skippedCount == 0)
        #expect(table.schema.feature(named: "TotalCharges")?.kind == .numeric)
        #expect(table.schema.feature(named: "SeniorCitizen")?.kind == .numeric)
        #expect(table.schema.feature(named: "tenure")?.kind == .numeric)
        #expect(table.schema.feature(named: "Contract")?.kind == .categorical)
        #expect(Set(table.schema.feature(named: "Contract")?.categories ?? []) == ["Month-to-month", "One year", "Two year"])
        #expect(table.schema.feature(named: "customerID") == nil)
    }
}

@Suite("churn generate: drift")
struct GeneratorDriftTests {
    static let reference = Result { try GeneratedFile(.init(rows: 20_000, seed: 31), name: "drift-0.csv") }
    static let referenceTable = Result { try TrainingTable.load(path: try reference.get().path) }

    /// PSI per feature of a generated file against the undrifted reference, computed by the project's drift code.
    static func psi(_ options: CustomerGenerator.Options, name: String) throws -> [String: Double] {
        let path = try TemporaryFolder.shared.path(name)
        try CustomerGenerator(options: options).write(toFile: path, overwrite: true)
        let referenceTable = try referenceTable.get()
        let observedTable = try TrainingTable.load(path: path)
        let profile = ReferenceProfile(table: referenceTable)
        var bins: [[Int]] = []
        for (c, column) in profile.columns.enumerated() {
            var counts = [Int](repeating: 0, count: column.binCount)
            let o = observedTable.schema.features.firstIndex { $0.name == column.name }!
            switch observedTable.columns[o] {
            case .numeric(let values):
                for v in values { counts[column.bin(ofNumber: v)] += 1 }
            case .categorical(let codes):
                // Category codes are per table; match them by name.
                let names = observedTable.schema.features[o].categories
                let known = referenceTable.schema.features[c].categories
                for code in codes {
                    let index = code >= 0 ? known.firstIndex(of: names[Int(code)]) : nil
                    counts[index ?? column.missingBin - 1] += 1
                }
            }
            bins.append(counts)
        }
        let report = DriftReport(counts: DriftCounts(bins: bins), profile: profile)
        return Dictionary(uniqueKeysWithValues: report.features.map { ($0.name, $0.psi) })
    }

    @Test("drift 1 moves the population: more month-to-month and fibre, shorter tenure, higher charges")
    func directions() throws {
        let base = try Self.reference.get()
        let drifted = try GeneratedFile(.init(rows: 20_000, seed: 32, drift: 1), name: "drift-1.csv")
        #expect(drifted.share("Contract", "Month-to-month") > base.share("Contract", "Month-to-month") + 0.15)
        #expect(drifted.share("Contract", "Two year") < base.share("Contract", "Two year") - 0.08)
        #expect(drifted.share("InternetService", "Fiber optic") > base.share("InternetService", "Fiber optic") + 0.1)
        #expect(drifted.share("PaymentMethod", "Electronic check") > base.share("PaymentMethod", "Electronic check") + 0.1)
        func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
        #expect(mean(drifted.numbers("tenure")) < mean(base.numbers("tenure")) - 8)
        #expect(mean(drifted.numbers("MonthlyCharges")) > mean(base.numbers("MonthlyCharges")) + 5)
        #expect(drifted.share("Churn", "Yes") > base.share("Churn", "Yes") + 0.08)
    }

    @Test("at drift 1 several features pass the 0.25 PSI mark")
    func majorShiftAtFullDrift() throws {
        let psi = try Self.psi(.init(rows: 20_000, seed: 33, drift: 1), name: "drift-psi-1.csv")
        #expect(psi.filter { $0.value > 0.25 }.count >= 4, "PSI at drift 1: \(psi)")
        for name in ["Contract", "tenure", "MonthlyCharges", "PaymentMethod"] {
            #expect((psi[name] ?? 0) > 0.25, "\(name): \(psi[name] ?? 0)")
        }
    }

    @Test("at drift 0.1 no feature reaches a moderate PSI of 0.1")
    func slightShiftAtLowDrift() throws {
        let psi = try Self.psi(.init(rows: 20_000, seed: 34, drift: 0.1), name: "drift-psi-01.csv")
        #expect(psi.values.allSatisfy { $0 < 0.1 }, "PSI at drift 0.1: \(psi)")
    }

    @Test("two undrifted samples show no drift")
    func noShiftWithoutDrift() throws {
        let psi = try Self.psi(.init(rows: 20_000, seed: 35), name: "drift-psi-0.csv")
        #expect(psi.values.allSatisfy { $0 < 0.02 }, "PSI between two undrifted samples: \(psi)")
    }
}
