import NIOCore
import VerbatimStore

/// What the connections of one event loop share for GetParagraph and GetParagraphs: one
/// read session, whose snapshot is held from the first such call of a loop iteration until
/// that iteration's I/O has been handled, and the loop's `DocumentCache`.
///
/// An iteration handles the I/O of one `epoll_wait` (at 50 connections, tens of requests),
/// then runs the tasks queued meanwhile; the task that gives the snapshot back is queued by
/// the iteration's first call. So a snapshot is taken once per iteration, not once per
/// connection's read, and a call in a later iteration sees every write committed before
/// that iteration began. A connection that runs any other method ends the session first
/// (another read must not begin on this thread while it is held: `ReadSession`).
///
/// Used on its event loop only.
final class LoopReads: @unchecked Sendable {
    let session: ReadSession
    private let eventLoop: any EventLoop
    @exclusivity(unchecked) private var endQueued = false

    init(store: Store, cache: DocumentCache?, eventLoop: any EventLoop) {
        session = ReadSession(store: store, cache: cache)
        self.eventLoop = eventLoop
    }

    /// The session, for a read that may keep its snapshot until the iteration ends.
    @inline(__always)
    var heldSession: ReadSession {
        if !endQueued {
            endQueued = true
            eventLoop.assumeIsolated().execute { [self] in
                endQueued = false
                session.end()
            }
        }
        return session
    }
}
