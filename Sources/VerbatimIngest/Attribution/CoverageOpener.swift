/// How a meetings-coverage paragraph opens, as far as its speaker is concerned.
///
/// Readers, tried in this order on a paragraph's tokens (see `CoverageAttributor`):
/// - `capitals`: `ANTÓNIO GUTERRES, Secretary‑General …, said`, `KAI SAUER (Finland) Co‑Facilitator …`
/// - `titled`: `Ms. CONINSX said`, `Mr. Sauer highlighted`, `Mr. Ndiaye (Senegal), …, said`
/// - `named`: `Vladimir Voronkov, Under‑Secretary‑General …, said`, `Sima Bahous (Jordan) and Kai Sauer
///   (Finland), …, agreed.`, `“…,” United Nations Secretary‑General António Guterres said …`
/// - `pronoun`: a pronoun and a speech verb anywhere (`…, he said.`, `she continued.`, `he welcomed`)
enum CoverageOpener {
    /// A name in capitals (`name` is its token range), with its affiliation and role.
    case capitals(name: Range<Int>, affiliation: String?, role: String?)
    /// A courtesy title and a surname (`Ms. CONINSX`): `alias` is title and name as written.
    case titled(alias: String, surname: String, affiliation: String?)
    /// A name or a role-and-name phrase in ordinary case; `others` are further names joined by `and`.
    case named(phrase: Range<Int>, affiliation: String?, role: String?, others: [Range<Int>])
    /// A pronoun followed by a speech verb: the previous speaker goes on.
    case pronoun

    /// Reads the opener of one paragraph.
    static func read(_ t: [AttributionToken], in text: String) -> CoverageOpener? {
        guard let first = t.first else { return nil }
        if first.isWord, let opener = capitals(t, in: text) { return opener }
        if first.isWord, AttributionLexicon.courtesyTitles.contains(first.folded), let opener = titled(t, in: text) {
            return opener
        }
        if first.isWord, let opener = named(t, from: 0, in: text) { return opener }
        if first.isOpeningQuote, let opener = quoted(t, in: text) { return opener }
        return hasPronounCue(t) ? .pronoun : nil
    }

    // MARK: - Readers

    static func capitals(_ t: [AttributionToken], in text: String) -> CoverageOpener? {
        var k = 0
        var words = 0
        var long = 0
        while k < t.count {
            if t[k].isWord, t[k].isAllCaps, !t[k].hasDigit {
                words += 1
                if t[k].letters >= 2 { long += 1 }
            } else if !(t[k].isMark(".") && k > 0 && t[k - 1].isWord && t[k - 1].letters == 1) {
                break
            }
            k += 1
        }
        guard words >= 2, long >= 1, k < t.count else { return nil }
        let name = 0..<k
        let next = t[k]
        guard
            next.isMark("(") || next.isMark(",")
                || (next.isWord && AttributionLexicon.speechVerbs.contains(next.folded))
        else { return nil }
        var affiliation: String?
        if next.isMark("(") {
            guard let close = closingParen(t, from: k) else { return nil }
            affiliation = spacedText(t, (k + 1)..<close, in: text)
            k = close + 1
        }
        if k < t.count, t[k].isMark(",") { k += 1 }
        var role: String?
        if k < t.count, t[k].isWord, t[k].isCapitalised, !AttributionLexicon.speechVerbs.contains(t[k].folded) {
            let end = segmentEnd(t, from: k)
            role = spacedText(t, k..<end, in: text)
        }
        return .capitals(name: name, affiliation: affiliation, role: role)
    }

    static func titled(_ t: [AttributionToken], in text: String) -> CoverageOpener? {
        var k = 1
        if k < t.count, t[k].isMark(".") { k += 1 }
        let start = k
        while k < t.count, t[k].isWord,
            t[k].isCapitalised || (k > start && AttributionLexicon.nameParticles.contains(t[k].folded))
        {
            k += 1
        }
        guard k > start, !t[start..<k].contains(where: { $0.hasDigit }) else { return nil }
        var affiliation: String?
        if k < t.count, t[k].isMark("("), let close = closingParen(t, from: k) {
            affiliation = spacedText(t, (k + 1)..<close, in: text)
        }
        guard speechFollows(t, from: k) != nil else { return nil }
        return .titled(
            alias: spacedText(t, 0..<k, in: text), surname: spacedText(t, start..<k, in: text), affiliation: affiliation
        )
    }

    static func named(_ t: [AttributionToken], from start: Int, in text: String) -> CoverageOpener? {
        guard start < t.count, t[start].isWord, t[start].isCapitalised,
            !AttributionLexicon.nonNameOpeners.contains(t[start].folded),
            !AttributionLexicon.courtesyTitles.contains(t[start].folded)
        else { return nil }
        let end = phraseEnd(t, from: start)
        let words = t[start..<end].reduce(0) { $0 + ($1.isWord ? 1 : 0) }
        guard words >= 2 else { return nil }
        let k = end
        var affiliation: String?
        if k < t.count, t[k].isMark("("), let close = closingParen(t, from: k) {
            affiliation = spacedText(t, (k + 1)..<close, in: text)
        }
        guard let follow = speechFollows(t, from: k) else { return nil }
        let role = follow.role.map { spacedText(t, $0, in: text) }
        return .named(phrase: start..<end, affiliation: affiliation, role: role, others: follow.others)
    }

    static func quoted(_ t: [AttributionToken], in text: String) -> CoverageOpener? {
        var k = 1
        while k < t.count, !t[k].isClosingQuote { k += 1 }
        k += 1
        if k < t.count, t[k].isMark(",") { k += 1 }
        guard k < t.count, t[k].isWord else { return nil }
        if AttributionLexicon.pronouns.contains(t[k].folded) {
            var v = k + 1
            while v < t.count, AttributionLexicon.adverbs.contains(t[v].folded) { v += 1 }
            return v < t.count && AttributionLexicon.speechVerbs.contains(t[v].folded) ? .pronoun : nil
        }
        if AttributionLexicon.speechVerbs.contains(t[k].folded) {
            // `“…,” said Mr. Sauer.`
            let s = k + 1
            if s < t.count, AttributionLexicon.courtesyTitles.contains(t[s].folded) {
                var n = s + 1
                if n < t.count, t[n].isMark(".") { n += 1 }
                let end = phraseEnd(t, from: n)
                guard end > n else { return nil }
                return .titled(
                    alias: spacedText(t, s..<end, in: text), surname: spacedText(t, n..<end, in: text), affiliation: nil
                )
            }
            let end = phraseEnd(t, from: s)
            guard end > s + 1 else { return nil }
            return .named(phrase: s..<end, affiliation: nil, role: nil, others: [])
        }
        return named(t, from: k, in: text)
    }

    static func hasPronounCue(_ t: [AttributionToken]) -> Bool {
        for i in t.indices where t[i].isWord && t[i].letters <= 4 && AttributionLexicon.pronouns.contains(t[i].folded) {
            var v = i + 1
            while v < t.count, AttributionLexicon.adverbs.contains(t[v].folded) { v += 1 }
            if v < t.count, t[v].isWord, AttributionLexicon.speechVerbs.contains(t[v].folded) { return true }
        }
        return false
    }

    // MARK: - Shared scanning

    /// After a name (and an optional parenthesised affiliation): is the name the subject of a
    /// speech verb in this sentence? Skips `and` another name, appositives (`, Co‑Facilitators
    /// of …,`), relative and participle clauses (`, who chaired …,`, `, chairing …,`) and adverbs.
    /// Returns the first appositive as the role (when only one name is given) and the other names.
    static func speechFollows(_ t: [AttributionToken], from start: Int) -> (role: Range<Int>?, others: [Range<Int>])? {
        var k = start
        if k < t.count, t[k].isMark("("), let close = closingParen(t, from: k) { k = close + 1 }
        var others: [Range<Int>] = []
        while k + 1 < t.count, t[k].folded == "and", t[k + 1].isWord, t[k + 1].isCapitalised {
            let end = phraseEnd(t, from: k + 1)
            others.append((k + 1)..<end)
            k = end
            if k < t.count, t[k].isMark("("), let close = closingParen(t, from: k) { k = close + 1 }
        }
        var role: Range<Int>?
        var segments = 0
        while k < t.count, segments < 8 {
            let tk = t[k]
            if tk.isMark(",") {
                k += 1
                continue
            }
            guard tk.isWord else { return nil }
            if AttributionLexicon.adverbs.contains(tk.folded) {
                k += 1
                continue
            }
            if AttributionLexicon.speechVerbs.contains(tk.folded) { return (role, others) }
            let isClause =
                tk.isCapitalised || AttributionLexicon.clauseOpeners.contains(tk.folded) || tk.folded.hasSuffix("ing")
            guard isClause, k > start, t[k - 1].isMark(",") else { return nil }
            let end = segmentEnd(t, from: k)
            if tk.isCapitalised && role == nil && segments == 0 && others.isEmpty { role = k..<end }
            guard end < t.count, t[end].isMark(",") else { return nil }
            k = end
            segments += 1
        }
        return nil
    }

    /// The end of a name phrase: capitalised words, lower-case particles between them, the full
    /// stops of initials and abbreviations.
    static func phraseEnd(_ t: [AttributionToken], from start: Int) -> Int {
        var k = start
        var last = start
        while k < t.count {
            let tk = t[k]
            if tk.isWord && !tk.hasDigit && (tk.isCapitalised || tk.folded.hasPrefix("al-")) {
                k += 1
                last = k
            } else if tk.isWord && k > start && AttributionLexicon.nameParticles.contains(tk.folded) {
                k += 1
            } else if tk.isMark(".") && k > start && t[k - 1].isWord && t[k - 1].letters == 1 {
                k += 1
                last = k
            } else {
                break
            }
        }
        return last
    }

    /// The index of the first `,` at the same depth as `start` (outside parentheses and double
    /// quotes) or of a sentence-ending full stop, or `t.count`.
    static func segmentEnd(_ t: [AttributionToken], from start: Int) -> Int {
        var paren = 0
        var quoted = false
        var k = start
        while k < t.count {
            let tk = t[k]
            if !tk.isWord {
                if tk.first == "(" {
                    paren += 1
                } else if tk.first == ")" {
                    paren = max(0, paren - 1)
                } else if tk.first == "\u{201C}" {
                    quoted = true
                } else if tk.first == "\u{201D}" {
                    quoted = false
                } else if tk.first == "\"" {
                    quoted.toggle()
                } else if paren == 0 && !quoted {
                    if tk.first == "," || tk.first == ";" { return k }
                    if tk.first == "." && !isAbbreviation(t, k) { return k }
                }
            }
            k += 1
        }
        return k
    }

    /// A full stop after an initial or a courtesy title (`R.`, `Mr.`) does not end a sentence.
    static func isAbbreviation(_ t: [AttributionToken], _ k: Int) -> Bool {
        guard k > 0, t[k - 1].isWord else { return false }
        return t[k - 1].letters == 1 || AttributionLexicon.courtesyTitles.contains(t[k - 1].folded)
    }

    static func closingParen(_ t: [AttributionToken], from open: Int) -> Int? {
        var depth = 0
        for k in open..<t.count where !t[k].isWord {
            if t[k].first == "(" { depth += 1 }
            if t[k].first == ")" {
                depth -= 1
                if depth == 0 { return k > open + 1 ? k : nil }
            }
        }
        return nil
    }

    /// The text from the first to the last token of `range`, as written, white space normalised.
    static func spacedText(_ t: [AttributionToken], _ range: Range<Int>, in text: String) -> String {
        guard !range.isEmpty else { return "" }
        return SpeakerName.spaced(text[t[range.lowerBound].range.lowerBound..<t[range.upperBound - 1].range.upperBound])
    }
}
