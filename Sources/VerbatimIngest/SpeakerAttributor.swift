import VerbatimModel

/// Input to speaker attribution: a document's body paragraphs in reading order.
package struct AttributionInput: Sendable {
    package var kind: DocumentKind
    package var title: String?
    /// Body paragraphs in order, each with the heading above it (if any).
    package var paragraphs: [(text: String, heading: String?)]
    /// A speaker given by metadata (JSON Lines `speaker`, `speaker_role`, `affiliation`), if any.
    package var metadataSpeaker: Speaker?

    package init(kind: DocumentKind, title: String?, paragraphs: [(text: String, heading: String?)], metadataSpeaker: Speaker?) {
        self.kind = kind
        self.title = title
        self.paragraphs = paragraphs
        self.metadataSpeaker = metadataSpeaker
    }
}

/// The speakers of a document and, for each paragraph, the index of its speaker.
package struct AttributionResult: Sendable {
    package var speakers: [Speaker]
    /// One entry per input paragraph.
    package var assignments: [(speaker: Int?, attribution: Paragraph.Attribution)]

    package init(speakers: [Speaker], assignments: [(speaker: Int?, attribution: Paragraph.Attribution)]) {
        self.speakers = speakers
        self.assignments = assignments
    }
}
