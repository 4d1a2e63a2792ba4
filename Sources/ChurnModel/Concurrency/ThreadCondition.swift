#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A mutex with condition variables (POSIX), what full Foundation's `NSCondition` was: threads that wait for a
/// state change under the lock and wake each other. With several conditions, each kind of waiter has its own, so
/// a change wakes only the threads that wait for it (`BlockPipeline`: the reader, the workers, the consumer).
/// Kept here so the module needs no Foundation.
final class ThreadCondition: @unchecked Sendable {
    // Heap storage: a pthread mutex or condition must not move once initialised.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let conds: UnsafeMutablePointer<pthread_cond_t>
    private let count: Int

    init(conditions: Int = 1) {
        count = max(conditions, 1)
        conds = .allocate(capacity: count)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        for k in 0..<count {
            (conds + k).initialize(to: pthread_cond_t())
            pthread_cond_init(conds + k, nil)
        }
    }

    deinit {
        for k in 0..<count { pthread_cond_destroy(conds + k) }
        pthread_mutex_destroy(mutex)
        conds.deallocate()
        mutex.deallocate()
    }

    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }
    /// Releases the lock until another thread signals condition `which`, then holds it again (may also wake
    /// spuriously: loop).
    func wait(_ which: Int = 0) { pthread_cond_wait(conds + which, mutex) }
    /// Wakes one thread waiting on condition `which`.
    func signal(_ which: Int = 0) { pthread_cond_signal(conds + which) }
    /// Wakes every thread waiting on condition `which`.
    func broadcast(_ which: Int = 0) { pthread_cond_broadcast(conds + which) }
}
