import CLMDB
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An LMDB environment: one directory holding a data file and a lock file, shared by any
/// number of threads and processes.
///
/// - Read transactions are pooled: `read` renews a reset transaction (`mdb_txn_renew`)
///   instead of allocating one, and resets it afterwards; up to 64 wait in the pool, and
///   taking or giving one back takes no lock. The environment is opened with `MDB_NOTLS`,
///   so any thread may use any pooled transaction.
/// - `write` runs its body in one write transaction that commits when the body returns
///   and aborts when it throws. When the map is full it aborts, doubles the map size and
///   runs the body again, so the body must not have effects outside the transaction.
/// - Values read in a transaction are lent as `RawSpan`, which cannot escape the closure
///   that receives it; copy what you keep.
/// - Do not call `read` or `write` from inside another `read` or `write` on the same
///   thread: map growth waits for every transaction of the process to end.
///
/// ```swift
/// let env = try Environment(path: dir, options: .init(maxDatabases: 4))
/// let db = try env.openDatabase("paras")
/// try env.write { txn in try txn.put(db, key: "a", value: [1, 2, 3]) }
/// let n = try env.read { txn in try txn.get(db, key: "a") { $0.byteCount } }   // 3
/// ```
public final class Environment: @unchecked Sendable {
    /// How to open an environment.
    public struct Options: Sendable {
        /// Initial map size in bytes. The data file grows only as needed; the map is
        /// enlarged (doubled) when a write finds it full.
        public var mapSize: Int
        public var maxDatabases: Int
        public var maxReaders: Int
        /// Open read-only (no writes, no map growth).
        public var readOnly: Bool
        /// Do not flush to disk at each commit (`MDB_NOSYNC`): a process crash loses nothing
        /// committed, but a system crash may lose the last commits before `sync()`, and on
        /// file systems that do not keep write order it may damage the file (run verify).
        public var noSync: Bool
        /// Create the directory when missing.
        public var create: Bool
        /// Advise the kernel to back the map with transparent huge pages (Linux; see
        /// `hugePagesAdvised`). Pages the map reads in are then 2 MiB where the file system
        /// allows it, and a random read misses the TLB far less often. Pages already in the
        /// page cache (those just written, for one) keep their size until evicted.
        public var hugePages: Bool

        public init(
            mapSize: Int = 1 << 30, maxDatabases: Int = 16, maxReaders: Int = 512, readOnly: Bool = false,
            noSync: Bool = false, create: Bool = true, hugePages: Bool = true
        ) {
            self.mapSize = mapSize
            self.maxDatabases = maxDatabases
            self.maxReaders = maxReaders
            self.readOnly = readOnly
            self.noSync = noSync
            self.create = create
            self.hugePages = hugePages
        }
    }

    package let env: OpaquePointer
    /// The directory of the environment.
    public let path: String
    public let options: Options

    // Transactions of this process in use, and whether the map size is changing. A
    // transaction counts itself in `active`, then looks at `resizing`; a resize sets
    // `resizing`, then waits for `active` to reach 0. Both are sequentially consistent, so
    // one of the two always sees the other. `mutex` and `condition` serve only the waiting:
    // a read that finds no resize under way takes no lock (a lock taken by every read was
    // contended by two threads reading at once).
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    private let active = Atomic<Int>(0)
    private let resizing = Atomic<Bool>(false)
    /// Reset read transactions ready to be renewed, one per slot (0 for an empty slot),
    /// taken and given back by compare-and-exchange; each thread starts looking at a slot
    /// of its own, so two threads rarely touch the same one.
    private let pool: UnsafeMutablePointer<Atomic<UInt>>
    private static let poolSlots = 64
    private let advised = Atomic<Bool>(false)
    private let remaps = Atomic<UInt64>(0)

    /// How many times this process has mapped the file again at a new size. Addresses
    /// into the map taken before a change are not valid after it; a change happens only
    /// while no transaction of this process is running.
    public var mapGeneration: UInt64 { remaps.load(ordering: .acquiring) }

    /// Whether the map is advised to use huge pages: `options.hugePages` was set and the
    /// kernel took the advice (Linux with transparent huge pages). Renewed when the map
    /// is remapped at another size.
    public var hugePagesAdvised: Bool { advised.load(ordering: .relaxed) }

    /// Opens (and by default creates) the environment at `path`.
    /// - Throws: `LMDBError` with the code LMDB gave and the path.
    public init(path: String, options: Options = Options()) throws(LMDBError) {
        self.path = path
        self.options = options
        if options.create && !options.readOnly {
            if mkdir(path, 0o755) != 0 && errno != EEXIST {
                throw LMDBError(code: .init(rawValue: errno), operation: "create directory \(path)")
            }
        }
        var e: OpaquePointer?
        try check(mdb_env_create(&e), "mdb_env_create")
        guard let e else { throw LMDBError(code: .invalid, operation: "mdb_env_create") }
        do {
            try check(mdb_env_set_maxdbs(e, MDB_dbi(options.maxDatabases)), "mdb_env_set_maxdbs")
            try check(mdb_env_set_maxreaders(e, UInt32(options.maxReaders)), "mdb_env_set_maxreaders")
            try check(mdb_env_set_mapsize(e, options.mapSize), "mdb_env_set_mapsize")
            var flags = UInt32(MDB_NOTLS)
            if options.readOnly { flags |= UInt32(MDB_RDONLY) }
            if options.noSync { flags |= UInt32(MDB_NOSYNC) }
            try check(mdb_env_open(e, path, flags, 0o644), "open \(path)")
        } catch {
            mdb_env_close(e)
            throw error
        }
        env = e
        pool = .allocate(capacity: Self.poolSlots)
        for i in 0..<Self.poolSlots { (pool + i).initialize(to: Atomic(0)) }
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        condition = .allocate(capacity: 1)
        pthread_cond_init(condition, nil)
        // A reader slot left by a crashed process would pin old pages forever.
        var dead: Int32 = 0
        _ = mdb_reader_check(e, &dead)
        adviseHugePages()
    }

    /// Advises huge pages for the current map when the options ask for it; a failure only
    /// leaves the map with ordinary pages.
    private func adviseHugePages() {
        #if os(Linux)
        if options.hugePages { advised.store(verbatim_lmdb_advise_huge_pages(env) == 0, ordering: .relaxed) }
        #endif
    }

    deinit {
        for i in 0..<Self.poolSlots {
            let v = pool[i].exchange(0, ordering: .acquiring)
            if v != 0 { mdb_txn_abort(OpaquePointer(bitPattern: v)) }
        }
        pool.deinitialize(count: Self.poolSlots)
        pool.deallocate()
        mdb_env_close(env)
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    // MARK: Databases

    /// Opens a named database, creating it when `create` is true and it is missing.
    /// Open each database once, at start, and keep the handle.
    public func openDatabase(_ name: String, flags: Database.Flags = [], create: Bool = true) throws(LMDBError)
        -> Database
    {
        let writable = create && !options.readOnly
        var txn: OpaquePointer?
        try check(mdb_txn_begin(env, nil, writable ? 0 : UInt32(MDB_RDONLY), &txn), "mdb_txn_begin")
        var dbi: MDB_dbi = 0
        let rc = mdb_dbi_open(txn, name, flags.rawValue | (writable ? UInt32(MDB_CREATE) : 0), &dbi)
        if rc != 0 {
            mdb_txn_abort(txn)
            throw LMDBError(code: .init(rawValue: rc), operation: "open database \"\(name)\"")
        }
        // LMDB's default order, compared faster (`verbatim_lmdb_compare`): the same for
        // every process, whether or not it sets it.
        if flags.isDisjoint(with: [.integerKey]) {
            mdb_set_compare(txn, dbi, verbatim_lmdb_compare)
        }
        if flags.contains(.duplicateSort) {
            mdb_set_dupsort(txn, dbi, verbatim_lmdb_compare)
        }
        try check(mdb_txn_commit(txn), "mdb_txn_commit")
        return Database(dbi: dbi, name: name)
    }

    // MARK: Transactions

    /// Runs `body` in a read transaction on a consistent snapshot, and returns its result.
    ///
    /// The transaction is taken from a pool and renewed (no allocation after warm-up),
    /// then reset and returned to the pool. Values lent to `body` are valid only inside it.
    public func read<R, E: Error>(_ body: (borrowing ReadTransaction) throws(E) -> R) throws -> R {
        let txn = try beginHeldRead()
        defer { endHeldRead(txn) }
        return try body(ReadTransaction(handle: txn))
    }

    /// Runs `body` in one write transaction: it commits when `body` returns and aborts
    /// when `body` throws, so every change it made happens, or none.
    ///
    /// Writers are serialised across threads and processes by LMDB. When the map is full
    /// the transaction is aborted, the map doubled, and `body` run again.
    public func write<R>(_ body: (borrowing WriteTransaction) throws -> R) throws -> R {
        precondition(!options.readOnly, "write on a read-only environment")
        while true {
            acquire()
            var txn: OpaquePointer?
            let rc = mdb_txn_begin(env, nil, 0, &txn)
            if rc == MDB_MAP_RESIZED {
                release()
                try changeMapSize(to: 0)
                continue
            }
            guard rc == 0, let txn else {
                release()
                throw LMDBError(code: .init(rawValue: rc), operation: "begin write transaction")
            }
            let result: R
            do {
                result = try body(WriteTransaction(handle: txn))
            } catch let error as LMDBError where error.code == .mapFull {
                mdb_txn_abort(txn)
                release()
                try grow()
                continue
            } catch {
                mdb_txn_abort(txn)
                release()
                throw error
            }
            let commit = mdb_txn_commit(txn)
            release()
            if commit == MDB_MAP_FULL {
                try grow()
                continue
            }
            try check(commit, "commit")
            return result
        }
    }

    // MARK: Maintenance

    /// Clears reader slots left by processes that died (`mdb_reader_check`).
    /// - Returns: how many slots were cleared.
    @discardableResult
    public func clearStaleReaders() throws(LMDBError) -> Int {
        var dead: Int32 = 0
        try check(mdb_reader_check(env, &dead), "mdb_reader_check")
        return Int(dead)
    }

    /// Writes a consistent copy of the environment into the empty directory `destination`
    /// (`mdb_env_copy2`), compacted by default. Safe while other threads and processes
    /// read and write: the copy is one read transaction's snapshot.
    public func copy(to destination: String, compact: Bool = true) throws(LMDBError) {
        if mkdir(destination, 0o755) != 0 && errno != EEXIST {
            throw LMDBError(code: .init(rawValue: errno), operation: "create directory \(destination)")
        }
        try check(mdb_env_copy2(env, destination, compact ? UInt32(MDB_CP_COMPACT) : 0), "copy to \(destination)")
    }

    /// Flushes committed data to disk; needed only with `noSync`.
    public func sync() throws(LMDBError) {
        try check(mdb_env_sync(env, 1), "mdb_env_sync")
    }

    /// Statistics of the main database (`mdb_env_stat`).
    public func statistics() throws(LMDBError) -> Statistics {
        var s = MDB_stat()
        try check(mdb_env_stat(env, &s), "mdb_env_stat")
        return Statistics(s)
    }

    /// Map size, used bytes and reader slots.
    public func info() throws(LMDBError) -> EnvironmentInfo {
        var i = MDB_envinfo()
        try check(mdb_env_info(env, &i), "mdb_env_info")
        let page = try statistics().pageSize
        return EnvironmentInfo(
            mapSize: i.me_mapsize, usedBytes: (i.me_last_pgno + 1) * page, lastTransactionID: i.me_last_txnid,
            maxReaders: Int(i.me_maxreaders), readers: Int(i.me_numreaders))
    }

    /// Doubles the map size. Waits until no transaction of this process is running.
    public func grow() throws(LMDBError) {
        let current = try info().mapSize
        try changeMapSize(to: current * 2)
    }

    // MARK: Pool and map-size coordination

    /// Counts a transaction in `active`, first waiting for a resize under way to finish.
    private func acquire() {
        while true {
            active.wrappingAdd(1, ordering: .sequentiallyConsistent)
            if !resizing.load(ordering: .sequentiallyConsistent) { return }
            release()
            pthread_mutex_lock(mutex)
            while resizing.load(ordering: .sequentiallyConsistent) { pthread_cond_wait(condition, mutex) }
            pthread_mutex_unlock(mutex)
        }
    }

    /// Uncounts a transaction; wakes a resize that waits for the count to reach 0.
    private func release() {
        active.wrappingSubtract(1, ordering: .sequentiallyConsistent)
        if resizing.load(ordering: .sequentiallyConsistent) {
            pthread_mutex_lock(mutex)
            pthread_cond_broadcast(condition)
            pthread_mutex_unlock(mutex)
        }
    }

    /// The pool slot this thread looks at first.
    @inline(__always)
    private static func firstSlot() -> Int {
        Int(truncatingIfNeeded: (UInt(truncatingIfNeeded: pthread_self()) &* 0x9E37_79B9_7F4A_7C15) >> 58)
    }

    /// A reset transaction from the pool, or nil when it has none.
    private func pooled() -> OpaquePointer? {
        let start = Self.firstSlot()
        for j in 0..<Self.poolSlots {
            let slot = pool + ((start + j) & (Self.poolSlots - 1))
            let v = slot.pointee.load(ordering: .relaxed)
            if v != 0, slot.pointee.compareExchange(expected: v, desired: 0, ordering: .acquiring).exchanged {
                return OpaquePointer(bitPattern: v)
            }
        }
        return nil
    }

    /// Gives a reset transaction to the pool; aborts it when every slot is taken.
    private func pool(_ txn: OpaquePointer) {
        let v = UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(txn)))
        let start = Self.firstSlot()
        for j in 0..<Self.poolSlots {
            let slot = pool + ((start + j) & (Self.poolSlots - 1))
            if slot.pointee.load(ordering: .relaxed) == 0,
                slot.pointee.compareExchange(expected: 0, desired: v, ordering: .releasing).exchanged
            {
                return
            }
        }
        mdb_txn_abort(txn)
    }

    /// Takes a read transaction from the pool (renewed, or begun when the pool is empty),
    /// for `read` or for a reader that spans several calls on one thread (`ReadSession`).
    /// Give it back with `endHeldRead` soon: while it is held, a resize of the map by this
    /// process waits for it.
    public func beginHeldRead() throws(LMDBError) -> OpaquePointer {
        while true {
            acquire()
            var rc: Int32
            var txn = pooled()
            if let reset = txn {
                rc = mdb_txn_renew(reset)
                if rc != 0 { mdb_txn_abort(reset); txn = nil }
            } else {
                rc = mdb_txn_begin(env, nil, UInt32(MDB_RDONLY), &txn)
            }
            if rc == 0, let txn { return txn }
            release()
            if rc == MDB_MAP_RESIZED {
                try changeMapSize(to: 0)
                continue
            }
            throw LMDBError(code: .init(rawValue: rc), operation: "begin read transaction")
        }
    }

    /// Resets a transaction from `beginHeldRead` and gives it back to the pool.
    public func endHeldRead(_ txn: OpaquePointer) {
        mdb_txn_reset(txn)
        pool(txn)
        release()
    }

    /// Sets the map size with no transaction of this process running; 0 adopts the size
    /// another process set.
    private func changeMapSize(to size: Int) throws(LMDBError) {
        pthread_mutex_lock(mutex)
        while resizing.load(ordering: .sequentiallyConsistent) { pthread_cond_wait(condition, mutex) }
        resizing.store(true, ordering: .sequentiallyConsistent)
        while active.load(ordering: .sequentiallyConsistent) > 0 { pthread_cond_wait(condition, mutex) }
        let rc = mdb_env_set_mapsize(env, size)
        // The map is a new mapping now (LMDB unmaps and maps again), without the advice.
        if rc == 0 {
            adviseHugePages()
            remaps.add(1, ordering: .releasing)
        }
        resizing.store(false, ordering: .sequentiallyConsistent)
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
        try check(rc, "mdb_env_set_mapsize(\(size))")
    }
}
