import VerbatimModel

extension SpeakerAttributor {
    /// Attributes every paragraph of a document to a speaker (or none), by document kind.
    ///
    /// - `.meetingCoverage`: statement openers, reported speech, continuations (`CoverageAttributor`).
    /// - `.securityCouncilRecord`: each paragraph's marker (`CouncilMarker`); an unmarked paragraph
    ///   continues the previous speaker.
    /// - `.remarks` (and `.other`): the speaker named by the title (`DocumentSpeakerLine`), for every
    ///   paragraph.
    /// - `.pressRelease` (and `.other`): the speaker named by a `Following are …` lead paragraph, for
    ///   every paragraph after it; the lead itself has none.
    /// - `.generalDebateStatement`: `metadataSpeaker` for every paragraph, in O(1) per paragraph.
    ///
    /// Whatever the kind, a document in which nothing else names a speaker takes `metadataSpeaker`
    /// for every paragraph. The closing `For information media. Not an official record.` never
    /// has a speaker. Speakers are canonical (`SpeakerName`) and listed in order of first paragraph.
    ///
    /// - Returns: one assignment per input paragraph.
    package static func attribute(_ input: AttributionInput) -> AttributionResult {
        let count = input.paragraphs.count
        var result: AttributionResult?
        switch input.kind {
        case .generalDebateStatement:
            result = nil
        case .meetingCoverage:
            result = CoverageAttributor.attribute(input)
        case .securityCouncilRecord:
            result = council(input)
        case .remarks:
            result = titled(input)
        case .pressRelease:
            result = lead(input)
        default:
            result = titled(input) ?? lead(input)
        }
        if let result, result.assignments.contains(where: { $0.speaker != nil }) { return result }
        if let metadata = input.metadataSpeaker {
            return whole(input, Self.canonical(metadata), from: 0)
        }
        return result ?? AttributionResult(speakers: [], assignments: Array(repeating: (nil, .none), count: count))
    }

    /// A metadata speaker in canonical form: courtesy title dropped from the name (kept, with
    /// the name as given, among the aliases), capitals title-cased, white space normalised.
    package static func canonical(_ metadata: Speaker) -> Speaker {
        var s = metadata
        let given = SpeakerName.spaced(metadata.name)
        s.name = metadata.isRoleOnly ? SpeakerName.canonicalRole(given) : SpeakerName.canonicalPersonName(given)
        s.role = metadata.role.map { SpeakerName.titleCasedRole($0) }
        s.affiliation = metadata.affiliation.map { SpeakerName.spaced($0) }
        var aliases: [String] = []
        for a in [given, s.name] + metadata.aliases.map({ SpeakerName.spaced($0) }) where !aliases.contains(a) {
            aliases.append(a)
        }
        s.aliases = aliases
        return s
    }

    /// Every paragraph from `start` on is `speaker`'s (`.document`), except a closing press footer.
    static func whole(_ input: AttributionInput, _ speaker: Speaker, from start: Int) -> AttributionResult {
        let count = input.paragraphs.count
        var assignments = [(speaker: Int?, attribution: Paragraph.Attribution)](
            repeating: (0, .document), count: count)
        for n in 0..<min(start, count) { assignments[n] = (nil, .none) }
        if let last = input.paragraphs.last?.text, count > start, isFooter(last) {
            assignments[count - 1] = (nil, .none)
        }
        let used = assignments.contains { $0.speaker != nil }
        return AttributionResult(speakers: used ? [speaker] : [], assignments: assignments)
    }

    /// The title's speaker for every paragraph. A role-only title speaker (`THE DEPUTY
    /// SECRETARY-GENERAL'S REMARKS`) whose role is the metadata speaker's role gives way to the
    /// metadata person (`Amina Mohammed`, role `Deputy Secretary-General`), keeping the title's form
    /// as an alias.
    static func titled(_ input: AttributionInput) -> AttributionResult? {
        guard let title = input.title, var speaker = DocumentSpeakerLine.speaker(inTitle: title) else { return nil }
        if speaker.isRoleOnly, let metadata = input.metadataSpeaker, !metadata.isRoleOnly,
            let role = metadata.role, Folding.name(SpeakerName.canonicalRole(role)) == Folding.name(speaker.name)
        {
            let titleAliases = speaker.aliases
            speaker = canonical(metadata)
            for alias in titleAliases where !speaker.aliases.contains(alias) { speaker.aliases.append(alias) }
        }
        return whole(input, speaker, from: 0)
    }

    /// Looks for the lead among the first five paragraphs.
    static func lead(_ input: AttributionInput) -> AttributionResult? {
        for n in input.paragraphs.indices.prefix(5) {
            if let speaker = DocumentSpeakerLine.speaker(inLead: input.paragraphs[n].text) {
                return whole(input, speaker, from: n + 1)
            }
        }
        return nil
    }

    static func council(_ input: AttributionInput) -> AttributionResult {
        var registry = SpeakerRegistry()
        var assignments: [(speaker: Int?, attribution: Paragraph.Attribution)] = []
        assignments.reserveCapacity(input.paragraphs.count)
        var previous: Int?
        for paragraph in input.paragraphs {
            if let marker = CouncilMarker.parse(paragraph.text) {
                let i = registry.register(marker.speaker())
                assignments.append((i, .statement))
                previous = i
            } else if let previous, !isFooter(paragraph.text) {
                assignments.append((previous, .continuation))
            } else {
                assignments.append((nil, .none))
            }
        }
        return registry.result(assignments: assignments)
    }

    /// `For information media. Not an official record.`
    static func isFooter(_ text: String) -> Bool {
        let head = text.utf8.prefix(24)
        guard head.count == 24 else { return false }
        return String(decoding: head, as: UTF8.self).lowercased() == "for information media. n"
    }
}
