/// The shape of a document, which decides how the parser reads it.
///
/// A raw-value struct rather than an enum, so that new kinds do not break clients.
public struct DocumentKind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Remarks or a speech by one speaker, named in the title (often by role only).
    public static let remarks = DocumentKind(rawValue: "remarks")
    /// A press release that carries one speaker's text ("Following are … remarks").
    public static let pressRelease = DocumentKind(rawValue: "press-release")
    /// Meetings coverage: a summary in the press officer's voice, then statements.
    public static let meetingCoverage = DocumentKind(rawValue: "meeting-coverage")
    /// A Security Council verbatim record (`S/PV.…`): one speech per paragraph, each opened by a marker.
    public static let securityCouncilRecord = DocumentKind(rawValue: "security-council-record")
    /// A General Assembly general-debate statement: one speaker, known from metadata.
    public static let generalDebateStatement = DocumentKind(rawValue: "general-debate-statement")
    /// Anything else.
    public static let other = DocumentKind(rawValue: "other")

    public var description: String { rawValue }
}
