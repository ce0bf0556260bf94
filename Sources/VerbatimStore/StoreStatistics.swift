/// Counts and sizes of a store.
public struct StoreStatistics: Sendable, Hashable, Codable {
    public var documents = 0
    public var paragraphs = 0
    public var speakers = 0
    /// Entries of the speaker-name index (names and aliases).
    public var speakerNames = 0
    /// Entries of the cross-reference index (one per paragraph and cited symbol).
    public var citations = 0
    /// UTF-8 bytes of all paragraph text.
    public var textBytes = 0
    /// Bytes of pages in use, per named database.
    public var databaseBytes: [String: Int] = [:]

    public init() {}
}
