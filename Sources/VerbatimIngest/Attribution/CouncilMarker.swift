import VerbatimModel

/// The speaker marker that opens a Security Council speech: the text before the first `: `.
///
/// Forms read: `Mr. Nebenzia (Russian Federation) (spoke in Russian)`, `Mrs. Craft (United
/// States of America)`, `Mr. Ndiaye (spoke in French)`, `Ms. DiCarlo`, `The President (spoke in
/// French)`, `The Secretary-General`, `Mr. President`, `President Abbas`, `Monsignor Hansen (Holy See)`,
/// `Dato Lim Jock Hoi`, `Hadiza (spoke in French)`, and the upstream OCR slip in which the
/// President's next words fell inside the note (`The President (spoke I thank Mr. X for his
/// briefing. in French)`).
///
/// A marker is a name — an optional title, then capitalised words or lower-case particles,
/// with the full stops of initials — followed by parenthesised notes. A note that starts
/// with `spoke` is the language note; the first other note is the affiliation. Without a
/// title, a marker needs two name words or a note, so `Excellencies:` is not a marker.
struct CouncilMarker: Equatable {
    /// The marker as written (up to, not including, the colon).
    var written: String
    /// Title and name as written, without the notes (`Mr. Nebenzia`, `The President`): the alias.
    var writtenName: String
    /// The title (`Mr.`, `Mrs.`, `The`, `President`), if any.
    var title: String?
    /// The name words as written (`Nebenzia`, `Singer Weisinger`, `President`, `Secretary-General`).
    var name: String
    /// The first parenthesised note that is not a language note (`Russian Federation`).
    var affiliation: String?
    /// True for `The President`, `Mr. President`, `The Secretary-General` and the like.
    var isRole: Bool

    /// The longest marker read (in scalars before the colon); longer prefixes are not markers.
    static let maxLength = 160

    /// Reads the marker at the start of `text`, or `nil` when the paragraph has none.
    static func parse(_ text: String) -> CouncilMarker? {
        // Find `: ` within the first `maxLength` scalars, tracking parentheses.
        let scalars = text.unicodeScalars
        var i = scalars.startIndex
        var count = 0
        var depth = 0
        var colon: String.Index?
        while i < scalars.endIndex, count < maxLength {
            let s = scalars[i]
            if s == "(" {
                depth += 1
            } else if s == ")" {
                depth = max(0, depth - 1)
            } else if s == ":" && depth == 0 {
                let next = scalars.index(after: i)
                if next == scalars.endIndex || scalars[next].properties.isWhitespace {
                    colon = i
                    break
                }
                return nil
            } else if depth == 0 && (s == "," || s == ";" || s == "!" || s == "?" || s == "\u{201C}") {
                return nil
            }
            i = scalars.index(after: i)
            count += 1
        }
        guard let colon else { return nil }
        let tokens = AttributionToken.tokenize(text, in: scalars.startIndex..<colon)
        return read(tokens, text: text, end: colon)
    }

    private static func read(_ tokens: [AttributionToken], text: String, end: String.Index) -> CouncilMarker? {
        guard let first = tokens.first, first.isWord, first.isCapitalised else { return nil }
        var k = 0
        var title: String?
        if AttributionLexicon.courtesyTitles.contains(first.folded) || first.folded == "the"
            || AttributionLexicon.officeTitles.contains(first.folded)
        {
            k = 1
            if k < tokens.count, tokens[k].isMark(".") { k += 1 }
            title = SpeakerName.spaced(text[first.range.lowerBound..<tokens[k - 1].range.upperBound])
        }
        // Name words until the first note.
        let nameStart = k
        var words = 0
        while k < tokens.count, !tokens[k].isMark("(") {
            let t = tokens[k]
            if t.isWord {
                let particle = AttributionLexicon.nameParticles.contains(t.folded)
                guard t.isCapitalised || (particle && words > 0) || t.hasDigit && words > 0 else { return nil }
                words += 1
            } else if !(t.isMark(".") && k > nameStart) {
                // OCR slips inside a name (`Mr. Jiirgenson`) are letters; other marks end it.
                return nil
            }
            k += 1
        }
        let nameEnd = k
        // Notes: `(Russian Federation)`, `(spoke in French)`.
        var affiliation: String?
        var notes = 0
        while k < tokens.count {
            guard tokens[k].isMark("(") else { return nil }
            var close = k + 1
            var depth = 1
            while close < tokens.count {
                if tokens[close].isMark("(") { depth += 1 }
                if tokens[close].isMark(")") {
                    depth -= 1
                    if depth == 0 { break }
                }
                close += 1
            }
            guard close < tokens.count, close > k + 1 else { return nil }
            if tokens[k + 1].folded != "spoke" && affiliation == nil {
                affiliation = SpeakerName.spaced(
                    text[tokens[k + 1].range.lowerBound..<tokens[close - 1].range.upperBound])
            }
            notes += 1
            k = close + 1
        }
        guard words > 0 else {
            // `The President` and friends need a word; a bare title is not a marker.
            return nil
        }
        let lead = tokens[nameStart].folded
        if title == nil {
            guard words >= 2 || notes > 0 else { return nil }
            guard !AttributionLexicon.nonNameOpeners.contains(lead) else { return nil }
        }
        let name = SpeakerName.spaced(text[tokens[nameStart].range.lowerBound..<tokens[nameEnd - 1].range.upperBound])
        let titleWord = title.map { $0.lowercased().filter { $0 != "." } }
        let isRole =
            titleWord == "the" || (words == 1 && (lead == "president" || lead == "secretary-general"))
        if titleWord == "the" && !isRole { return nil }
        let written = SpeakerName.spaced(text[tokens[0].range.lowerBound..<tokens[tokens.count - 1].range.upperBound])
        let writtenName = SpeakerName.spaced(text[tokens[0].range.lowerBound..<tokens[nameEnd - 1].range.upperBound])
        return CouncilMarker(
            written: written, writtenName: writtenName, title: title, name: name, affiliation: affiliation,
            isRole: isRole)
    }

    /// The speaker the marker names. `The President` (and `Mr. President`) is the role-only
    /// speaker `President of the Security Council`; `The Secretary-General` is the role-only
    /// `Secretary-General`; a person is named without courtesy title (`Nebenzia`), an office
    /// title (`President Abbas`) becomes the role.
    func speaker() -> Speaker {
        let titleWord = title?.lowercased().filter { $0 != "." }
        if isRole {
            var role = SpeakerName.canonicalRole(name)
            if Folding.name(role) == "president" { role = "President of the Security Council" }
            return Speaker(name: role, role: role, affiliation: affiliation, isRoleOnly: true, aliases: [writtenName])
        }
        let canonical = SpeakerName.titleCasedName(name)
        var aliases: [String] = []
        aliases.append(writtenName)
        if canonical != writtenName { aliases.append(canonical) }
        var role: String?
        if let titleWord, AttributionLexicon.officeTitles.contains(titleWord) { role = title }
        return Speaker(name: canonical, role: role, affiliation: affiliation, aliases: aliases)
    }
}
