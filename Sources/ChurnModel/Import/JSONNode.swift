import Foundation

/// A value inside a parsed JSON document together with the path that leads to it, so that every complaint about
/// a foreign model file names the exact field (`learner.gradient_booster.model.trees[3].left_children`).
struct JSONNode {
    let value: Any
    let path: String
    let file: String

    static func parse(_ data: Data, file: String) throws(ModelImportError) -> JSONNode {
        do {
            return JSONNode(value: try JSONSerialization.jsonObject(with: data), path: "", file: file)
        } catch {
            throw ModelImportError(file: file, reason: "not valid JSON (\(ModelLoadError.describe(error)))")
        }
    }

    func error(_ reason: String) -> ModelImportError {
        ModelImportError(file: file, field: path.isEmpty ? nil : path, reason: reason)
    }

    private func child(_ value: Any, _ key: String) -> JSONNode {
        JSONNode(value: value, path: path.isEmpty ? key : path + "." + key, file: file)
    }

    /// A member that must be present.
    func field(_ key: String) throws(ModelImportError) -> JSONNode {
        guard let object = value as? [String: Any] else { throw error("expected an object") }
        guard let member = object[key], !(member is NSNull) else {
            throw ModelImportError(file: file, field: path.isEmpty ? key : path + "." + key, reason: "missing")
        }
        return child(member, key)
    }

    /// A member that may be absent (or null).
    func optionalField(_ key: String) -> JSONNode? {
        guard let object = value as? [String: Any], let member = object[key], !(member is NSNull) else { return nil }
        return child(member, key)
    }

    func array() throws(ModelImportError) -> [JSONNode] {
        guard let items = value as? [Any] else { throw error("expected an array") }
        return items.enumerated().map { JSONNode(value: $1, path: "\(path)[\($0)]", file: file) }
    }

    func string() throws(ModelImportError) -> String {
        guard let s = value as? String else { throw error("expected a string") }
        return s
    }

    /// A number, or a string holding one (XGBoost writes many parameters as strings).
    func number() throws(ModelImportError) -> Double {
        if let s = value as? String {
            guard let v = Double(s.trimmingCharacters(in: .whitespaces)) else { throw error("'\(s)' is not a number") }
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
        guard let items = value as? [Any] else { throw error("expected an array of strings") }
        var out: [String] = []
        out.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            guard let s = item as? String else { throw JSONNode(value: item, path: "\(path)[\(i)]", file: file).error("expected a string") }
            out.append(s)
        }
        return out
    }

    func doubles() throws(ModelImportError) -> [Double] {
        guard let items = value as? [Any] else { throw error("expected an array of numbers") }
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
        guard let items = value as? [Any] else { throw error("expected an array of 0/1 flags") }
        var out: [Bool] = []
        out.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            if let v = JSONNode.double(item), v == 0 || v == 1 {
                out.append(v == 1)
            } else if let b = item as? Bool {
                out.append(b)
            } else {
                throw JSONNode(value: item, path: "\(path)[\(i)]", file: file).error("expected 0, 1, true or false")
            }
        }
        return out
    }

    private static func double(_ value: Any) -> Double? {
        switch value {
        case let d as Double: return d
        case let i as Int: return Double(i)
        case let n as NSNumber: return n.doubleValue
        default: return nil
        }
    }
}
