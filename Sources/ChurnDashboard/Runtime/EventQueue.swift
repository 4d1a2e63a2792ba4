#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Events from background work (polls, batch progress, listings) on their way to the UI loop.
///
/// Posting appends under a lock and writes one byte to a pipe, so the UI loop can sleep in `poll(2)` on the
/// keyboard and this pipe together and wake for whichever comes first. Bounded: background work posts at
/// most a few events a second (one poll in flight, throttled progress), and beyond `capacity` the oldest
/// progress events are dropped rather than growing without limit.
public final class EventQueue: Sendable {
    private let events = Mutex<[DashboardEvent]>([])
    /// Read end (the UI loop polls it) and write end.
    public let wakeFD: Int32
    private let writeFD: Int32
    private let capacity: Int

    public init(capacity: Int = 256) {
        var fds: [Int32] = [0, 0]
        precondition(pipe(&fds) == 0, "cannot create the console's wake-up pipe")
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        wakeFD = fds[0]
        writeFD = fds[1]
        self.capacity = capacity
    }

    deinit {
        close(wakeFD)
        close(writeFD)
    }

    public func post(_ event: DashboardEvent) {
        events.withLock { q in
            if q.count >= capacity, let i = q.firstIndex(where: { if case .batchProgress = $0 { true } else { false } }) {
                q.remove(at: i)
            }
            q.append(event)
        }
        wake()
    }

    /// Wakes the UI loop without an event (signals use this through `wakeFD`'s write end).
    public func wake() {
        var b: UInt8 = 1
        _ = write(writeFD, &b, 1)
    }

    /// The write end, for signal handlers that can only call `write(2)`.
    public var signalFD: Int32 { writeFD }

    /// Takes every queued event and empties the wake-up pipe.
    public func drain() -> [DashboardEvent] {
        var buf = [UInt8](repeating: 0, count: 64)
        while read(wakeFD, &buf, buf.count) > 0 {}
        return events.withLock { q in
            defer { q.removeAll(keepingCapacity: true) }
            return q
        }
    }
}
