/// Method ids carried in REQUEST frames (docs/PROTOCOL.md §4).
public struct Method: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let getParagraph = Method(rawValue: 1)
    public static let getParagraphs = Method(rawValue: 2)
    public static let getDocument = Method(rawValue: 3)
    public static let streamDocument = Method(rawValue: 4)
    public static let listDocuments = Method(rawValue: 5)
    public static let getSpeaker = Method(rawValue: 6)
    public static let findSpeakers = Method(rawValue: 7)
    public static let speakerParagraphs = Method(rawValue: 8)
    public static let stats = Method(rawValue: 9)
    public static let health = Method(rawValue: 10)
    public static let resolveCitation = Method(rawValue: 11)
    public static let findQuote = Method(rawValue: 12)
    public static let citedBy = Method(rawValue: 13)
    public static let references = Method(rawValue: 14)
    public static let speakerQuotations = Method(rawValue: 15)

    static let names: [UInt16: String] = [
        1: "GetParagraph", 2: "GetParagraphs", 3: "GetDocument", 4: "StreamDocument", 5: "ListDocuments",
        6: "GetSpeaker", 7: "FindSpeakers", 8: "SpeakerParagraphs", 9: "Stats", 10: "Health",
        11: "ResolveCitation", 12: "FindQuote", 13: "CitedBy", 14: "References", 15: "SpeakerQuotations",
    ]

    public var description: String { Self.names[rawValue] ?? "method \(rawValue)" }
}

/// The fixed part of a REQUEST payload: method (2 bytes) and deadline in ms (4 bytes).
public enum RequestHeader {
    public static let size = 6
}
