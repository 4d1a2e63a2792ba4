import Hummingbird
import Synchronization

/// The API's request context: Hummingbird's core context, plus the model that answered the request. A predict
/// handler names the model there; the metrics middleware reads it after the handler returned and labels the
/// request with it (`model_version`).
public struct ChurnRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Shared by every copy of this context (middlewares and the handler each get a copy).
    let answeredBy: AnsweringModel

    public init(source: Source) {
        coreContext = .init(source: source)
        answeredBy = AnsweringModel()
    }
}

/// The version of the model that answered a request, set once by its handler.
final class AnsweringModel: Sendable {
    private let version = Mutex<String?>(nil)

    var value: String? {
        get { version.withLock { $0 } }
        set { version.withLock { $0 = newValue } }
    }
}
