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

/// Signals the console turns into events: SIGWINCH (resize) and SIGINT/SIGTERM/SIGHUP (leave cleanly,
/// restoring the terminal). Handlers only set a flag and write one byte to the UI loop's wake-up pipe.
public enum TerminalSignals {
    nonisolated(unsafe) static var wakeFD: Int32 = -1
    static let resized = Atomic<Bool>(false)
    static let terminated = Atomic<Bool>(false)

    public static func install(wakeFD fd: Int32) {
        wakeFD = fd
        signal(SIGWINCH) { _ in
            TerminalSignals.resized.store(true, ordering: .relaxed)
            var b: UInt8 = 1
            _ = write(TerminalSignals.wakeFD, &b, 1)
        }
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig) { _ in
                TerminalSignals.terminated.store(true, ordering: .relaxed)
                var b: UInt8 = 1
                _ = write(TerminalSignals.wakeFD, &b, 1)
            }
        }
        // A closed ssh session must not kill the process mid-write with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
    }

    public static func restore() {
        for sig in [SIGWINCH, SIGINT, SIGTERM, SIGHUP] { signal(sig, SIG_DFL) }
    }

    /// Whether a resize arrived since the last call.
    public static func takeResize() -> Bool { resized.exchange(false, ordering: .relaxed) }

    /// Whether a termination signal arrived since the last call.
    public static func takeTerminate() -> Bool { terminated.exchange(false, ordering: .relaxed) }
}
