import VerbatimModel

/// How names and roles are written in `Speaker`: the canonical forms documented in
/// docs/CITATIONS.md ("Speakers").
enum SpeakerName {
    /// The text with every run of white space (including U+00A0) made one space, trimmed.
    static func spaced(_ text: some StringProtocol) -> String {
        var out = String.UnicodeScalarView()
        var pending = false
        for s in text.unicodeScalars {
            if s.properties.isWhitespace {
                pending = true
                continue
            }
            if pending && !out.isEmpty { out.append(" ") }
            pending = false
            out.append(s)
        }
        return String(out)
    }

    /// A person's name in title case: each word written entirely in capitals (two letters or
    /// more) becomes `Xxxx`; words already in mixed case are kept. Hyphenated parts are each
    /// capitalised (`NORMAN-CHALET` → `Norman-Chalet`), particles after the first word stay
    /// lower case (`DE`, `VAN`, `AL-` → `de`, `van`, `al-`), `MC` and one-letter apostrophe
    /// prefixes keep the next letter capital (`McDonald`, `O'Brien`, `D'Alva`).
    static func titleCasedName(_ name: String) -> String {
        let words = spaced(name).split(separator: " ")
        var out: [String] = []
        out.reserveCapacity(words.count)
        for (n, word) in words.enumerated() {
            out.append(titleCasedWord(word, isFirst: n == 0, isRole: false))
        }
        return out.joined(separator: " ")
    }

    /// A role in title case when it is written entirely in capitals (`DEPUTY SECRETARY-GENERAL`
    /// → `Deputy Secretary-General`, small words such as `of the` in lower case); a role in
    /// mixed case is kept as written. White space is normalised either way.
    static func titleCasedRole(_ role: String) -> String {
        let text = spaced(role)
        guard !text.unicodeScalars.contains(where: { $0.properties.isLowercase }) else { return text }
        let words = text.split(separator: " ")
        var out: [String] = []
        for (n, word) in words.enumerated() {
            out.append(titleCasedWord(word, isFirst: n == 0, isRole: true))
        }
        return out.joined(separator: " ")
    }

    static func titleCasedWord(_ word: Substring, isFirst: Bool, isRole: Bool) -> String {
        var letters = 0
        for s in word.unicodeScalars where s.properties.isAlphabetic {
            if s.properties.isLowercase { return String(word) }
            letters += 1
        }
        guard letters >= 2 else { return String(word) }
        let lower = word.lowercased()
        let bare = lower.filter { $0 != "." }
        if AttributionLexicon.keptCapitals.contains(bare) { return String(word) }
        if !isFirst {
            if isRole && AttributionLexicon.roleConnectors.contains(bare) { return lower }
            if !isRole && AttributionLexicon.nameParticles.contains(bare) && bare != "al" && bare != "el" {
                return lower
            }
        }
        var rest = Substring(lower)
        var out = ""
        if !isRole, rest.count > 3 {
            let third = rest.unicodeScalars.dropFirst(2).first.map { Folding.dashes.contains($0) } ?? false
            if !isFirst && third && (rest.hasPrefix("al") || rest.hasPrefix("el")) {
                out = String(rest.prefix(3))  // `al-Mouallimi`
                rest = rest.dropFirst(3)
            } else if rest.hasPrefix("mc") {
                out = "Mc"  // `McDonald`
                rest = rest.dropFirst(2)
            }
        }
        // Capitalise every part after a hyphen; after an apostrophe only behind one letter.
        var capitalNext = true
        var partLength = 0
        for ch in rest {
            if ch.isLetter {
                out += capitalNext ? ch.uppercased() : String(ch)
                capitalNext = false
                partLength += 1
                continue
            }
            out.append(ch)
            let isDash = ch.unicodeScalars.first.map { Folding.dashes.contains($0) } ?? false
            let isApostrophe = ch == "'" || ch == "\u{2019}"
            capitalNext = isDash || (isApostrophe && partLength == 1)
            partLength = 0
        }
        return out
    }

    /// Splits a leading courtesy title (`Mr.`, `Ms`, `MRS.`, `Dr.`, `H.E.`, `His Excellency`)
    /// off a name: `Mr. Arce` → (`Mr.`, `Arce`). A name that is only a title is returned whole.
    static func strippingCourtesyTitle(_ name: String) -> (title: String?, name: String) {
        let text = spaced(name)
        let lower = text.lowercased()
        for long in ["his excellency ", "her excellency ", "h.e. ", "h. e. ", "he "] where lower.hasPrefix(long) {
            // `He` alone is not a title; only `H.E.` forms and the spelled-out ones are.
            if long == "he " { continue }
            let rest = String(text.dropFirst(long.count))
            let inner = strippingCourtesyTitle(rest)
            return (String(text.prefix(long.count - 1)), inner.name)
        }
        guard let space = text.firstIndex(of: " ") else { return (nil, text) }
        let head = text[..<space]
        let bare = head.lowercased().filter { $0 != "." }
        guard AttributionLexicon.courtesyTitles.contains(bare) else { return (nil, text) }
        let rest = String(text[text.index(after: space)...])
        return rest.isEmpty ? (nil, text) : (String(head), rest)
    }

    /// The canonical form of a person's name: courtesy title dropped, capitals title-cased.
    static func canonicalPersonName(_ written: String) -> String {
        titleCasedName(strippingCourtesyTitle(written).name)
    }

    /// The canonical form of a role used as a role-only speaker's name: title case, a leading
    /// `The`, `UN` or `United Nations` dropped, and OCR slips such as `Secretary- General`
    /// (a hyphen followed by a space) closed up.
    static func canonicalRole(_ written: String) -> String {
        var role = titleCasedRole(written)
        for prefix in ["The ", "the ", "UN ", "U.N. ", "United Nations "] where role.hasPrefix(prefix) {
            role = String(role.dropFirst(prefix.count))
        }
        // Close up `Secretary- General`.
        var out = ""
        var previous: Character = " "
        var skipSpace = false
        for ch in role {
            if skipSpace && ch == " " {
                skipSpace = false
                continue
            }
            skipSpace = false
            out.append(ch)
            if ch == "-" && previous.isLetter { skipSpace = true }
            previous = ch
        }
        return out
    }
}
