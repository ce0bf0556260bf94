import VerbatimModel

/// A run of words that names a speaker, possibly behind a role, split into the two:
///
/// - `UN Deputy Secretary-General Amina Mohammed` → role `Deputy Secretary-General`, name `Amina Mohammed`
/// - `United Nations Secretary‑General António Guterres` → (with `António Guterres` known) the same split
/// - `THE DEPUTY SECRETARY-GENERAL` → role only, `Deputy Secretary-General`
/// - `the Spokesman for UN Secretary-General António Guterres` → role only, `Spokesman for the Secretary-General`
///
/// The name is the longest tail that is a name already known in the document; otherwise the
/// words after the last role word or connector (`of`, `for`, …), leading acronyms excepted.
struct SpeakerPhrase {
    /// The canonical role, if the phrase has one.
    var role: String?
    /// The canonical person name, `nil` for a role-only phrase.
    var name: String?
    /// The phrase as written, white space normalised; kept as an alias.
    var written: String
    /// The name part as written (`António Guterres`), kept as an alias.
    var writtenName: String?

    /// Reads `tokens[range]`; `nil` when the words are neither a name nor a role.
    init?(_ tokens: [AttributionToken], _ range: Range<Int>, in source: String, known: SpeakerRegistry?) {
        var lo = range.lowerBound
        let hi = range.upperBound
        guard lo < hi else { return nil }
        written = SpeakerName.spaced(source[tokens[lo].range.lowerBound..<tokens[hi - 1].range.upperBound])
        // `the`, `UN`, `United Nations` in front belong to neither part.
        while lo < hi, tokens[lo].folded == "the" || tokens[lo].folded == "un" { lo += 1 }
        if lo + 1 < hi, tokens[lo].folded == "united", tokens[lo + 1].folded == "nations" { lo += 2 }
        guard lo < hi else { return nil }
        let spokes = ["spokesman", "spokesperson", "spokeswoman"]
        if spokes.contains(tokens[lo].folded), lo + 2 < hi, tokens[lo + 1].folded == "for" {
            // Words issued by a spokesperson are the spokesperson's (a role-only speaker).
            let inner = SpeakerPhrase(tokens, (lo + 2)..<hi, in: source, known: known)
            let office = SpeakerName.titleCasedRole(String(tokens[lo].text(in: source)))
            role = office + " for the " + (inner?.role ?? inner?.name ?? "")
            name = nil
            return
        }
        let allCaps = tokens[lo..<hi].allSatisfy { !$0.isWord || $0.isAllCaps || $0.hasDigit }
        var nameStart = hi
        if let known, let n = known.knownNameSuffix(ofWords: Self.foldedWords(tokens, lo..<hi)) {
            // Count back `n` words.
            var words = 0
            var i = hi
            while i > lo, words < n {
                i -= 1
                if tokens[i].isWord { words += 1 }
            }
            nameStart = i
        } else {
            // After the last role word; a connector after it (`President of the General Assembly`)
            // makes the rest an organisation's name, so the phrase is a role only.
            var lastRole = lo - 1
            var connected = false
            for i in lo..<hi where tokens[i].isWord {
                let f = tokens[i].folded
                if AttributionLexicon.roleWords.contains(f) {
                    lastRole = i
                    connected = false
                } else if AttributionLexicon.roleConnectors.contains(f) && lastRole >= lo {
                    connected = true
                }
            }
            nameStart = connected ? hi : lastRole + 1
            // An acronym right after the role (`Director of UNICEF Henrietta Fore`) is the role's.
            while nameStart < hi, !allCaps, tokens[nameStart].isWord, tokens[nameStart].isAllCaps,
                tokens[nameStart].letters >= 2
            {
                nameStart += 1
            }
        }
        // The name: capitalised words, particles, and the full stops of initials.
        var nameOK = nameStart < hi
        for i in nameStart..<hi {
            let t = tokens[i]
            if t.isWord {
                if t.hasDigit
                    || !(t.isCapitalised || AttributionLexicon.nameParticles.contains(t.folded)
                        || t.folded.hasPrefix("al-") || t.folded.hasPrefix("el-"))
                {
                    nameOK = false
                }
            } else if !t.isMark(".") {
                nameOK = false
            }
        }
        if nameStart < hi && !nameOK { return nil }
        if nameStart > lo {
            var roleEnd = nameStart
            while roleEnd > lo, !tokens[roleEnd - 1].isWord { roleEnd -= 1 }
            let roleText = source[tokens[lo].range.lowerBound..<tokens[roleEnd - 1].range.upperBound]
            role = SpeakerName.canonicalRole(String(roleText))
        }
        if nameStart < hi {
            let raw = String(source[tokens[nameStart].range.lowerBound..<tokens[hi - 1].range.upperBound])
            writtenName = SpeakerName.spaced(raw)
            name = SpeakerName.canonicalPersonName(raw)
        }
        if role == nil && name == nil { return nil }
    }

    /// The phrase as a speaker (role-only when it names no person).
    func speaker(affiliation: String? = nil) -> Speaker {
        var aliases = [written]
        if let writtenName, writtenName != written { aliases.append(writtenName) }
        if let name {
            if name != writtenName && name != written { aliases.append(name) }
            return Speaker(name: name, role: role, affiliation: affiliation, aliases: aliases)
        }
        let office = role ?? written
        return Speaker(name: office, role: office, affiliation: affiliation, isRoleOnly: true, aliases: aliases)
    }

    static func foldedWords(_ tokens: [AttributionToken], _ range: Range<Int>) -> [String] {
        var out: [String] = []
        for i in range where tokens[i].isWord {
            out.append(contentsOf: Folding.name(tokens[i].folded).split(separator: " ").map(String.init))
        }
        return out
    }
}
