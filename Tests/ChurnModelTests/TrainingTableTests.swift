import ChurnTestSupport
import Foundation
import Testing
@testable import ChurnModel

@Suite("Training table and schema inference")
struct TrainingTableTests {
    static let telcoSample = """
    customerID,gender,SeniorCitizen,Partner,Dependents,tenure,PhoneService,MultipleLines,InternetService,OnlineSecurity,OnlineBackup,DeviceProtection,TechSupport,StreamingTV,StreamingMovies,Contract,PaperlessBilling,PaymentMethod,MonthlyCharges,TotalCharges,Churn
    7590-VHVEG,Female,0,Yes,No,1,No,No phone service,DSL,No,Yes,No,No,No,No,Month-to-month,Yes,Electronic check,29.85,29.85,No
    5575-GNVDE,Male,0,No,No,34,Yes,No,DSL,Yes,No,Yes,No,No,No,One year,No,Mailed check,56.95,1889.5,No
    3668-QPYBK,Male,0,No,No,2,Yes,No,DSL,Yes,Yes,No,No,No,No,Month-to-month,Yes,Mailed check,53.85,108.15,Yes
    7795-CFOCW,Male,0,No,No,45,No,No phone service,DSL,Yes,No,Yes,Yes,No,No,One year,No,Bank transfer (automatic),42.3,1840.75,No
    9237-HQITU,Female,0,No,No,2,Yes,No,Fiber optic,No,No,No,No,No,No,Month-to-month,Yes,Electronic check,70.7,151.65,Yes
    9305-CDSKC,Female,0,No,No,8,Yes,Yes,Fiber optic,No,No,Yes,No,Yes,Yes,Month-to-month,Yes,Electronic check,99.65,820.5,Yes
    1452-KIOVK,Male,0,No,Yes,22,Yes,Yes,Fiber optic,No,Yes,No,No,Yes,No,Month-to-month,Yes,Credit card (automatic),89.1,1949.4,No
    6713-OKOMC,Female,0,No,No,10,No,No phone service,DSL,Yes,No,No,No,No,No,Month-to-month,No,Mailed check,29.75,301.9,No
    7892-POOKP,Female,0,Yes,No,28,Yes,Yes,Fiber optic,No,No,Yes,Yes,Yes,Yes,Month-to-month,Yes,Electronic check,104.8,3046.05,Yes
    6388-TABGU,Male,0,No,Yes,62,Yes,No,DSL,Yes,Yes,No,No,No,No,One year,No,Bank transfer (automatic),56.15,3487.95,No
    4472-LVYGI,Female,0,Yes,Yes,0,No,No phone service,DSL,Yes,No,Yes,Yes,Yes,No,Two year,Yes,Bank transfer (automatic),52.55, ,No
    9763-GRSKD,Male,1,Yes,Yes,13,Yes,No,No,No internet service,No internet service,No internet service,No internet service,No internet service,No internet service,Month-to-month,Yes,Mailed check,19.8,,No

    """

    @Test("Telco quirks: blank TotalCharges is missing, SeniorCitizen 0/1 is numeric, three-valued services are categorical, Yes/No label")
    func telcoQuirks() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.write("telco.csv", Self.telcoSample)
        let table = try TrainingTable.load(path: path)
        #expect(table.schema.idColumn == "customerID")
        #expect(table.schema.targetColumn == "Churn")
        #expect(table.rowCount == 12)
        #expect(table.positives == 4)
        let kinds = Dictionary(uniqueKeysWithValues: table.schema.features.map { ($0.name, $0.kind) })
        #expect(kinds["TotalCharges"] == .numeric)
        #expect(kinds["SeniorCitizen"] == .numeric)
        #expect(kinds["tenure"] == .numeric)
        #expect(kinds["MultipleLines"] == .categorical)
        #expect(kinds["customerID"] == nil)
        #expect(table.schema.feature(named: "OnlineSecurity")?.categories.contains("No internet service") == true)
        let t = table.schema.features.firstIndex { $0.name == "TotalCharges" }!
        guard case .numeric(let totals) = table.columns[t] else { Issue.record("TotalCharges not numeric"); return }
        #expect(totals[10].isNaN && totals[11].isNaN)
        #expect(totals[1] == 1889.5)
        #expect(table.skippedCount == 0)
    }

    @Test("own schema: --target and --id, an identifier-like text column is left out, numeric codes can be forced categorical")
    func ownSchema() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        var lines = ["acct,region,plan_code,usage,note,left"]
        for i in 0..<200 {
            lines.append("A\(i),\(["north", "south", "east"][i % 3]),\(i % 4),\(Double(i) * 1.5),free text \(i),\(i % 5 == 0 ? "true" : "false")")
        }
        let path = dir.write("own.csv", lines.joined(separator: "\n"))
        var options = TableOptions(target: "left", id: "acct")
        options.forceCategorical = ["plan_code"]
        let table = try TrainingTable.load(path: path, options: options)
        #expect(table.schema.features.map(\.name) == ["region", "plan_code", "usage"])
        #expect(table.schema.feature(named: "plan_code")?.kind == .categorical)
        #expect(table.schema.feature(named: "usage")?.kind == .numeric)
        #expect(table.notes.contains { $0.hasPrefix("note: left out") })
        #expect(table.positives == 40)
        #expect(table.schema.positiveLabel == "true")
    }

    @Test("rows with a bad label or the wrong field count are skipped with line, column and field")
    func skippedRows() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        var lines = ["id,x,y"]
        for i in 0..<20 { lines.append("r\(i),\(i),\(i % 2 == 0 ? "Yes" : "No")") }
        lines.insert("bad1,5,maybe", at: 3)
        lines.insert("bad2,5", at: 6)
        let path = dir.write("s.csv", lines.joined(separator: "\n") + "\n")
        let table = try TrainingTable.load(path: path, options: TableOptions(target: "y", id: "id"))
        #expect(table.rowCount == 20)
        #expect(table.skippedCount == 2)
        #expect(table.skipped[0].line == 4 && table.skipped[0].column == 8 && table.skipped[0].field == "y")
        #expect(table.skipped[1].reason == .fieldCount(expected: 3, found: 2))
    }

    @Test("a missing label column is an error naming the flag to use")
    func missingTarget() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.write("n.csv", "a,b\n1,2\n")
        #expect(throws: TrainingTable.LoadError.self) { _ = try TrainingTable.load(path: path) }
        do { _ = try TrainingTable.load(path: path) } catch {
            #expect("\(error)".contains("--target"))
        }
    }
}
