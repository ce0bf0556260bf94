import VerbatimModel

/// Lines that name the one speaker of a whole document: a remarks title or a press
/// release's lead paragraph.
///
/// - Possessive: `THE DEPUTY SECRETARY-GENERAL'S REMARKS AT …`, `Following are UN Secretary-General
///   António Guterres’ remarks …`, `Following is the text of UN Deputy Secretary-General Amina
///   Mohammed’s video message …` — the words before `'s`/`’` that precede a speech noun
///   (`remarks`, `message`, `address`, …, optionally behind `opening`, `video`, …).
/// - Agent: `Remarks by the Deputy Secretary-General at …`, `The following statement was issued
///   today by the Spokesman for UN Secretary-General António Guterres:` — the words after `by`.
enum DocumentSpeakerLine {
    /// The speaker a title names, or `nil`.
    static func speaker(inTitle title: String) -> Speaker? {
        let t = AttributionToken.tokenize(title)
        guard let phrase = possessive(t, in: title) ?? agent(t, titleForm: true, in: title) else { return nil }
        return speaker(title, phrase)
    }

    /// The speaker a press release's lead paragraph (`Following are …`, `The following
    /// statement …`) names, or `nil` when the paragraph is not such a lead.
    static func speaker(inLead text: String) -> Speaker? {
        // Cheap test before tokenising: the paragraph must start with `Following` or `The following`.
        let head = text.unicodeScalars.prefix(16).map { Character($0) }
        let start = String(head).lowercased()
        guard start.hasPrefix("following ") || start.hasPrefix("the following ") else { return nil }
        let t = AttributionToken.tokenize(text)
        guard let phrase = possessive(t, in: text) ?? agent(t, titleForm: false, in: text) else { return nil }
        return speaker(text, phrase)
    }

    private static func speaker(_ text: String, _ phrase: Range<String.Index>) -> Speaker? {
        let t = AttributionToken.tokenize(text, in: phrase)
        return SpeakerPhrase(t, 0..<t.count, in: text, known: nil)?.speaker()
    }

    /// The possessor in `X's remarks` / `X’ remarks`, without the `'s`.
    static func possessive(_ t: [AttributionToken], in text: String) -> Range<String.Index>? {
        for k in t.indices where t[k].isWord {
            let nounStart: Int
            var end = t[k].range.upperBound
            if t[k].folded.hasSuffix("'s") {
                nounStart = k + 1
                end = text.unicodeScalars.index(end, offsetBy: -2)
            } else if k + 1 < t.count, t[k + 1].isMark("'") || t[k + 1].isMark("\u{2019}"),
                t[k].folded.hasSuffix("s")
            {
                nounStart = k + 2
            } else {
                continue
            }
            guard isSpeechNoun(t, from: nounStart) else { continue }
            // The possessor: capitalised words (and connectors) back from the possessive.
            var start = k
            while start > 0 {
                let p = t[start - 1]
                let ok =
                    (p.isWord
                        && (p.isCapitalised || AttributionLexicon.roleConnectors.contains(p.folded)
                            || AttributionLexicon.nameParticles.contains(p.folded)))
                    || p.isMark(".")
                guard ok, !AttributionLexicon.leadOpeners.contains(p.folded) else { break }
                start -= 1
            }
            while start < k, !t[start].isWord || !t[start].isCapitalised { start += 1 }
            return t[start].range.lowerBound..<end
        }
        return nil
    }

    /// The token range after `by` in `Remarks by X at …` (title form: the line starts with a
    /// speech noun) or `… issued today by X:` (lead form).
    static func agent(_ t: [AttributionToken], titleForm: Bool, in text: String) -> Range<String.Index>? {
        if titleForm {
            var k = 0
            while k < t.count, AttributionLexicon.speechNounModifiers.contains(t[k].folded) { k += 1 }
            guard k < t.count, AttributionLexicon.speechNouns.contains(t[k].folded) else { return nil }
        }
        guard let by = t.firstIndex(where: { $0.isWord && $0.folded == "by" }) else { return nil }
        var k = by + 1
        var afterSpokes = false
        while k < t.count {
            let tk = t[k]
            if tk.isWord {
                let connector = ["the", "of"].contains(tk.folded) || (afterSpokes && tk.folded == "for")
                guard
                    tk.isCapitalised && !stops.contains(tk.folded) || connector
                        || AttributionLexicon.nameParticles.contains(tk.folded)
                else { break }
                afterSpokes = ["spokesman", "spokesperson", "spokeswoman"].contains(tk.folded)
            } else if !tk.isMark(".") {
                break
            }
            k += 1
        }
        // Trim trailing connectors and marks.
        while k > by + 1, !t[k - 1].isWord || !t[k - 1].isCapitalised { k -= 1 }
        return k > by + 1 ? t[by + 1].range.lowerBound..<t[k - 1].range.upperBound : nil
    }

    /// Words that end an agent phrase in a title written in capitals (`… BY THE DSG AT …`).
    private static let stops: Set<String> = ["at", "to", "on", "in", "during", "before", "with", "for", "and"]

    private static func isSpeechNoun(_ t: [AttributionToken], from start: Int) -> Bool {
        var k = start
        var skipped = 0
        while k < t.count, t[k].isWord, skipped < 3 {
            if AttributionLexicon.speechNouns.contains(t[k].folded) { return true }
            guard AttributionLexicon.speechNounModifiers.contains(t[k].folded) else { return false }
            k += 1
            skipped += 1
        }
        return false
    }
}
