#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `body(0)`, …, `body(count - 1)` on `count` new POSIX threads, one each, and
/// returns after every thread has been joined, so nothing `body` captured outlives the
/// call on another thread (the C phase may then open the same LMDB environment).
func onThreads(_ count: Int, _ body: @escaping (Int) -> Void) {
    final class Job: @unchecked Sendable {
        let index: Int
        let body: (Int) -> Void
        init(index: Int, body: @escaping (Int) -> Void) {
            self.index = index
            self.body = body
        }
    }
    var threads: [pthread_t] = []
    for i in 0..<count {
        let job = Unmanaged.passRetained(Job(index: i, body: body)).toOpaque()
        var tid = pthread_t()
        let rc = pthread_create(
            &tid, nil,
            { arg in
                let job = Unmanaged<Job>.fromOpaque(arg!).takeRetainedValue()
                job.body(job.index)
                return nil
            }, job)
        precondition(rc == 0, "pthread_create: \(rc)")
        threads.append(tid)
    }
    for tid in threads { pthread_join(tid, nil) }
}
