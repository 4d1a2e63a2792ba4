#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a body on a new, detached POSIX thread with a name (seen in `top -H` and debuggers): what Foundation's
/// `Thread` gave the console loop and batch jobs, which block for long and must not hold a Dispatch or
/// concurrency-pool thread meanwhile.
public enum DetachedThread {
    private final class Box {
        let name: String
        let body: () -> Void
        init(name: String, body: @escaping () -> Void) { self.name = name; self.body = body }
    }

    /// Starts `body` at once; a thread that cannot be created is a fatal error (the process is out of resources).
    public static func start(name: String = "churn-worker", _ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Box(name: name, body: body)).toOpaque()
        #if canImport(Darwin)
        var thread: pthread_t?
        #else
        var thread = pthread_t()
        #endif
        let result = pthread_create(&thread, nil, { raw in
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            DetachedThread.name(box.name)
            box.body()
            return nil
        }, box)
        if result == 0 {
            #if canImport(Darwin)
            pthread_detach(thread!)
            #else
            pthread_detach(thread)
            #endif
        }
        precondition(result == 0, "cannot start the \(name) thread: \(String(cString: strerror(result)))")
    }

    /// Names the calling thread (at most 15 bytes show). Glibc's module does not export `pthread_setname_np`, so
    /// on Linux the name is written where that function writes it.
    private static func name(_ name: String) {
        let short = String(decoding: name.utf8.prefix(15), as: UTF8.self)
        #if canImport(Darwin)
        pthread_setname_np(short)
        #else
        let fd = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = short.withCString { write(fd, $0, strlen($0)) }
        close(fd)
        #endif
    }
}
