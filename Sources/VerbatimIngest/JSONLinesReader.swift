import Foundation
import VerbatimModel

/// Reads JSON Lines: one JSON object per line, each one document.
///
/// Fields (others are ignored; `null` counts as absent):
///
/// | field | type | meaning |
/// | --- | --- | --- |
/// | `text` | string, required | the document's text |
/// | `key` or `id` | string | the stable key |
/// | `symbol`, `title` | string | |
/// | `date` | string (`2023-05-09`, `2023-05`, `2023`) | else `year` (number) gives the year |
/// | `kind` or `doc_type` | string | a ``VerbatimModel/DocumentKind`` raw value (see below) |
/// | `speaker`, `speaker_role` or `speaker_post`, `affiliation` or `country` | string | the document's speaker |
/// | `layout` | string | `paragraph-per-line` or `hard-wrapped` (optionally `+cr-only`) |
///
/// Kinds: our raw values (`remarks`, `press-release`, …) and the corpus's names
/// (`general-debate-statement`, `security-council-verbatim-record`, `Press Release`) are mapped;
/// other strings are kept as kinds.
///
/// The reader streams: it holds one chunk (1 MiB by default) and the current line, never the
/// whole file. A bad record does not end the stream: its error is returned in its place.
///
/// ```swift
/// var reader = JSONLinesReader(fileHandle: handle, sourceName: "corpus.jsonl")
/// while let entry = reader.next() {
///     switch entry.result {
///     case .success(let record): _ = try DocumentParser.parse(text: record.text, metadata: record.metadata)
///     case .failure(let error): print(error)  // corpus.jsonl:12: line 12: invalid JSON: …
///     }
/// }
/// ```
public struct JSONLinesReader {
    /// One decoded record.
    public struct Record: Sendable {
        public var text: String
        public var metadata: SourceMetadata
    }

    /// One non-blank line of the input: its 1-based number and what it decoded to.
    public struct Entry: Sendable {
        public var lineNumber: Int
        public var result: Result<Record, IngestError>
    }

    private let handle: FileHandle
    private let chunkSize: Int
    private let sourceName: String?
    private var buffer: [UInt8] = []
    private var position = 0
    private var lineNumber = 0
    private var atEnd = false

    /// A reader over an open file (or pipe). It reads from the current offset and does not close it.
    ///
    /// - Parameters:
    ///   - sourceName: a path to put in errors' `source` (`path:line`).
    ///   - chunkSize: bytes read at a time.
    public init(fileHandle: FileHandle, sourceName: String? = nil, chunkSize: Int = 1 << 20) {
        self.handle = fileHandle
        self.sourceName = sourceName
        self.chunkSize = max(chunkSize, 1)
    }

    /// The next non-blank line, decoded; `nil` at the end of the input. A read error is
    /// returned once as an entry with code `.readFailed`, then the stream ends.
    public mutating func next() -> Entry? {
        while let (number, line) = nextLine() {
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            do throws(IngestError) {
                let (text, metadata) = try Self.parse(line: line, lineNumber: number)
                return Entry(lineNumber: number, result: .success(Record(text: text, metadata: metadata)))
            } catch {
                let located = error.withSource(sourceName.map { "\($0):\(number)" } ?? error.source)
                return Entry(lineNumber: number, result: .failure(located))
            }
        }
        return readError.map { error in
            readError = nil
            return Entry(lineNumber: lineNumber, result: .failure(error))
        }
    }

    private var readError: IngestError?

    /// The next raw line (without its `\n`), with its 1-based number; `nil` at the end.
    public mutating func nextLine() -> (lineNumber: Int, bytes: ArraySlice<UInt8>)? {
        while true {
            if let nl = buffer[position...].firstIndex(of: 0x0A) {
                let line = buffer[position..<nl]
                position = nl + 1
                lineNumber += 1
                return (lineNumber, line)
            }
            if atEnd {
                guard position < buffer.count else { return nil }
                let line = buffer[position...]
                position = buffer.count
                lineNumber += 1
                return (lineNumber, line)
            }
            // Keep the partial line, read more.
            if position > 0 {
                buffer.removeSubrange(0..<position)
                position = 0
            }
            do {
                if let data = try handle.read(upToCount: chunkSize), !data.isEmpty {
                    buffer.append(contentsOf: data)
                } else {
                    atEnd = true
                }
            } catch {
                atEnd = true
                readError = IngestError(.readFailed, "read failed: \(error)", source: sourceName)
                buffer.removeAll()
                position = 0
            }
        }
    }

    /// Decodes one JSON Lines record.
    ///
    /// - Parameters:
    ///   - line: the bytes of one line (a trailing `\r` is allowed).
    ///   - lineNumber: its 1-based number, used in error messages.
    /// - Returns: the text (as given: decode with ``DocumentParser/parse(text:metadata:)``) and metadata.
    /// - Throws: ``IngestError`` `.invalidJSON`, `.missingText`, `.invalidField` (naming the field).
    public static func parse(line: some Collection<UInt8>, lineNumber: Int) throws(IngestError)
        -> (text: String, metadata: SourceMetadata)
    {
        let data = Data(line)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw IngestError(.invalidJSON, "line \(lineNumber): invalid JSON: \(describe(error))")
        }
        guard let fields = object as? [String: Any] else {
            throw IngestError(
                .invalidJSON, "line \(lineNumber): invalid JSON: expected an object, got \(typeName(object))")
        }
        return try record(fields, lineNumber: lineNumber)
    }

    /// Decodes one JSON Lines record given as text.
    public static func parse(line: Substring, lineNumber: Int) throws(IngestError) -> (
        text: String, metadata: SourceMetadata
    ) {
        try parse(line: Array(line.utf8), lineNumber: lineNumber)
    }

    static func record(_ fields: [String: Any], lineNumber: Int) throws(IngestError) -> (
        text: String, metadata: SourceMetadata
    ) {
        func string(_ names: String...) throws(IngestError) -> String? {
            for name in names {
                guard let value = fields[name], !(value is NSNull) else { continue }
                guard let s = value as? String else {
                    throw IngestError(
                        .invalidField, "line \(lineNumber): field \"\(name)\" must be a string, got \(typeName(value))")
                }
                return s
            }
            return nil
        }
        guard let textValue = fields["text"], !(textValue is NSNull) else {
            throw IngestError(.missingText, "line \(lineNumber): missing \"text\" field")
        }
        guard let text = textValue as? String else {
            throw IngestError(
                .invalidField, "line \(lineNumber): field \"text\" must be a string, got \(typeName(textValue))")
        }
        var m = SourceMetadata()
        m.key = try string("key", "id")
        m.symbol = try string("symbol")
        m.title = try string("title")
        if let d = try string("date") {
            guard let date = DocumentDate(parsing: d) else {
                throw IngestError(.invalidField, "line \(lineNumber): field \"date\" is not a date: \"\(d)\"")
            }
            m.date = date
        } else if let y = fields["year"], !(y is NSNull) {
            guard let n = y as? NSNumber, !isBool(n), let year = Int(exactly: n.doubleValue), (1...9999).contains(year)
            else {
                throw IngestError(
                    .invalidField, "line \(lineNumber): field \"year\" must be a year number, got \(typeName(y))")
            }
            m.date = DocumentDate(year: year)
        }
        if let k = try string("kind", "doc_type") { m.kind = kind(k) }
        m.speaker = try string("speaker")
        m.speakerRole = try string("speaker_role", "speaker_post")
        m.affiliation = try string("affiliation", "country")
        m.layout = try string("layout")
        m.fileName = try string("file_name")
        return (text, m)
    }

    /// Maps a kind name, including the corpus's names, to a ``DocumentKind``.
    static func kind(_ name: String) -> DocumentKind {
        switch name.lowercased() {
        case "general-debate-statement": return .generalDebateStatement
        case "security-council-verbatim-record", "security-council-record": return .securityCouncilRecord
        case "press release", "press-release": return .pressRelease
        case "meeting-coverage", "meetings coverage", "meetings-coverage": return .meetingCoverage
        case "remarks": return .remarks
        case "other": return .other
        default: return DocumentKind(rawValue: name)
        }
    }

    /// JSON `true`/`false` arrive as a boolean NSNumber (objCType `c`, the type's name says Boolean).
    static func isBool(_ n: NSNumber) -> Bool {
        String(cString: n.objCType) == "c" && String(describing: type(of: n)).contains("Boolean")
    }

    static func typeName(_ value: Any) -> String {
        switch value {
        case is String: return "string"
        case is NSNull: return "null"
        case is [Any]: return "array"
        case is [String: Any]: return "object"
        case let n as NSNumber: return isBool(n) ? "boolean" : "number"
        default: return "\(type(of: value))"
        }
    }

    static func describe(_ error: any Error) -> String {
        let ns = error as NSError
        if let detail = ns.userInfo[NSDebugDescriptionErrorKey] as? String { return detail }
        return ns.localizedDescription
    }
}
