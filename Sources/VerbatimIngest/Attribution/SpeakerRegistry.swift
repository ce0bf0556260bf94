import VerbatimModel

/// The speakers of one document while it is being attributed.
///
/// A speaker is found again by its folded name (`ANTÓNIO GUTERRES` = `António Guterres`) or,
/// for `Mr. Sauer`, by its folded surname; affiliations must agree when both are known.
/// Every form seen is kept as an alias. Only speakers that end up owning a paragraph are
/// reported, in order of their first paragraph (`result(assignments:)`).
struct SpeakerRegistry {
    private(set) var speakers: [Speaker] = []
    /// Folded name words of each speaker (`["antonio", "guterres"]`).
    private var nameWords: [[String]] = []
    /// Whether each speaker's role came from a statement opener (which wins over a summary's).
    private var roleIsFirm: [Bool] = []

    /// Finds or adds a speaker and returns its index. A role is filled in when missing, or
    /// replaced when `firmRole` and the stored one is not firm; an affiliation is filled in
    /// when missing; aliases are merged.
    @discardableResult
    mutating func register(_ speaker: Speaker, firmRole: Bool = false) -> Int {
        let words = Self.words(speaker.name)
        if let i = index(ofWords: words, affiliation: speaker.affiliation, isRoleOnly: speaker.isRoleOnly) {
            if let role = speaker.role, speakers[i].role == nil || (firmRole && !roleIsFirm[i]) {
                speakers[i].role = role
                roleIsFirm[i] = firmRole
            }
            if speakers[i].affiliation == nil { speakers[i].affiliation = speaker.affiliation }
            for alias in speaker.aliases { addAlias(alias, to: i) }
            return i
        }
        var fresh = speaker
        fresh.aliases = []
        for alias in speaker.aliases where !fresh.aliases.contains(alias) { fresh.aliases.append(alias) }
        speakers.append(fresh)
        nameWords.append(words)
        roleIsFirm.append(firmRole && speaker.role != nil)
        return speakers.count - 1
    }

    /// Adds a form of the name as seen (white space normalised), once.
    mutating func addAlias(_ alias: String, to index: Int) {
        let a = SpeakerName.spaced(alias)
        guard !a.isEmpty, !speakers[index].aliases.contains(a) else { return }
        speakers[index].aliases.append(a)
    }

    /// The speaker whose name is `name`, or whose name ends with the words of `name` (a
    /// surname: `Sauer`, `CONINSX`), with a compatible affiliation. The most recently
    /// registered match wins.
    func resolve(surname name: String, affiliation: String? = nil) -> Int? {
        let words = Self.words(name)
        guard !words.isEmpty else { return nil }
        if let exact = index(ofWords: words, affiliation: affiliation, isRoleOnly: false) { return exact }
        for i in speakers.indices.reversed() where !speakers[i].isRoleOnly {
            let have = nameWords[i]
            guard have.count > words.count, Array(have.suffix(words.count)) == words else { continue }
            if let a = affiliation, let b = speakers[i].affiliation, Folding.name(a) != Folding.name(b) { continue }
            return i
        }
        return nil
    }

    /// The speaker whose full name ends `phrase`'s words, as the number of words it takes:
    /// `United Nations Secretary-General António Guterres` ends with a known `António Guterres` → 2.
    func knownNameSuffix(ofWords phrase: [String]) -> Int? {
        var best: Int?
        for (i, have) in nameWords.enumerated() where !speakers[i].isRoleOnly && have.count >= 2 {
            guard have.count <= phrase.count, Array(phrase.suffix(have.count)) == have else { continue }
            best = max(best ?? 0, have.count)
        }
        return best
    }

    private func index(ofWords words: [String], affiliation: String?, isRoleOnly: Bool) -> Int? {
        for i in speakers.indices.reversed() where nameWords[i] == words && speakers[i].isRoleOnly == isRoleOnly {
            if let a = affiliation, let b = speakers[i].affiliation, Folding.name(a) != Folding.name(b) { continue }
            return i
        }
        return nil
    }

    /// Folded words of a name, for comparison.
    static func words(_ name: String) -> [String] {
        Folding.name(name).split(separator: " ").map(String.init)
    }

    /// The result: speakers that own at least one paragraph, in order of first paragraph,
    /// with `assignments` renumbered to match.
    func result(assignments: [(speaker: Int?, attribution: Paragraph.Attribution)]) -> AttributionResult {
        var newIndex = [Int?](repeating: nil, count: speakers.count)
        var used: [Speaker] = []
        var out = assignments
        for n in out.indices {
            guard let old = out[n].speaker else { continue }
            if newIndex[old] == nil {
                newIndex[old] = used.count
                used.append(speakers[old])
            }
            out[n].speaker = newIndex[old]
        }
        return AttributionResult(speakers: used, assignments: out)
    }
}
