import Testing
import VerbatimIngest
import VerbatimModel

/// The meetings-coverage seed `L/3282` (../shared/seeds/un-L3282-counter-terrorism-conference.txt).
@Suite("Seed L/3282 (meetings coverage)", .enabled(if: SharedCorpus.isAvailable, "../shared/seeds not found"))
struct SeedMeetingCoverageTests {
    let doc: Document

    init() throws { doc = try SharedCorpus.seed(SharedCorpus.l3282) }

    @Test("the symbol is the key and the kind is meeting coverage")
    func symbolAndKind() {
        #expect(doc.symbol == "L/3282")
        #expect(doc.key == "L/3282")
        #expect(doc.kind == .meetingCoverage)
    }

    @Test("the headline after the symbol is the title")
    func title() {
        #expect(
            doc.title == "Collective Action, Overcoming Information-Sharing Barriers Vital to Tackling Violent "
                + "Extremism, Secretary-General Tells Counter-Terrorism Conference")
    }

    @Test("the meeting lines are header lines, not paragraphs")
    func headerLines() {
        #expect(doc.headerLines == ["High-level Conference on Counter-Terrorism,", "AM & PM Meetings"])
        #expect(doc.date == nil)
    }

    @Test("23 body paragraphs: 9 of summary, 5 + 3 + 3 + 3 under the headings; the footer is not one")
    func paragraphCount() {
        #expect(doc.paragraphs.count == 23)
        #expect(doc.paragraphs.map(\.number) == Array(1...23))
        #expect(doc.paragraphs[0].text.hasPrefix("Tackling terrorism required collective"))
        #expect(doc.paragraphs[22].text.hasPrefix("In May 2015, INTERPOL briefed the Security Council"))
        #expect(!doc.paragraphs.contains { $0.text.contains("For information media") })
    }

    @Test("the four headings label the paragraphs under them")
    func headings() {
        #expect(doc.headings == ["Keynote Address", "Statements", "Session I", "Session II"])
        let labels = doc.paragraphs.map(\.heading)
        #expect(labels[0..<9].allSatisfy { $0 == nil })
        #expect(labels[9..<14].allSatisfy { $0 == "Keynote Address" })  // ¶10–14
        #expect(labels[14..<17].allSatisfy { $0 == "Statements" })  // ¶15–17
        #expect(labels[17..<20].allSatisfy { $0 == "Session I" })  // ¶18–20
        #expect(labels[20..<23].allSatisfy { $0 == "Session II" })  // ¶21–23
        #expect(doc.paragraphs[9].text.hasPrefix("ANTÓNIO GUTERRES, Secretary\u{2011}General"))
        #expect(doc.paragraphs[14].text.hasPrefix("SIMA BAHOUS (Jordan)"))
    }

    @Test("paragraph 4 cites GA/12035 and GA/12036, and no other paragraph cites anything")
    func citedSymbols() {
        #expect(doc.paragraphs[3].citedSymbols == ["GA/12035", "GA/12036"])
        #expect(doc.paragraphs.filter { !$0.citedSymbols.isEmpty }.map(\.number) == [4])
    }

    @Test("quoted passages are found, marks excluded")
    func quotes() throws {
        let p = doc.paragraphs[1]
        let first = try #require(p.quotes.first)
        let scalars = Array(p.text.unicodeScalars)
        let quoted = String(String.UnicodeScalarView(scalars[first]))
        #expect(quoted == "The top priority is that we must work together,")
        #expect(doc.paragraphs.filter { !$0.quotes.isEmpty }.count >= 8)
    }

    @Test("stored text keeps no-break hyphens and the no-break spaces inside a line")
    func textKept() {
        let p = doc.paragraphs[3].text
        #expect(p.contains("Co\u{2011}Facilitators"))
        #expect(p.contains("agreed.\u{00A0} Ms.\u{00A0}Bahous"))
        #expect(!p.hasSuffix(" ") && !p.hasSuffix("\u{00A0}"))
    }
}
