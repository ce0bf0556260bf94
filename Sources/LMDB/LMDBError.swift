import CLMDB

/// An error from LMDB, carrying its return code and `mdb_strerror` text.
///
/// Match codes with `~=`: `catch LMDBError.mapFull { … }`.
public struct LMDBError: Error, CustomStringConvertible, Sendable {
    /// LMDB's return code: one of the `MDB_*` codes or an `errno` value.
    public struct Code: RawRepresentable, Hashable, Sendable {
        public var rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        public static let keyExists = Code(rawValue: MDB_KEYEXIST)
        public static let notFound = Code(rawValue: MDB_NOTFOUND)
        public static let mapFull = Code(rawValue: MDB_MAP_FULL)
        public static let mapResized = Code(rawValue: MDB_MAP_RESIZED)
        public static let readersFull = Code(rawValue: MDB_READERS_FULL)
        public static let dbsFull = Code(rawValue: MDB_DBS_FULL)
        public static let txnFull = Code(rawValue: MDB_TXN_FULL)
        public static let badValueSize = Code(rawValue: MDB_BAD_VALSIZE)
        public static let incompatible = Code(rawValue: MDB_INCOMPATIBLE)
        public static let invalid = Code(rawValue: MDB_INVALID)
        public static let corrupted = Code(rawValue: MDB_CORRUPTED)
        public static let versionMismatch = Code(rawValue: MDB_VERSION_MISMATCH)
    }

    public var code: Code
    /// What the wrapper was doing (`mdb_put`, `open /var/lib/verbatim`).
    public var operation: String

    public init(code: Code, operation: String) {
        self.code = code
        self.operation = operation
    }

    /// `mdb_strerror` of the code.
    public var message: String { String(cString: mdb_strerror(code.rawValue)) }

    public var description: String { "\(operation): \(message) (LMDB code \(code.rawValue))" }

    public static let mapFull = Code.mapFull
    public static let notFound = Code.notFound
    public static let keyExists = Code.keyExists
}

@inline(__always)
func check(_ rc: Int32, _ operation: @autoclosure () -> String) throws(LMDBError) {
    if rc != 0 { throw LMDBError(code: .init(rawValue: rc), operation: operation()) }
}

extension LMDBError.Code {
    /// Matches an error by code: `catch LMDBError.mapFull`.
    public static func ~= (code: LMDBError.Code, error: any Error) -> Bool {
        (error as? LMDBError)?.code == code
    }
}
