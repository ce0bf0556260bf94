import CLMDB

/// B-tree statistics of a database or of the whole environment (`mdb_stat`).
public struct Statistics: Sendable, Hashable {
    public var pageSize: Int
    public var depth: Int
    public var branchPages: Int
    public var leafPages: Int
    public var overflowPages: Int
    public var entries: Int

    /// Bytes in use by the tree: all its pages times the page size.
    public var bytes: Int { (branchPages + leafPages + overflowPages) * pageSize }

    init(_ s: MDB_stat) {
        pageSize = Int(s.ms_psize)
        depth = Int(s.ms_depth)
        branchPages = Int(s.ms_branch_pages)
        leafPages = Int(s.ms_leaf_pages)
        overflowPages = Int(s.ms_overflow_pages)
        entries = Int(s.ms_entries)
    }
}

/// Facts about an open environment (`mdb_env_info`).
public struct EnvironmentInfo: Sendable, Hashable {
    /// Size of the memory map in bytes (the most the data file may grow to before it is enlarged).
    public var mapSize: Int
    /// Bytes of the data file in use: (last page number + 1) × page size.
    public var usedBytes: Int
    public var lastTransactionID: Int
    public var maxReaders: Int
    /// Reader slots in use, across all processes.
    public var readers: Int
}
