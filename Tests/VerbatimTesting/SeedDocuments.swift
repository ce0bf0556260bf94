import Foundation
import VerbatimIngest
import VerbatimModel
import VerbatimStore

/// The seed documents in `../shared/seeds` (present when `TestPaths.hasShared`).
public enum SeedDocuments {
    public static let folder = TestPaths.shared + "/seeds"
    /// The counter-terrorism conference coverage, L/3282.
    public static let l3282 = "un-L3282-counter-terrorism-conference.txt"
    /// The Deputy Secretary-General's remarks of 7 November 2016.
    public static let remarks = "un-dsg-remarks-2016-11-07.txt"

    /// Seed file `name`, parsed.
    public static func parse(_ name: String) throws -> Document {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)))
        return try DocumentParser.parse(bytes: bytes, metadata: SourceMetadata(fileName: name))
    }

    /// Ingests both seeds into `store`.
    public static func ingestAll(into store: Store) throws {
        try store.ingest(try parse(l3282))
        try store.ingest(try parse(remarks))
    }
}
