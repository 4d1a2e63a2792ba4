import ChurnModel
import ChurnMonitor
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The console's loop: waits for a key, a background event, a signal or the next second; feeds each as an
/// event to `DashboardUpdate.update`; performs the effects it returns; and draws a new frame only when the
/// state changed. Polling, listing, header checks and scoring run off this thread and come back as events.
public final class DashboardRuntime {
    public let source: any SnapshotSource
    public let terminal: any TerminalBackend
    public let queue: EventQueue
    /// Model for the Batch panel; root for its file browser (nil: no batch scoring).
    public let model: ModelArtifact?
    public let root: BatchRoot?
    /// Longest wait for one poll.
    public let pollTimeout: Double
    /// Where the Model panel's promote and roll back go (nil: nowhere).
    public let modelControl: (any ModelControl)?
    private var job: BatchJob?
    /// The Batch model compiled once, for explaining customers of the results.
    private var explainEngine: ScoringEngine?
    /// Frames drawn and cells sent, for diagnostics.
    public private(set) var frames = 0
    public private(set) var cellsDrawn = 0

    public init(source: any SnapshotSource, terminal: any TerminalBackend, queue: EventQueue, model: ModelArtifact?,
                root: BatchRoot?, pollTimeout: Double = 5, modelControl: (any ModelControl)? = nil) {
        self.source = source
        self.terminal = terminal
        self.queue = queue
        self.model = model
        self.root = root
        self.pollTimeout = pollTimeout
        self.modelControl = modelControl
    }

    /// Runs until the operator quits or a termination signal arrives; returns the final state.
    @discardableResult
    public func run(config: DashboardConfig) -> DashboardState {
        var state = DashboardState(config: config, width: terminal.width, height: terminal.height, now: Date())
        var effects: [DashboardEffect]
        (state, effects) = DashboardUpdate.start(state)
        perform(effects, range: state.range)
        var shown = state
        present(state)
        var nextTick = (Date().timeIntervalSince1970).rounded(.down) + 1
        while !state.quitting {
            let wait = max(0, Int32(((nextTick - Date().timeIntervalSince1970) * 1000).rounded(.up)))
            var fds = [pollfd(fd: terminal.inputFD, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: queue.wakeFD, events: Int16(POLLIN), revents: 0)]
            _ = poll(&fds, nfds_t(fds.count), min(wait, 1000))

            var events: [DashboardEvent] = []
            if TerminalSignals.takeTerminate() { events.append(.terminate) }
            if TerminalSignals.takeResize() {
                let size = terminal.refreshSize()
                events.append(.resize(width: size.width, height: size.height))
            }
            events += terminal.readEvents()
            events += queue.drain()
            let now = Date()
            if now.timeIntervalSince1970 >= nextTick {
                events.append(.tick(now))
                nextTick = now.timeIntervalSince1970.rounded(.down) + 1
            }
            for event in events {
                switch event {
                case .batchFinished, .batchCancelled: job = nil
                default: break
                }
                (state, effects) = DashboardUpdate.update(state, event)
                perform(effects, range: state.range)
            }
            if state != shown && !state.quitting {
                present(state)
                shown = state
            }
        }
        finishBatch()
        return state
    }

    private func present(_ state: DashboardState) {
        let grid = DashboardView.render(state)
        cellsDrawn += terminal.draw(grid)
        frames += 1
    }

    /// `range` is the time range polls ask the source for.
    private func perform(_ effects: [DashboardEffect], range: HistoryRange) {
        let queue = self.queue
        let post: @Sendable (DashboardEvent) -> Void = { queue.post($0) }
        for effect in effects {
            switch effect {
            case .poll:
                PollRunner.poll(source, range: range, timeout: pollTimeout, post: post)
            case .listDirectory(let relative):
                guard let root else {
                    post(.directoryListed(DirectoryListing(directory: relative, entries: [], error: "batch scoring is not available here")))
                    continue
                }
                Task.detached { post(.directoryListed(root.list(relative))) }
            case .checkHeader(let relative):
                guard let root, let model else { continue }
                let planner = BatchPlanner(root: root, model: model)
                Task.detached { post(.headerChecked(planner.check(relative))) }
            case .startBatch(let plan):
                guard let model else { continue }
                let job = BatchJob()
                self.job = job
                job.start(plan: plan, model: model, post: post)
            case .cancelBatch:
                job?.cancel()
            case .modelAction(let action):
                guard let control = modelControl else { continue }
                Task.detached {
                    let result: Result<String, SourceFailure>
                    do {
                        result = .success(try await control.perform(action))
                    } catch let failure as SourceFailure {
                        result = .failure(failure)
                    } catch {
                        result = .failure(SourceFailure("\(error)"))
                    }
                    post(.modelActionFinished(action, result, at: Date()))
                }
            case .loadRejects(let path):
                Task.detached { post(.rejectsLoaded(RejectsReader.read(path))) }
            case .explainCustomer(let customer, let plan):
                guard let model else { continue }
                let engine = explainEngine ?? ScoringEngine(artifact: model)
                explainEngine = engine
                Task.detached { post(.customerExplained(line: customer.line, CustomerDetailSource.explain(customer, plan, engine))) }
            case .bell:
                terminal.bell()
            case .quit:
                break
            }
        }
    }

    /// On the way out, a cancelled batch gets a moment to remove its temporary files.
    private func finishBatch() {
        guard job != nil else { return }
        let deadline = Date().addingTimeInterval(3)
        while Date() < deadline {
            var fds = [pollfd(fd: queue.wakeFD, events: Int16(POLLIN), revents: 0)]
            _ = poll(&fds, 1, 100)
            for e in queue.drain() {
                switch e {
                case .batchCancelled, .batchFinished: return
                default: continue
                }
            }
        }
    }
}
