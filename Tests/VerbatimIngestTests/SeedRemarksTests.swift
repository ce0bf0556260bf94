import Testing
import VerbatimIngest
import VerbatimModel

/// The remarks seed (../shared/seeds/un-dsg-remarks-2016-11-07.txt).
@Suite("Seed DSG remarks 2016-11-07", .enabled(if: SharedCorpus.isAvailable, "../shared/seeds not found"))
struct SeedRemarksTests {
    let doc: Document

    init() throws { doc = try SharedCorpus.seed(SharedCorpus.dsgRemarks) }

    @Test("the kind is remarks and the key comes from the file name")
    func kindAndKey() {
        #expect(doc.kind == .remarks)
        #expect(doc.symbol == nil)
        #expect(doc.key == "un-dsg-remarks-2016-11-07")
    }

    @Test("the dateline gives the date and the place")
    func dateline() {
        #expect(doc.date == DocumentDate(year: 2016, month: 11, day: 7))
        #expect(doc.place == "New York")
    }

    @Test("the title is the first line and its repetition is not a paragraph")
    func title() {
        #expect(
            doc.title == "THE DEPUTY SECRETARY-GENERAL'S REMARKS AT SECURITY COUNCIL OPEN DEBATE ON PEACE "
                + "OPERATIONS FACING ASYMMETRIC THREATS")
        #expect(!doc.paragraphs.contains { $0.text == doc.title })
        #expect(doc.headerLines.isEmpty)
        #expect(doc.headings.isEmpty)
    }

    @Test("38 paragraphs, including two that no blank line separates")
    func paragraphCount() {
        #expect(doc.paragraphs.count == 38)
        #expect(
            doc.paragraphs[0].text
                == "I thank the Government of Senegal for organizing this timely and important meeting.")
        #expect(doc.paragraphs[3].text.hasPrefix("Yesterday again, our peacekeepers in Mali came under attack."))
        #expect(doc.paragraphs[4].text.hasPrefix("For UN peace operations to be able to work safely"))
        #expect(doc.paragraphs[37].text == "Thank you.")
    }

    @Test("trailing no-break spaces are trimmed")
    func trailingSpaces() {
        #expect(doc.paragraphs[0].text.hasSuffix("meeting."))
        #expect(doc.paragraphs[5].text == "The question is: \u{201C}How?\u{201D}")
        #expect(doc.paragraphs[5].quotes == [18..<22])
    }
}
