import ChurnBase
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension ModelJSONParser {
    /// The document in `data`, or why it is not JSON.
    static func parse(_ data: Data) -> Result<JSONValue, Failure> {
        data.withUnsafeBytes { raw in Result { () throws(Failure) in try parse(raw) } }
    }
}

/// A value inside a parsed JSON document together with the path that leads to it, so that every complaint about
/// a foreign model file names the exact field (`learner.gradient_booster.model.trees[3].left_children`).
struct JSONNode {
    let value: JSONValue
    let path: String
    let file: String

    static func parse(_ data: Data, file: String) throws(ModelImportError) -> JSONNode {
        switch ModelJSONParser.parse(data) {
        case .success(let value): return JSONNode(value: value, path: "", file: file)
        case .failure(let failure): throw ModelImportError(file: file, reason: "not valid JSON (\(failure))")
        }
    }

    func error(_ reason: String) -> ModelImportError {
        ModelImportError(file: file, field: path.isEmpty ? nil : path, reason: reason)
    }

    private func child(_ value: JSONValue, _ key: String) -> JSONNode {
        JSONNode(value: value, path: path.isEmpty ? key : path + "." + key, file: file)
    }

    /// A member that must be present.
    func field(_ key: String) throws(ModelImportError) -> JSONNode {
        guard case .object(let object) = value else { throw error("expected an object") }
        guard let member = object[key], !member.isNull else {
            throw ModelImportError(file: file, field: path.isEmpty ? key : path + "." + key, reason: "missing")
        }
        return child(member, key)
    }

    /// A member that may be absent (or null).
    func optionalField(_ key: String) -> JSONNode? {
        guard case .object(let object) = value, let member = object[key], !member.isNull else { return nil }
        return child(member, key)
    }

    func array() throws(ModelImportError) -> [JSONNode] {
        guard case .array(let items) = value else { throw error("expected an array") }
        return items.enumerated().map { JSONNode(value: $1, path: "\(path)[\($0)]", file: file) }
    }

    func string() throws(ModelImportError) -> String {
        guard case .string(let s) = value else { throw error("expected a string") }
        return s
    }

    /// A number, or a string holding one (XGBoost writes many parameters as strings).
    func number() throws(ModelImportError) -> Double {
        if case .string(let s) = value {
            guard let v = Double(s.trimmingWhitespace(newlines: false)) else { throw error("'\(s)' is not a number") }
            return v
        }
        guard let n = JSONNode.double(value) else { throw error("expected a number") }
        return n
    }

    /// A whole number, or a string holding one.
    func int() throws(ModelImportError) -> Int {
        let v = try number()
        guard v == v.rounded(), abs(v) < 9e15 else { throw error("expected a whole number, got \(v)") }
        return Int(v)
    }

    func strings() throws(ModelImportError) -> [String] {
        guard case .array(let items) = value else { throw error("expected an array of strings") }
        var out: [String] = []
        out.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            guard case .string(let s) = item else { throw JSONNode(value: item, path: "\(path)[\(i)]", file: file).error("expected a string") }
            out.append(s)
        }
        return out
    }

    func doubles() throws(ModelImportError) -> [Double] {
        guard case .array(let items) = value else { throw error("expected an array of numbers") }
        var out: [Double] = []
        out.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            guard let v = JSONNode.double(item) else {
                throw JSONNode(value: item, path: "\(path)[\(i)]", file: file).error("expected a number")
            }
            out.append(v)
        }
        return out
    }

    func ints() throws(ModelImportError) -> [Int] {
        let values = try doubles()
        var out: [Int] = []
        out.reserveCapacity(values.count)
        for (i, v) in values.enumerated() {
            guard v == v.rounded(), abs(v) < 9e15 else {
                throw ModelImportError(file: file, field: "\(path)[\(i)]", reason: "expected a whole number, got \(v)")
            }
            out.append(Int(v))
        }
        return out
    }

    /// 0/1 numbers or booleans (XGBoost has written both).
    func flags() throws(ModelImportError) -> [Bool] {
        guard case .array(let items) = value else { throw error("expected an array of 0/1 flags") }
        var out: [Bool] = []
        out.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            if let v = JSONNode.double(item), v == 0 || v == 1 {
                out.append(v == 1)
            } else if case .bool(let b) = item {
                out.append(b)
            } else {
                throw JSONNode(value: item, path: "\(path)[\(i)]", file: file).error("expected 0, 1, true or false")
            }
        }
        return out
    }

    /// A JSON number; true and false read as 1 and 0, as JSONSerialization's NSNumber gave them.
    @inline(__always)
    private static func double(_ value: JSONValue) -> Double? {
        switch value {
        case .number(let d): return d
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }
}
