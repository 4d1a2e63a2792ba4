import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes
import HTTPTypes

/// Closes a connection whose request takes longer than `timeout` to arrive, from its head to the end of its body.
///
/// Hummingbird's idle timeout restarts on every part it reads, and a body arrives as many parts: a client that
/// sends one body byte every few seconds would keep its connection, and the in-flight slot of the route that is
/// collecting its body, forever (slowloris on the body). Headers produce no part until they are complete, so the
/// idle timeout alone already cuts a client that trickles its headers.
final class RequestDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    let timeout: TimeAmount
    let logger: Logger
    private var deadline: Scheduled<Void>?

    init(timeout: TimeAmount, logger: Logger) {
        self.timeout = timeout
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            deadline?.cancel()
            let path = head.path ?? ""
            let loop = context.eventLoop.assumeIsolated()
            deadline = loop.scheduleTask(in: timeout) { [weak self] in
                guard let self else { return }
                self.deadline = nil
                self.logger.notice("closing a connection whose request did not arrive in time",
                                   metadata: ["path": .string(path), "timeout_s": .stringConvertible(Double(self.timeout.nanoseconds) / 1e9)])
                context.close(promise: nil)
            }
        case .end:
            deadline?.cancel()
            deadline = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }
}
