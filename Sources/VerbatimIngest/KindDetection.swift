import VerbatimModel

/// Infers a document's kind when metadata does not give it. The first rule that holds wins:
///
/// 1. the file name is a General Debate Corpus name (`ungdc_USA_78_2023.txt`) → general-debate-statement;
/// 2. the symbol starts with `S/PV.`, or at least two of the first three paragraphs open with a
///    Security Council speaker marker (`The President (spoke in French):`, `Mr. Nebenzia (Russian
///    Federation):`) and the first is the President's → security-council-record;
/// 3. a header line is `Press Release`, or the first paragraph starts with `Following are`/`is`
///    → press-release;
/// 4. a header line mentions `Meeting` (`AM & PM Meetings`, `Meetings Coverage`), or the symbol
///    starts with `L/`, `GA/` or `SC/` → meeting-coverage;
/// 5. the title contains `REMARKS`, `SPEECH`, `STATEMENT`, `MESSAGE` or `ADDRESS` (any case) → remarks;
/// 6. otherwise other.
enum KindDetection {
    static func detect(
        fileName: String?, symbol: String?, title: String?, headerLines: [String], paragraphs: [String]
    ) -> DocumentKind {
        if let fileName, GeneralDebateFileName(fileName) != nil { return .generalDebateStatement }
        if let symbol, symbol.uppercased().hasPrefix("S/PV.") { return .securityCouncilRecord }
        let opening = paragraphs.prefix(3)
        if let first = opening.first, first.hasPrefix("The President"), hasSpeakerMarker(first[...]),
            opening.filter({ hasSpeakerMarker($0[...]) }).count >= 2
        {
            return .securityCouncilRecord
        }
        if headerLines.contains(where: { $0.lowercased() == "press release" }) { return .pressRelease }
        if let first = paragraphs.first, first.hasPrefix("Following are ") || first.hasPrefix("Following is ") {
            return .pressRelease
        }
        if headerLines.contains(where: { $0.contains("Meeting") }) { return .meetingCoverage }
        if let symbol, ["L/", "GA/", "SC/"].contains(where: { symbol.uppercased().hasPrefix($0) }) {
            return .meetingCoverage
        }
        if let title = title?.uppercased(),
            ["REMARKS", "SPEECH", "STATEMENT", "MESSAGE", "ADDRESS"].contains(where: { title.contains($0) })
        {
            return .remarks
        }
        return .other
    }

    /// `The President:`, `The President (spoke in French):`, `Mr. Nebenzia (Russian Federation):`,
    /// `Ms. DiCarlo:` — a title word, then at most 120 characters without a full stop
    /// (after the title's own), then `: `.
    static func hasSpeakerMarker(_ text: Substring) -> Bool {
        let titles = [
            "The President", "The Acting President", "The Secretary-General", "Mr. ", "Mrs. ", "Ms. ", "Miss ",
            "Dame ", "Sir ", "Lord ", "Baroness ", "Archbishop ", "Cardinal ",
        ]
        guard let t = titles.first(where: { text.hasPrefix($0) }) else { return false }
        let rest = text.dropFirst(t.count).prefix(120)
        guard let colon = rest.firstIndex(of: ":") else { return false }
        let marker = rest[..<colon]
        return !marker.contains(".") && rest[colon...].hasPrefix(": ")
    }
}
