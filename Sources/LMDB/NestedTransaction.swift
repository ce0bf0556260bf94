import CLMDB

extension WriteTransaction {
    /// Runs `body` in a transaction nested in this one (`mdb_txn_begin` with a parent):
    /// its changes join this transaction when `body` returns and are undone, alone, when
    /// `body` throws. Lets one write transaction hold several all-or-none units (a batch
    /// of documents, each stored whole or not at all).
    public func nested<R>(_ body: (borrowing WriteTransaction) throws -> R) throws -> R {
        var child: OpaquePointer?
        try check(mdb_txn_begin(mdb_txn_env(_handle), _handle, 0, &child), "begin nested transaction")
        guard let child else { throw LMDBError(code: .init(rawValue: -1), operation: "begin nested transaction") }
        let result: R
        do {
            result = try body(WriteTransaction(handle: child))
        } catch {
            mdb_txn_abort(child)
            throw error
        }
        try check(mdb_txn_commit(child), "commit nested transaction")
        return result
    }
}
