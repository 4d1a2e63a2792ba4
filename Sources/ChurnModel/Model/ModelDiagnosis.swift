import ChurnBase
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Says where a model file that JSONDecoder refused is wrong, when JSONDecoder itself cannot: it answers "The given
/// data was not valid JSON." both for text that is not JSON and for a number its field's type cannot hold, with
/// no line and no field. Only run once loading has failed.
enum ModelDiagnosis {
    /// Line, column and reason of the first syntax error, or nil when the text is JSON.
    static func syntaxError(_ data: Data) -> String? {
        if case .failure(let failure) = ModelJSONParser.parse(data) { return failure.description }
        return nil
    }

    /// The first element of a tree's node arrays (`feature`, `left`, `right`, Int32 in `DecisionTree`) that is not a
    /// whole number an Int32 holds, with its path and value as written; nil when there is none or the text is not JSON.
    static func misfitNodeIndex(_ data: Data) -> (path: String, text: String)? {
        guard case .success(let document) = ModelJSONParser.parse(data) else { return nil }
        return misfit(in: document, path: "")
    }

    private static let nodeArrays: Set<String> = ["feature", "left", "right"]

    private static func misfit(in value: JSONValue, path: String) -> (path: String, text: String)? {
        switch value {
        case .object(let members):
            for key in members.keys.sorted() {
                let member = members[key]!
                let at = path.isEmpty ? key : path + "." + key
                if nodeArrays.contains(key), case .array(let items) = member {
                    for (i, item) in items.enumerated() {
                        if case .number(let v) = item, !(v == v.rounded() && v >= -2_147_483_648 && v <= 2_147_483_647) {
                            let text = v == v.rounded() && abs(v) < 9e18 ? String(Int64(v)) : String(v)
                            return ("\(at)[\(i)]", text)
                        }
                    }
                } else if let found = misfit(in: member, path: at) {
                    return found
                }
            }
            return nil
        case .array(let items):
            for (i, item) in items.enumerated() {
                if let found = misfit(in: item, path: "\(path)[\(i)]") { return found }
            }
            return nil
        default:
            return nil
        }
    }
}
