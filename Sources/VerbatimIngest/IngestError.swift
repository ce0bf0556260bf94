/// Why a text could not be turned into a ``VerbatimModel/Document``.
///
/// A struct with a ``Code`` rather than an enum, so that new codes do not break callers.
/// Match a code with `~=`:
///
/// ```swift
/// do { _ = try DocumentParser.parse(bytes: data, metadata: .init()) }
/// catch IngestError.Code.invalidUTF8 { … }
/// ```
public struct IngestError: Error, CustomStringConvertible, Sendable, Hashable {
    /// What went wrong, as a stable machine-readable code.
    public var code: Code
    /// One precise human line (`invalid UTF-8 at byte 1234`).
    public var message: String
    /// Where: a path, or `path:line` for a JSON Lines record. `nil` when unknown.
    public var source: String?

    /// Creates an error.
    public init(_ code: Code, _ message: String, source: String? = nil) {
        self.code = code
        self.message = message
        self.source = source
    }

    /// The same error, located at `source` (a path or `path:line`).
    public func withSource(_ source: String?) -> IngestError {
        var copy = self
        copy.source = source
        return copy
    }

    /// `path: message`, or the message alone when the source is unknown.
    public var description: String {
        if let source { return source + ": " + message }
        return message
    }

    /// A stable error code; new codes may be added.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The input is empty or only white space.
        public static let emptyDocument = Code(rawValue: "empty-document")
        /// The input holds a NUL byte: it is binary, not text.
        public static let binaryData = Code(rawValue: "binary-data")
        /// The input is not valid UTF-8.
        public static let invalidUTF8 = Code(rawValue: "invalid-utf8")
        /// The input has header lines or headings but no body paragraph.
        public static let noBodyParagraphs = Code(rawValue: "no-body-paragraphs")
        /// One paragraph exceeds ``DocumentParser/maxParagraphBytes``.
        public static let paragraphTooLarge = Code(rawValue: "paragraph-too-large")
        /// A JSON Lines record is not a JSON object.
        public static let invalidJSON = Code(rawValue: "invalid-json")
        /// A JSON Lines record has no `text` string.
        public static let missingText = Code(rawValue: "missing-text")
        /// A JSON Lines field has the wrong type or an unusable value.
        public static let invalidField = Code(rawValue: "invalid-field")
        /// The input could not be read.
        public static let readFailed = Code(rawValue: "read-failed")

        public var description: String { rawValue }

        /// Matches an error by code: `catch IngestError.Code.binaryData`.
        public static func ~= (code: Code, error: any Error) -> Bool {
            (error as? IngestError)?.code == code
        }
    }
}
