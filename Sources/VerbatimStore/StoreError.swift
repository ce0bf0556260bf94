import LMDB

/// An error from the store: a code, one human line, and the context it concerns.
///
/// Match with `~=`: `catch StoreError.notFound { … }`. The daemon maps codes to wire
/// status codes in one place.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    /// A raw-value struct, so that new codes do not break clients.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// No such document, paragraph or speaker.
        public static let notFound = Code(rawValue: "not-found")
        /// A request that cannot be served as asked (a reversed range, a number below 1).
        public static let invalidArgument = Code(rawValue: "invalid-argument")
        /// The store was written by a build with another schema version.
        public static let schemaMismatch = Code(rawValue: "schema-mismatch")
        /// A write that would break a uniqueness rule (a symbol owned by another document).
        public static let conflict = Code(rawValue: "conflict")
        /// A stored record that does not decode.
        public static let corrupt = Code(rawValue: "corrupt")
        /// LMDB failed (disk full, permissions, …); the message carries LMDB's text.
        public static let storage = Code(rawValue: "storage")

        public static func ~= (code: Code, error: any Error) -> Bool {
            (error as? StoreError)?.code == code
        }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public static let notFound = Code.notFound
    public static let invalidArgument = Code.invalidArgument
    public static let schemaMismatch = Code.schemaMismatch
    public static let conflict = Code.conflict

    /// Wraps any error thrown by LMDB or a record codec as a store error.
    static func wrap(_ error: any Error) -> StoreError {
        if let e = error as? StoreError { return e }
        if let e = error as? LMDBError { return StoreError(.storage, e.description) }
        return StoreError(.corrupt, "record does not decode: \(error)")
    }
}
