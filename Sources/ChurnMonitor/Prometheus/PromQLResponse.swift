#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The body of a Prometheus HTTP API answer to `/api/v1/query` or `/api/v1/query_range`, decoded into plain values.
///
/// A standalone decoder (no network, no state) so tests and fuzz targets can feed it any bytes: every input either
/// decodes or throws a `PromQLError`; nothing traps. Sample values arrive as strings ("0.25", "NaN", "+Inf") and
/// are parsed exactly as Prometheus formats them.
public struct PromQLResponse: Sendable, Equatable {
    public var result: PromQLResult
    /// Warnings Prometheus attached to a successful answer (e.g. a query that hit a limit).
    public var warnings: [String]

    public init(result: PromQLResult, warnings: [String] = []) {
        self.result = result
        self.warnings = warnings
    }

    /// Decodes an API answer. A `"status": "error"` body throws `PromQLError.server` with Prometheus's own
    /// error type and message; anything that is not the documented shape throws `PromQLError.malformed`.
    public static func decode(_ data: Data) throws(PromQLError) -> PromQLResponse {
        let top = try PromQLJSON.object(data)
        let status = try PromQLJSON.string(top["status"], "status")
        switch status {
        case "success":
            break
        case "error":
            let type = top["errorType"]?.stringValue ?? "unknown"
            let message = top["error"]?.stringValue ?? "(no message)"
            throw .server(type: type, message: message)
        default:
            throw .malformed("status is '\(PromQLJSON.excerpt(status))', expected 'success' or 'error'")
        }
        let warnings = top["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? []
        guard let body = top["data"]?.objectValue else { throw .malformed("'data' is missing or not an object") }
        let type = try PromQLJSON.string(body["resultType"], "data.resultType")
        guard let raw = body["result"] else { throw .malformed("'data.result' is missing") }
        let result: PromQLResult
        switch type {
        case "vector":
            guard let items = raw.arrayValue else { throw .malformed("'data.result' of a vector is not an array") }
            var samples: [PromQLSample] = []
            samples.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                let where_ = "data.result[\(i)]"
                guard let o = item.objectValue else { throw .malformed("\(where_) is not an object") }
                let labels = try PromQLJSON.labels(o["metric"], "\(where_).metric")
                // Native histogram samples carry "histogram" instead of "value"; ChurnOps exports none, so they are
                // left out rather than misread.
                if o["value"] == nil && o["histogram"] != nil { continue }
                let point = try PromQLJSON.point(o["value"], "\(where_).value")
                samples.append(PromQLSample(labels: labels, time: point.time, value: point.value))
            }
            result = .vector(samples)
        case "matrix":
            guard let items = raw.arrayValue else { throw .malformed("'data.result' of a matrix is not an array") }
            var series: [PromQLSeries] = []
            series.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                let where_ = "data.result[\(i)]"
                guard let o = item.objectValue else { throw .malformed("\(where_) is not an object") }
                let labels = try PromQLJSON.labels(o["metric"], "\(where_).metric")
                var points: [PromQLPoint] = []
                if let values = o["values"] {
                    guard let list = values.arrayValue else { throw .malformed("\(where_).values is not an array") }
                    points.reserveCapacity(list.count)
                    for (k, v) in list.enumerated() { points.append(try PromQLJSON.point(v, "\(where_).values[\(k)]")) }
                } else if o["histograms"] == nil {
                    throw .malformed("\(where_) has neither 'values' nor 'histograms'")
                }
                series.append(PromQLSeries(labels: labels, points: points))
            }
            result = .matrix(series)
        case "scalar":
            result = .scalar(try PromQLJSON.point(raw, "data.result"))
        case "string":
            guard let pair = raw.arrayValue, pair.count == 2, let text = pair[1].stringValue else {
                throw .malformed("'data.result' of a string is not [time, \"text\"]")
            }
            result = .string(text)
        default:
            throw .malformed("unknown resultType '\(PromQLJSON.excerpt(type))'")
        }
        return PromQLResponse(result: result, warnings: warnings)
    }

    /// The samples of an instant vector; a scalar counts as one unlabelled sample. Anything else throws.
    public func vector() throws(PromQLError) -> [PromQLSample] {
        switch result {
        case .vector(let s): return s
        case .scalar(let p): return [PromQLSample(labels: [:], time: p.time, value: p.value)]
        case .matrix: throw .malformed("expected an instant vector, got a range matrix")
        case .string: throw .malformed("expected an instant vector, got a string")
        }
    }

    /// The series of a range query's matrix. Anything else throws.
    public func matrix() throws(PromQLError) -> [PromQLSeries] {
        guard case .matrix(let m) = result else { throw .malformed("expected a range matrix, got \(result.kind)") }
        return m
    }
}

/// What a PromQL expression evaluated to.
public enum PromQLResult: Sendable, Equatable {
    case vector([PromQLSample])
    case matrix([PromQLSeries])
    case scalar(PromQLPoint)
    case string(String)

    var kind: String {
        switch self {
        case .vector: "an instant vector"
        case .matrix: "a range matrix"
        case .scalar: "a scalar"
        case .string: "a string"
        }
    }
}

/// One value at one time (seconds since the epoch). Values may be NaN or infinite, as in Prometheus.
public struct PromQLPoint: Sendable, Equatable {
    public var time: Double
    public var value: Double

    public init(time: Double, value: Double) {
        self.time = time
        self.value = value
    }

    /// Equal when both are NaN, so decoded NaN samples compare equal in tests.
    public static func == (a: PromQLPoint, b: PromQLPoint) -> Bool {
        a.time == b.time && (a.value == b.value || (a.value.isNaN && b.value.isNaN))
    }
}

/// One labelled sample of an instant vector.
public struct PromQLSample: Sendable, Equatable {
    public var labels: [String: String]
    public var time: Double
    public var value: Double

    public init(labels: [String: String], time: Double, value: Double) {
        self.labels = labels
        self.time = time
        self.value = value
    }

    public static func == (a: PromQLSample, b: PromQLSample) -> Bool {
        a.labels == b.labels && PromQLPoint(time: a.time, value: a.value) == PromQLPoint(time: b.time, value: b.value)
    }

    /// The value when it is a finite number, else nil (NaN from 0/0, ±Inf).
    public var finite: Double? { value.isFinite ? value : nil }
}

/// One labelled series of a range matrix, oldest point first.
public struct PromQLSeries: Sendable, Equatable {
    public var labels: [String: String]
    public var points: [PromQLPoint]

    public init(labels: [String: String], points: [PromQLPoint]) {
        self.labels = labels
        self.points = points
    }
}

/// The JSON reading behind `PromQLResponse` and `PrometheusRulesResponse`: Foundation's decoder into a small JSON
/// tree, then checked accessors, each failure naming the field.
enum PromQLJSON {
    /// The top-level object. Too deeply nested bodies are refused by the parser itself, not trapped on.
    static func object(_ data: Data) throws(PromQLError) -> [String: JSONNode] {
        let parsed: JSONNode
        do {
            parsed = try JSONDecoder().decode(JSONNode.self, from: data)
        } catch {
            throw .malformed("not JSON (\(data.isEmpty ? "empty body" : "starts with '\(excerpt(String(decoding: data.prefix(40), as: UTF8.self)))'"))")
        }
        guard case .object(let o) = parsed else { throw .malformed("the body is not a JSON object") }
        return o
    }

    static func string(_ v: JSONNode?, _ field: String) throws(PromQLError) -> String {
        guard case .string(let s)? = v else { throw .malformed("'\(field)' is missing or not a string") }
        return s
    }

    static func labels(_ v: JSONNode?, _ field: String) throws(PromQLError) -> [String: String] {
        guard let v, v != .null else { return [:] }
        guard case .object(let o) = v else { throw .malformed("\(field) is not an object") }
        var out: [String: String] = [:]
        for (k, value) in o {
            guard case .string(let s) = value else { throw .malformed("\(field).\(excerpt(k)) is not a string") }
            out[k] = s
        }
        return out
    }

    /// `[time, "value"]`: time a JSON number, value a string in Prometheus's float format.
    static func point(_ v: JSONNode?, _ field: String) throws(PromQLError) -> PromQLPoint {
        guard case .array(let pair)? = v, pair.count == 2 else { throw .malformed("\(field) is not a [time, \"value\"] pair") }
        guard case .number(let t) = pair[0], t.isFinite else { throw .malformed("\(field) has a time that is not a number") }
        guard case .string(let text) = pair[1] else { throw .malformed("\(field) has a value that is not a string") }
        guard let value = PromQLJSON.value(text) else {
            throw .malformed("\(field) has the value '\(excerpt(text))', which is not a number")
        }
        return PromQLPoint(time: t, value: value)
    }

    /// Prometheus's float text: decimal or exponent notation, "NaN", "+Inf", "-Inf" (also "Inf").
    static func value(_ s: String) -> Double? {
        switch s {
        case "NaN": return .nan
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        default: break
        }
        // Only plain numbers: Double(String) also takes "nan", "infinity" and hex floats, which Prometheus never sends.
        guard !s.isEmpty, s.utf8.count <= 64,
              s.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D || $0 == 0x2B || $0 == 0x65 || $0 == 0x45 })
        else { return nil }
        return Double(s)
    }

    /// At most 60 characters of outside text, control characters replaced, for error messages.
    static func excerpt(_ s: String) -> String {
        let cut = s.count > 60 ? String(s.prefix(60)) + "…" : s
        return String(String.UnicodeScalarView(cut.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : $0 }))
    }
}

/// Any JSON value, typed exactly: a boolean is never a number and a number never a string.
enum JSONNode: Decodable, Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONNode])
    case object([String: JSONNode])

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONNode].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONNode].self)) }
    }

    subscript(key: String) -> JSONNode? {
        guard case .object(let o) = self else { return nil }
        return o[key]
    }

    var stringValue: String? {
        guard case .string(let s) = self else { return nil }
        return s
    }

    var arrayValue: [JSONNode]? {
        guard case .array(let a) = self else { return nil }
        return a
    }

    var objectValue: [String: JSONNode]? {
        guard case .object(let o) = self else { return nil }
        return o
    }
}
