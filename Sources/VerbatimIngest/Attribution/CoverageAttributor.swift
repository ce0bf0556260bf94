import VerbatimModel

/// Speaker attribution for meetings coverage (`L/3282`): statements opened by a name,
/// reported speech in the summary, continuations and narration.
///
/// Passes: (1) every statement opener in capitals registers its speaker with a firm role;
/// (2) every other named opener registers its speaker, splitting role from name against the
/// names known so far; (3) `Mr./Ms. Surname` openers and mentions anywhere resolve to a known
/// speaker (any paragraph, earlier or later) and add their form as an alias; (4) paragraphs
/// are assigned in order, a pronoun cue continuing the previous paragraph's speaker.
enum CoverageAttributor {
    static func attribute(_ input: AttributionInput) -> AttributionResult {
        let texts = input.paragraphs.map(\.text)
        let tokens = texts.map { AttributionToken.tokenize($0) }
        let openers = zip(tokens, texts).map { CoverageOpener.read($0, in: $1) }
        var registry = SpeakerRegistry()
        var owner = [Int?](repeating: nil, count: texts.count)

        // 1. Capitals.
        for n in texts.indices {
            guard case .capitals(let name, let affiliation, let role)? = openers[n] else { continue }
            let written = CoverageOpener.spacedText(tokens[n], name, in: texts[n])
            let canonical = SpeakerName.titleCasedName(written)
            let speaker = Speaker(name: canonical, role: role, affiliation: affiliation, aliases: [written, canonical])
            owner[n] = registry.register(speaker, firmRole: true)
        }
        // 2. Names in ordinary case.
        for n in texts.indices {
            guard case .named(let phrase, let affiliation, let role, let others)? = openers[n],
                let split = SpeakerPhrase(tokens[n], phrase, in: texts[n], known: registry)
            else { continue }
            var speaker = split.speaker(affiliation: affiliation)
            if speaker.role == nil { speaker.role = role }
            owner[n] = registry.register(speaker)
            for other in others {
                if let more = SpeakerPhrase(tokens[n], other, in: texts[n], known: registry), more.name != nil {
                    registry.register(more.speaker(affiliation: parenthesised(after: other, tokens[n], texts[n])))
                }
            }
        }
        // 3. Surnames.
        for n in texts.indices {
            guard case .titled(let alias, let surname, let affiliation)? = openers[n] else { continue }
            if let i = registry.resolve(surname: surname, affiliation: affiliation) {
                registry.addAlias(alias, to: i)
                owner[n] = i
            } else {
                let canonical = SpeakerName.titleCasedName(surname)
                owner[n] = registry.register(
                    Speaker(name: canonical, affiliation: affiliation, aliases: [alias, canonical]))
            }
        }
        if !registry.speakers.isEmpty {
            for n in texts.indices { addMentionAliases(tokens[n], texts[n], to: &registry) }
        }

        // 4. Assignment.
        let firstHeading = input.paragraphs.firstIndex { $0.heading != nil }
        var assignments: [(speaker: Int?, attribution: Paragraph.Attribution)] = []
        assignments.reserveCapacity(texts.count)
        var previous: Int?
        for n in texts.indices {
            let inSummary = firstHeading.map { n < $0 } ?? false
            switch openers[n] {
            case .capitals?:
                assignments.append((owner[n], .statement))
            case .titled?, .named?:
                if let o = owner[n] {
                    assignments.append((o, inSummary ? .reported : .statement))
                } else {
                    assignments.append(continuing(previous, tokens[n]))
                }
            case .pronoun?:
                assignments.append(previous.map { ($0, .continuation) } ?? (nil, .none))
            case nil:
                assignments.append((nil, .none))
            }
            previous = assignments[n].speaker
        }
        return registry.result(assignments: assignments)
    }

    /// A paragraph whose named opener could not be read continues only on a pronoun cue.
    private static func continuing(_ previous: Int?, _ t: [AttributionToken]) -> (
        speaker: Int?, attribution: Paragraph.Attribution
    ) {
        guard let previous, CoverageOpener.hasPronounCue(t) else { return (nil, .none) }
        return (previous, .continuation)
    }

    /// `Ms. Bahous` anywhere in a paragraph: an alias of the known speaker `Sima Bahous`.
    private static func addMentionAliases(_ t: [AttributionToken], _ text: String, to registry: inout SpeakerRegistry) {
        for k in t.indices where t[k].isWord && AttributionLexicon.courtesyTitles.contains(t[k].folded) {
            var s = k + 1
            if s < t.count, t[s].isMark(".") { s += 1 }
            let end = CoverageOpener.phraseEnd(t, from: s)
            guard end > s else { continue }
            let surname = CoverageOpener.spacedText(t, s..<end, in: text)
            if let i = registry.resolve(surname: surname) {
                registry.addAlias(CoverageOpener.spacedText(t, k..<end, in: text), to: i)
            }
        }
    }

    /// The parenthesised text right after a token range (`Kai Sauer (Finland)` → `Finland`).
    private static func parenthesised(after range: Range<Int>, _ t: [AttributionToken], _ text: String) -> String? {
        let k = range.upperBound
        guard k < t.count, t[k].isMark("("), let close = CoverageOpener.closingParen(t, from: k) else { return nil }
        return CoverageOpener.spacedText(t, (k + 1)..<close, in: text)
    }
}
