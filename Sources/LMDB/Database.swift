import CLMDB

/// A named database inside an environment, opened once (see `Environment.openDatabase`).
/// A plain handle: cheap to copy and valid for the environment's lifetime.
public struct Database: Sendable, Hashable {
    package let dbi: MDB_dbi
    /// The name it was opened with.
    public let name: String

    /// Options of a named database.
    public struct Flags: OptionSet, Sendable, Hashable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// Several sorted values per key (`MDB_DUPSORT`).
        public static let duplicateSort = Flags(rawValue: UInt32(MDB_DUPSORT))
        /// With `duplicateSort`: every value of the database has the same size (`MDB_DUPFIXED`).
        public static let duplicateFixed = Flags(rawValue: UInt32(MDB_DUPFIXED))
        /// Keys are native unsigned integers (`MDB_INTEGERKEY`).
        public static let integerKey = Flags(rawValue: UInt32(MDB_INTEGERKEY))
    }
}
