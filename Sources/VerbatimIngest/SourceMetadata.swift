import VerbatimModel

/// What is known about a document besides its text: from a JSON Lines record, the command
/// line or the file name. Every value given here overrides what the parser infers.
public struct SourceMetadata: Hashable, Sendable {
    /// The stable key (`UNGDC:USA_78_2023`); defaults to the symbol, else the file name.
    public var key: String?
    /// The document symbol (`S/PV.8699`).
    public var symbol: String?
    public var title: String?
    public var date: DocumentDate?
    public var kind: DocumentKind?
    /// The speaker of the whole document (general-debate statements), by name.
    public var speaker: String?
    /// The speaker's post (`Minister for Foreign Affairs`).
    public var speakerRole: String?
    /// The speaker's country or organisation.
    public var affiliation: String?
    /// `paragraph-per-line` or `hard-wrapped`, optionally with `+cr-only`; `nil` to detect.
    public var layout: String?
    /// The source file's name (`ungdc_USA_78_2023.txt`), used for the key, kind and year.
    public var fileName: String?

    public init(
        key: String? = nil, symbol: String? = nil, title: String? = nil, date: DocumentDate? = nil,
        kind: DocumentKind? = nil, speaker: String? = nil, speakerRole: String? = nil, affiliation: String? = nil,
        layout: String? = nil, fileName: String? = nil
    ) {
        self.key = key
        self.symbol = symbol
        self.title = title
        self.date = date
        self.kind = kind
        self.speaker = speaker
        self.speakerRole = speakerRole
        self.affiliation = affiliation
        self.layout = layout
        self.fileName = fileName
    }
}
