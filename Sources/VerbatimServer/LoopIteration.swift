import NIOCore
import VerbatimStore

/// What the connections of one event loop share within one iteration of the loop, given
/// back or done by one task queued for the iteration's end:
///
/// - **A read session** for GetParagraph and GetParagraphs (with the loop's
///   `DocumentCache`), whose snapshot is held from the first such call of an iteration until
///   its end. So a snapshot is taken once per iteration, not once per connection's read,
///   and a call in a later iteration sees every write committed before that iteration
///   began. A connection that runs any other method ends the session first (another read
///   must not begin on this thread while it is held: `ReadSession`).
/// - **The reads of GetParagraph calls**, deferred to the iteration's end (and kept in the
///   session's snapshot): each call's paragraph is located as it is read (the document
///   cache's entry, the table entry prefetched), then, at the end, the paragraphs of all
///   the connections' calls are prefetched, all of them, and only then copied into their
///   replies. Read one after the other, each paid its own cache misses in turn (most of
///   the 50 × 1 working set is out of cache); prefetched together, they overlap. A
///   connection writes its deferred replies before anything else it writes, so replies
///   keep the order of their requests, and the session is never ended with a read
///   deferred in it (`endSession`).
/// - **The flushes** of the connections that read requests in the iteration: their replies
///   are written as the requests are handled and flushed together at the end, as Redis
///   writes its replies before it waits for events again. Flushed as each read is handled,
///   the first reply woke the client and the next found it asleep again, so most writes
///   paid for waking it (`sock_def_readable`: 6.6% of the daemon's samples at 50
///   connections unpipelined, 2.6% with the flushes together).
///
/// An iteration handles the I/O of one `epoll_wait` (at 50 connections, tens of requests),
/// then runs the tasks queued meanwhile, this one among them. Used on its event loop only.
///
/// The loop's only connection has nothing to share an iteration with: it writes its
/// deferred reads, ends the session and flushes in its own `channelReadComplete`, with no
/// task queued (`beginRead`, `endRead`). Queueing and running the task (SwiftNIO's task
/// queue: its lock, the closure, a second pass over the queue) cost one connection
/// unpipelined a tenth of the daemon's user time per request (docs/PERFORMANCE.md).
final class LoopIteration: @unchecked Sendable {
    let session: ReadSession
    private let eventLoop: any EventLoop
    @exclusivity(unchecked) private var endQueued = false
    /// Connections whose replies wait for the iteration's end to be flushed.
    @exclusivity(unchecked) private var flushes: [ConnectionHandler] = []
    /// Connections with GetParagraph calls found but not read yet (see `writeDeferredReads`).
    @exclusivity(unchecked) private var readers: [ConnectionHandler] = []
    /// Connections open on this loop.
    @exclusivity(unchecked) private var connections = 0
    /// Set while the loop's only connection handles what it read: the session it takes is
    /// ended by `endRead`, not by a task.
    @exclusivity(unchecked) private var soleReader = false

    init(store: Store, cache: DocumentCache?, eventLoop: any EventLoop) {
        session = ReadSession(store: store, cache: cache)
        self.eventLoop = eventLoop
    }

    /// The session, for a read that may keep its snapshot until the iteration ends (for the
    /// loop's only connection, until its read is handled).
    @inline(__always)
    var heldSession: ReadSession {
        if !soleReader { queueEnd() }
        return session
    }

    func connectionAdded() { connections += 1 }

    func connectionRemoved() {
        connections -= 1
        endRead()
    }

    /// A connection is about to handle bytes it read.
    @inline(__always)
    func beginRead() {
        if !soleReader { soleReader = connections == 1 }
    }

    /// The connection's read is handled: if it was the loop's only connection, the session
    /// is given back. - Returns: whether it was, and so flushes now.
    @inline(__always)
    @discardableResult
    func endRead() -> Bool {
        guard soleReader else { return false }
        soleReader = false
        endSession()
        return true
    }

    /// `connection` has deferred the read of a GetParagraph call (it had none before), in
    /// the session it took through `heldSession`.
    @inline(__always)
    func deferred(_ connection: ConnectionHandler) {
        readers.append(connection)
    }

    /// Writes the replies of every connection's deferred reads: their paragraphs are
    /// prefetched first, all of them, then copied, so that their cache misses overlap
    /// (at 50 connections unpipelined, tens of them per iteration).
    private func writeDeferredReads() {
        guard !readers.isEmpty else { return }
        for connection in readers { connection.prefetchDeferredReads() }
        for connection in readers { connection.writeDeferredReads() }
        readers.removeAll(keepingCapacity: true)
    }

    /// Gives the session back, once every read deferred in it is written.
    func endSession() {
        writeDeferredReads()
        session.end()
    }

    /// Flushes `connection`'s replies when the iteration's I/O has been handled.
    @inline(__always)
    func flushAtEnd(_ connection: ConnectionHandler) {
        flushes.append(connection)
        queueEnd()
    }

    @inline(__always)
    private func queueEnd() {
        guard !endQueued else { return }
        endQueued = true
        eventLoop.assumeIsolated().execute { [self] in
            endQueued = false
            writeDeferredReads()
            var i = 0
            while i < flushes.count {
                flushes[i].flushAtIterationEnd()
                i += 1
            }
            flushes.removeAll(keepingCapacity: true)
            endSession()
        }
    }
}
