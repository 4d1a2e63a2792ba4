import ChurnModel
import ChurnMonitor
import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import ServiceLifecycle
#if canImport(Glibc)
import Glibc
#endif

/// Keeps a running server on the model it should serve: follows a registry's production version (polling its
/// index every second), or reloads a model file on SIGHUP. A new model is loaded and checked off the request
/// path, then swapped in atomically (`ModelRouter.install`); a model that fails to load, validate or match
/// the served schema is refused, logged and counted, and the old one keeps serving.
public actor ModelFollower: Service {
    /// Where the production model comes from.
    public enum Source: Sendable {
        /// Serve the registry's production version.
        case registry(ModelRegistry)
        /// Reload this file on SIGHUP.
        case file(String)
        /// The bundled model: nothing to reload.
        case fixed
    }

    /// What one check did.
    public enum Outcome: Sendable, Equatable {
        /// Nothing to do: the served model is the one asked for (or nothing is asked for).
        case unchanged
        case swapped(from: String, to: String)
        case refused(version: String, reason: String)
        /// A refusal already reported for this exact artifact; not retried until it changes or on SIGHUP.
        case stillRefused(version: String)
        case unreadable(String)
    }

    public nonisolated let source: Source
    let service: ScoringService
    let logger: Logger
    let pollInterval: Duration
    let handleSIGHUP: Bool
    /// Version and checksum of the last refused artifact, so a bad promotion is reported once, not every second.
    private var refusedKey: String?
    private var lastReadProblem: String?

    public init(source: Source, service: ScoringService, logger: Logger, pollInterval: Duration = .seconds(1),
                handleSIGHUP: Bool = true) {
        self.source = source
        self.service = service
        self.logger = logger
        self.pollInterval = pollInterval
        self.handleSIGHUP = handleSIGHUP
    }

    public nonisolated var registry: ModelRegistry? {
        if case .registry(let r) = source { return r }
        return nil
    }

    public func run() async throws {
        let (hangups, sink) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        var signalSource: (any DispatchSourceSignal)?
        if handleSIGHUP {
            signal(SIGHUP, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
            s.setEventHandler { sink.yield() }
            s.resume()
            signalSource = s
        }
        defer { signalSource?.cancel() }
        let polls = registry != nil
        try? await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await _ in hangups { await self.check(force: true, trigger: "SIGHUP") }
                }
                if polls {
                    group.addTask {
                        while !Task.isCancelled {
                            try? await Task.sleep(for: self.pollInterval)
                            if Task.isCancelled { break }
                            await self.check(force: false, trigger: "registry")
                        }
                    }
                }
                await group.next()
                group.cancelAll()
            }
        }
        sink.finish()
    }

    /// Loads the model the source names if it differs from the one served. `force` (SIGHUP, the admin routes)
    /// retries an artifact refused before and, for a file source, reloads the file.
    @discardableResult
    public func check(force: Bool, trigger: String) -> Outcome {
        let serving = service.routing.production
        let candidate: (version: String, key: String, load: @Sendable () throws -> ModelArtifact)
        switch source {
        case .fixed:
            if force { logger.notice("\(trigger): the bundled model is served; nothing to reload (serve --model FILE or --registry DIR to reload)") }
            return .unchanged
        case .file(let path):
            guard force else { return .unchanged }
            guard let data = FileManager.default.contents(atPath: path) else {
                return refuse(version: path, key: path, reason: "cannot read \(path)", trigger: trigger)
            }
            candidate = ("file \(path)", path + ModelRegistry.checksum(data), { try ModelArtifact.decode(data, file: path) })
        case .registry(let registry):
            let index: RegistryIndex
            do {
                index = try registry.read()
                lastReadProblem = nil
            } catch {
                let problem = "\(error)"
                if problem != lastReadProblem {
                    logger.error("cannot read the model registry; still serving \(serving.engine.version): \(problem)")
                    lastReadProblem = problem
                }
                return .unreadable(problem)
            }
            guard let entry = index.productionEntry else {
                if force { logger.notice("\(trigger): the registry at \(registry.path) has no production version yet") }
                return .unchanged
            }
            if entry.version == serving.engine.version {
                refusedKey = nil
                return .unchanged
            }
            candidate = (entry.version, entry.version + entry.checksum, { try registry.loadArtifact(entry) })
        }
        if !force && candidate.key == refusedKey { return .stillRefused(version: candidate.version) }
        let artifact: ModelArtifact
        do {
            artifact = try candidate.load()
        } catch {
            return refuse(version: candidate.version, key: candidate.key, reason: "\(error)", trigger: trigger)
        }
        guard artifact.version != serving.engine.version else {
            refusedKey = nil
            return .unchanged
        }
        if let problem = artifact.schema.compatibilityProblem(replacing: serving.artifact.schema) {
            return refuse(version: artifact.version, key: candidate.key, reason: problem, trigger: trigger)
        }
        let model = ServingModel(artifact: artifact)
        service.router.install(service.routing.replacingProduction(model))
        refusedKey = nil
        service.monitor.recordReload(ModelReload(at: Date(), version: artifact.version, result: .ok, reason: nil))
        logger.notice("model swapped (\(trigger)): \(serving.engine.version) -> \(artifact.version)")
        return .swapped(from: serving.engine.version, to: artifact.version)
    }

    private func refuse(version: String, key: String, reason: String, trigger: String) -> Outcome {
        refusedKey = key
        let serving = service.routing.production.engine.version
        service.monitor.recordReload(ModelReload(at: Date(), version: version, result: .refused, reason: reason))
        logger.error("model \(version) refused (\(trigger)); still serving \(serving): \(reason)")
        return .refused(version: version, reason: reason)
    }
}
