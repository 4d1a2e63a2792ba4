import ChurnBase
import ChurnHTTP
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A client for the parts of MLflow's REST API that model tracking needs: experiments, runs, batched params
/// and metrics, the model registry, and artifacts through the tracking server's `mlflow-artifacts` proxy
/// (a server started with `--serve-artifacts`, the default since MLflow 2).
public struct MLflowClient: Sendable {
    public let base: URL
    let transport: HTTPTransport
    let token: String?

    /// `base` is the tracking server, e.g. http://127.0.0.1:5000. A `token` is sent as a bearer token
    /// (`MLFLOW_TRACKING_TOKEN`).
    public init(base: URL, token: String? = nil, timeout: Double = 30) {
        self.base = base
        self.token = token
        // The whole exchange, artifact uploads and downloads included, gets four times the per-request wait.
        transport = HTTPTransport(timeout: timeout * 4)
    }

    /// Parses `--mlflow-uri`: an http(s) URL with a host.
    public static func parse(_ text: String) -> URL? {
        guard let url = URL(string: text), HTTPTransport.supports(url), url.host != nil else { return nil }
        return url
    }

    // MARK: Experiments and runs

    /// The id of the experiment called `name`, created when missing.
    public func experimentID(named name: String) async throws -> String {
        do {
            let found = try await call("GET", "mlflow/experiments/get-by-name", query: ["experiment_name": name],
                                       operation: "look up experiment '\(name)'")
            if let id = found["experiment"]?["experiment_id"]?.string { return id }
        } catch let error as MLflowError where error.code == "RESOURCE_DOES_NOT_EXIST" || error.status == 404 {
            // Not there yet: create it below.
        }
        do {
            let created = try await call("POST", "mlflow/experiments/create", body: .object(["name": .string(name)]),
                                         operation: "create experiment '\(name)'")
            guard let id = created["experiment_id"]?.string else {
                throw MLflowError(operation: "create experiment '\(name)'", message: "the answer has no experiment_id")
            }
            return id
        } catch let error as MLflowError where error.code == "RESOURCE_ALREADY_EXISTS" {
            // Another process created it meanwhile.
            let found = try await call("GET", "mlflow/experiments/get-by-name", query: ["experiment_name": name],
                                       operation: "look up experiment '\(name)'")
            guard let id = found["experiment"]?["experiment_id"]?.string else { throw error }
            return id
        }
    }

    /// A started run: its id and where its artifacts go.
    public struct Run: Sendable, Equatable {
        public var id: String
        public var artifactURI: String
    }

    public func createRun(experimentID: String, name: String, tags: [String: String], start: Date = Date()) async throws -> Run {
        let answer = try await call("POST", "mlflow/runs/create", body: .object([
            "experiment_id": .string(experimentID), "run_name": .string(name), "start_time": MLflowClient.milliseconds(start),
            "tags": .array(tags.sorted { $0.key < $1.key }.map { .object(["key": .string($0.key), "value": .string($0.value)]) }),
        ]), operation: "create a run in experiment \(experimentID)")
        guard let info = answer["run"]?["info"], let id = info["run_id"]?.string ?? info["run_uuid"]?.string else {
            throw MLflowError(operation: "create a run", message: "the answer has no run id")
        }
        return Run(id: id, artifactURI: info["artifact_uri"]?.string ?? "")
    }

    /// Logs parameters and metrics in batches of the sizes MLflow accepts (100 params, 1,000 metrics).
    public func logBatch(runID: String, params: [String: String], metrics: [String: Double], at: Date = Date()) async throws {
        let ms = MLflowClient.milliseconds(at)
        let p: [JSONValue] = params.sorted { $0.key < $1.key }.map { .object(["key": .string($0.key), "value": .string(String($0.value.prefix(6000)))]) }
        let m: [JSONValue] = metrics.filter { $0.value.isFinite }.sorted { $0.key < $1.key }
            .map { .object(["key": .string($0.key), "value": .number($0.value), "timestamp": ms, "step": .number(0)]) }
        var start = 0
        repeat {
            let ps = Array(p.dropFirst(start * 100).prefix(100))
            let msl = Array(m.dropFirst(start * 1000).prefix(1000))
            if ps.isEmpty && msl.isEmpty && start > 0 { break }
            _ = try await call("POST", "mlflow/runs/log-batch", body: .object(["run_id": .string(runID), "params": .array(ps), "metrics": .array(msl), "tags": .array([])]),
                               operation: "log parameters and metrics of run \(runID)")
            start += 1
        } while start * 100 < p.count || start * 1000 < m.count
    }

    public func finishRun(_ runID: String, status: String = "FINISHED", at: Date = Date()) async throws {
        _ = try await call("POST", "mlflow/runs/update", body: .object([
            "run_id": .string(runID), "status": .string(status), "end_time": MLflowClient.milliseconds(at),
        ]), operation: "finish run \(runID)")
    }

    /// The artifact root of a run (`runs/get`).
    public func runArtifactURI(_ runID: String) async throws -> String {
        let answer = try await call("GET", "mlflow/runs/get", query: ["run_id": runID], operation: "read run \(runID)")
        guard let uri = answer["run"]?["info"]?["artifact_uri"]?.string else {
            throw MLflowError(operation: "read run \(runID)", message: "the answer has no artifact_uri")
        }
        return uri
    }

    // MARK: Model registry

    /// Registers `source` (an artifact directory of `runID`) as a new version of the registered model `name`,
    /// creating the registered model when missing; returns the version number.
    public func createModelVersion(name: String, source: String, runID: String) async throws -> String {
        do {
            _ = try await call("POST", "mlflow/registered-models/create", body: .object(["name": .string(name)]),
                               operation: "create registered model '\(name)'")
        } catch let error as MLflowError where error.code == "RESOURCE_ALREADY_EXISTS" {
            // Already there: add a version to it.
        }
        let answer = try await call("POST", "mlflow/model-versions/create", body: .object(["name": .string(name), "source": .string(source), "run_id": .string(runID)]),
                                    operation: "create a version of model '\(name)'")
        guard let version = answer["model_version"]?["version"]?.string else {
            throw MLflowError(operation: "create a version of model '\(name)'", message: "the answer has no version")
        }
        return version
    }

    /// A registered model version: where its files are and which run made it.
    public struct ModelVersion: Sendable, Equatable {
        public var name: String
        public var version: String
        public var source: String
        public var runID: String?
    }

    public func modelVersion(_ uri: ModelURI) async throws -> ModelVersion {
        var version = uri.version
        if version == "latest" {
            let answer = try await call("POST", "mlflow/registered-models/get-latest-versions", body: .object(["name": .string(uri.name)]),
                                        operation: "find the latest version of model '\(uri.name)'")
            let versions = (answer["model_versions"]?.array ?? []).compactMap { $0["version"]?.string }
            guard let newest = versions.compactMap(Int.init).max() else {
                throw MLflowError(operation: "find the latest version of model '\(uri.name)'", message: "it has no versions")
            }
            version = String(newest)
        }
        let answer = try await call("GET", "mlflow/model-versions/get", query: ["name": uri.name, "version": version],
                                    operation: "read \(uri.name) version \(version)")
        guard let mv = answer["model_version"], let source = mv["source"]?.string else {
            throw MLflowError(operation: "read \(uri)", message: "the answer has no source")
        }
        let run = mv["run_id"]?.string.flatMap { $0.isEmpty ? nil : $0 }
        return ModelVersion(name: uri.name, version: version, source: source, runID: run)
    }

    // MARK: Artifacts

    /// Uploads one file to the run's artifact root under `path` (e.g. "model/model.json").
    public func uploadArtifact(_ data: Data, artifactURI: String, path: String) async throws {
        let target = try MLflowClient.proxyPath(artifactURI) + "/" + path
        _ = try await send("PUT", "mlflow-artifacts/artifacts/" + target, body: data, contentType: "application/octet-stream",
                           operation: "upload artifact \(path)")
    }

    /// Downloads a file given as an artifact URI (`mlflow-artifacts:/…/model.json`).
    public func downloadArtifact(_ uri: String) async throws -> Data {
        try await send("GET", "mlflow-artifacts/artifacts/" + MLflowClient.proxyPath(uri), operation: "download artifact \(uri)")
    }

    /// The path under the artifact proxy for an `mlflow-artifacts:` URI (with or without a host part).
    static func proxyPath(_ uri: String) throws -> String {
        guard uri.hasPrefix("mlflow-artifacts:") else {
            throw MLflowError(operation: "use artifact location \(uri)",
                              message: "only the tracking server's artifact proxy (mlflow-artifacts:) is supported; start the server with --serve-artifacts")
        }
        var rest = Substring(uri.dropFirst("mlflow-artifacts:".count))
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            rest = rest.firstIndex(of: "/").map { rest[$0...] } ?? ""
        }
        return rest.split(separator: "/").joined(separator: "/")
    }

    // MARK: HTTP

    /// Sends `body` as JSON and returns the answer, which must be a JSON object (an empty answer is `{}`).
    func call(_ method: String, _ endpoint: String, query: [String: String] = [:], body: JSONValue? = nil,
              operation: String) async throws -> JSONValue {
        let data = try await send(method, endpoint, query: query, body: try body?.serialized(),
                                  contentType: "application/json", operation: operation)
        if data.isEmpty { return .object([:]) }
        guard let object = try? JSONValue.parse(data), object.object != nil else {
            throw MLflowError(operation: operation, message: "the answer is not a JSON object")
        }
        return object
    }

    /// A time as MLflow wants it: whole milliseconds since 1970 (written without a fraction).
    static func milliseconds(_ date: Date) -> JSONValue { .number(Double(Int64(date.timeIntervalSince1970 * 1000))) }

    func send(_ method: String, _ endpoint: String, query: [String: String] = [:], body: Data? = nil,
              contentType: String? = nil, operation: String) async throws -> Data {
        var components = URLComponents(url: base.appendingPathComponent("api/2.0/" + endpoint), resolvingAgainstBaseURL: false)!
        if !query.isEmpty { components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) } }
        guard let url = components.url else { throw MLflowError(operation: operation, message: "cannot build the URL") }
        var request = HTTPRequest(method, url, body: body)
        if let contentType, body != nil { request.headers["Content-Type"] = contentType }
        if let token { request.headers["Authorization"] = "Bearer \(token)" }
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch {
            throw MLflowError(operation: operation, message: "no answer from \(base.absoluteString) (\(error))")
        }
        let data = response.body, status = response.status
        guard (200..<300).contains(status) else {
            let object = try? JSONValue.parse(data)
            let text = String(decoding: data.prefix(300), as: UTF8.self)
            throw MLflowError(operation: operation, status: status, code: object?["error_code"]?.string,
                              message: object?["message"]?.string ?? (text.isEmpty ? "no details" : text))
        }
        return data
    }
}
