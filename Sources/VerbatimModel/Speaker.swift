/// A person or office whose words a paragraph reports.
///
/// Within one document a speaker is identified by `identity`; across documents the store
/// merges speakers with the same identity (see docs/CITATIONS.md, "Speakers").
public struct Speaker: Hashable, Sendable {
    /// Canonical name in title case with diacritics kept (`António Guterres`). For a
    /// role-only speaker, the role (`Deputy Secretary-General`).
    public var name: String
    /// Role or title as given in the document (`Secretary-General of the United Nations`).
    public var role: String?
    /// Country or organisation (`Jordan`), when given.
    public var affiliation: String?
    /// True when the document names the office, not the person.
    public var isRoleOnly: Bool
    /// Every form of the name seen in the document (`ANTÓNIO GUTERRES`, `Mr. Guterres`).
    public var aliases: [String]

    public init(name: String, role: String? = nil, affiliation: String? = nil, isRoleOnly: Bool = false, aliases: [String] = []) {
        self.name = name
        self.role = role
        self.affiliation = affiliation
        self.isRoleOnly = isRoleOnly
        self.aliases = aliases
    }

    /// The key under which the same speaker is recognised in every document: the folded
    /// name; for a surname-only name (`Nebenzia`) the folded affiliation is appended, and
    /// a role-only speaker is keyed by its folded role with a `role:` prefix.
    public var identity: String {
        if isRoleOnly { return "role:" + Folding.name(name) }
        let folded = Folding.name(name)
        if !folded.contains(" "), let affiliation, !affiliation.isEmpty {
            return folded + "|" + Folding.name(affiliation)
        }
        return folded
    }
}
