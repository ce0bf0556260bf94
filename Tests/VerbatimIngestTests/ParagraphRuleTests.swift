import Testing
import VerbatimIngest
import VerbatimModel

/// Line splitting, headings, numbering and per-paragraph scans on small synthetic texts.
struct ParagraphRuleTests {
    func parse(_ text: String, _ metadata: SourceMetadata = SourceMetadata()) throws -> Document {
        try DocumentParser.parse(text: text, metadata: metadata)
    }

    @Test("LF, CRLF, CR and LF+CR all end lines; each non-empty line is a paragraph")
    func lineEnds() throws {
        let doc = try parse("One.\nTwo.\r\nThree.\rFour.\n\rFive.")
        #expect(doc.paragraphs.map(\.text) == ["One.", "Two.", "Three.", "Four.", "Five."])
    }

    @Test("trailing white space including no-break spaces is trimmed; inner spacing is kept")
    func trimming() throws {
        let doc = try parse("First sentence.  Second one.\u{00A0} \t\nNext.\u{00A0}")
        #expect(doc.paragraphs.map(\.text) == ["First sentence.  Second one.", "Next."])
    }

    @Test("a short capitalised line without final punctuation before a paragraph is a heading")
    func heading() throws {
        let doc = try parse("Intro paragraph here.\n\nSession I\n\nThe session opened.\nIt closed.\n")
        #expect(doc.headings == ["Session I"])
        #expect(doc.paragraphs.map(\.heading) == [nil, "Session I", "Session I"])
        #expect(doc.paragraphs.map(\.number) == [1, 2, 3])
    }

    @Test("short real paragraphs are not headings: salutations, final punctuation, nothing after")
    func notHeadings() throws {
        let text = """
            Excellencies, ladies and gentlemen,
            Thank you.
            Mr. President
            We meet at a difficult time for the world.
            Thank you
            """
        let doc = try parse(text)
        #expect(doc.headings.isEmpty)
        #expect(doc.paragraphs.count == 5)
    }

    @Test("scan debris is not a heading: running headers, single letters, cut sentences, tabs")
    func notHeadingsInScans() throws {
        let body = "A paragraph of the speech that is long enough to be a paragraph by itself, surely."
        for line in ["A/70/PV.15 28/09/2015", "A/PV.1859", "W", "RH", "The same report estimates that", "We\tpay\ta"] {
            let doc = try parse("First paragraph.\n\(line)\n\(body)\n")
            #expect(doc.headings.isEmpty, "\(line)")
            #expect(doc.paragraphs.count == 3, "\(line)")
        }
    }

    @Test("printing boilerplate is not a paragraph: footer, scanning stamp, check against delivery, Page 2|6")
    func boilerplate() throws {
        let text =
            "Check against delivery\nFirst.\nDigitized by Dag Hammarskjold Library\nPage 2|6\n- 7 -\nSecond.\n"
            + "For information media. Not an official record.\n"
        #expect(try parse(text).paragraphs.map(\.text) == ["First.", "Second."])
    }

    @Test("a hard-wrapped text is reflowed: page numbers dropped, short sentence-final lines end paragraphs")
    func hardWrapReflow() throws {
        let lines = [
            "The first paragraph begins on this line and it", "continues on the next line of the same width as",
            "the others in this column of printed text here",
            "and it ends on a short line.", "The second paragraph starts here and runs on to",
            "a second line, then a page break comes right", "12", "",
            "after this line, which is not the end of a para-", "graph at the end of a page. That is all.",
            "Finally a third paragraph with text that is wide",
            "enough to fill the column, ending on this line.",
        ]
        let doc = try parse(lines.joined(separator: "\n"), SourceMetadata(layout: "hard-wrapped"))
        #expect(doc.paragraphs.count == 3)
        #expect(doc.paragraphs[0].text.hasSuffix("printed text here and it ends on a short line."))
        #expect(
            doc.paragraphs[1].text.contains(
                "comes right after this line, which is not the end of a para-graph at the end"))
        #expect(doc.headings.isEmpty)
    }

    @Test("two heading-shaped lines in a row: only the one followed by a paragraph is a heading")
    func headingBeforeHeading() throws {
        let doc = try parse("Opening text here.\nPart One\nSession I\nBody text of the session.\n")
        #expect(doc.headings == ["Session I"])
        #expect(doc.paragraphs.map(\.text) == ["Opening text here.", "Part One", "Body text of the session."])
    }

    @Test("a printed paragraph number stays in the text and is recorded")
    func sourceNumbers() throws {
        let doc = try parse("34. Allow me first.\n35.\tThe Assembly.\n2024 is a year.\n1.5 degrees is the limit.")
        #expect(doc.paragraphs.map(\.sourceNumber) == [34, 35, nil, nil])
        #expect(doc.paragraphs[0].text == "34. Allow me first.")
    }

    @Test("cited symbols: document symbols, resolutions, in order, deduplicated, dashes unified")
    func citedSymbols() throws {
        let text =
            "See A/RES/70/1, S/2020/124 and resolution 2374 (2017); also resolutions 2178 (2014) and "
            + "2396 (2017), A/73/PV.5, S/PV.8728 and again A/RES/70/1 and A/C.3/73/L.5\u{2011}Rev.1."
        let doc = try parse(text)
        #expect(
            doc.paragraphs[0].citedSymbols == [
                "A/RES/70/1", "S/2020/124", "resolution 2374 (2017)", "resolution 2178 (2014)",
                "resolution 2396 (2017)", "A/73/PV.5", "S/PV.8728", "A/C.3/73/L.5-Rev.1",
            ])
    }

    @Test("things that look like symbols but are not: ISIL/Da’esh, and/or, 24/7, 26/6, URLs in lower case")
    func notSymbols() throws {
        let doc = try parse("ISIL/Da’esh and/or 24/7 on 26/6, UN/DESA, www.un.org/en and aGA/123 are not cited.")
        #expect(doc.paragraphs[0].citedSymbols == [])
    }

    @Test("quoted passages: curly pairs, nested pairs inside the outer one, balanced straight quotes")
    func quotes() throws {
        let text = "He said “one “two” three” and \"four\".\n“Unclosed quote continues.\nOdd \" mark."
        let doc = try parse(text)
        #expect(doc.paragraphs[0].quotes == [9..<24, 31..<35])
        #expect(doc.paragraphs[1].quotes == [])
        #expect(doc.paragraphs[2].quotes == [])
    }

    @Test("metadata overrides what the parser infers")
    func metadataOverrides() throws {
        let text = "Press Release\nSG/SM/1\n8 May 2023\n\nA Headline\n\nFollowing are the remarks.\n"
        let doc = try parse(
            text,
            SourceMetadata(
                key: "K1", symbol: "SG/SM/2", title: "T", date: DocumentDate(year: 2020), kind: .remarks))
        #expect(doc.key == "K1")
        #expect(doc.symbol == "SG/SM/2")
        #expect(doc.title == "T")
        #expect(doc.date == DocumentDate(year: 2020))
        #expect(doc.kind == .remarks)
        #expect(doc.paragraphs.map(\.text) == ["Following are the remarks."])
    }

    @Test("the key falls back to the symbol, then the file name, then a hash of the text")
    func keys() throws {
        #expect(try parse("Press Release\nSG/SM/1\n8 May 2023\nHeadline\nBody text.").key == "SG/SM/1")
        #expect(try parse("Body text.", SourceMetadata(fileName: "dir/some-file.txt")).key == "some-file")
        let hashed = try parse("Body text.").key
        #expect(hashed.hasPrefix("doc-") && hashed.count == 20)
        #expect(try parse("Body text.").key == hashed)
    }

    @Test("a General Debate file name gives the kind and the year")
    func generalDebateFileName() throws {
        let doc = try parse("Mr. President,\nWe are here.", SourceMetadata(fileName: "USA_78_2023.txt"))
        #expect(doc.kind == .generalDebateStatement)
        #expect(doc.date == DocumentDate(year: 2023))
        #expect(doc.key == "USA_78_2023")
    }

    @Test("Security Council speaker markers make a record even without its header")
    func securityCouncilMarkers() throws {
        let text = "The President (spoke in French): I give the floor.\nMr. Nebenzia (Russian Federation): Thank you.\n"
        #expect(try parse(text).kind == .securityCouncilRecord)
    }
}
