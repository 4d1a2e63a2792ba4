import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird

/// The admin routes: promote a registered version to production, or roll back, in the registry this server
/// follows, then swap the model in at once. They need the bearer token, and answer 403 on a server without one,
/// so a server open for scoring is never open for changing what it serves.
struct ModelAdmin {
    enum Action { case promote, rollback }

    let service: ScoringService
    let follower: ModelFollower?

    func handle(action: Action, body: ByteBuffer) async -> Response {
        guard let token = service.configuration.token, !token.isEmpty else {
            return APIResponse.error(.forbidden, code: "admin_disabled",
                                     message: "admin routes need a bearer token; start churn serve with --token-file FILE or CHURN_API_TOKEN")
        }
        guard let follower, let registry = follower.registry else {
            return APIResponse.error(.conflict, code: "no_registry",
                                     message: "this server does not follow a model registry; start it with --registry DIR")
        }
        let actor = "api"
        do {
            switch action {
            case .promote:
                var reference: String?
                if body.readableBytes > 0,
                   let value = try? body.withUnsafeReadableBytes({ raw in try JSONParser.parse(raw.bindMemory(to: UInt8.self)) }) {
                    if case .string(let s)? = value["version"] { reference = s }
                    if case .number(let n, _)? = value["version"] { reference = String(Int(n)) }
                }
                guard let reference, !reference.isEmpty else {
                    return APIResponse.error(.unprocessableContent, code: "invalid_fields", message: "say which version to promote",
                                             fields: [FieldProblem(field: "version", problem: "is missing (a registry number or version id)")])
                }
                // Check against what this server serves before touching the registry, so a model it would refuse
                // never becomes production.
                let index = try registry.read()
                let entry = try index.resolve(reference)
                let artifact = try registry.loadArtifact(entry)
                if let problem = artifact.schema.compatibilityProblem(replacing: service.model.artifact.schema) {
                    return APIResponse.error(.unprocessableContent, code: "model_refused", message: "\(entry.version) cannot replace the served model: \(problem)")
                }
                let (promoted, previous) = try registry.promote(reference, actor: actor)
                return await answer(follower, action: "promote", version: promoted.version, previous: previous)
            case .rollback:
                let (restored, retired) = try registry.rollback(actor: actor)
                return await answer(follower, action: "rollback", version: restored.version, previous: retired)
            }
        } catch {
            switch error {
            case .unknownVersion, .ambiguous:
                return APIResponse.error(.notFound, code: "unknown_version", message: error.description)
            case .alreadyProduction, .nothingToRollBack:
                return APIResponse.error(.conflict, code: "no_change", message: error.description)
            case .corruptArtifact, .incompatible:
                return APIResponse.error(.unprocessableContent, code: "model_refused", message: error.description)
            case .unreadable, .conflictingArtifact, .io:
                return APIResponse.error(.internalServerError, code: "registry_error", message: error.description)
            }
        }
    }

    private func answer(_ follower: ModelFollower, action: String, version: String, previous: String?) async -> Response {
        let outcome = await follower.check(force: true, trigger: "admin \(action)")
        let w = ByteWriter(capacity: 256)
        w.append("{\"action\":")
        w.appendJSONString(action)
        w.append(",\"production\":")
        w.appendJSONString(version)
        w.append(",\"previous\":")
        if let previous { w.appendJSONString(previous) } else { w.append("null") }
        w.append(",\"serving\":")
        w.appendJSONString(service.model.engine.version)
        if case .refused(_, let reason) = outcome {
            w.append(",\"refused\":")
            w.appendJSONString(reason)
        }
        w.append("}")
        return APIResponse.json(.ok, w)
    }
}
