import Foundation
import Testing
import VerbatimIngest
import VerbatimModel

/// One test per document shape in ../shared/corpus/sample.
@Suite("Corpus sample shapes", .enabled(if: SharedCorpus.isAvailable, "../shared/corpus/sample not found"))
struct SampleShapeTests {
    @Test("a press release: UN-body lines, Press Release, symbol, date, title, then the body")
    func pressRelease() throws {
        let doc = try SharedCorpus.sample("pr_SG-SM-21852.txt")
        #expect(doc.kind == .pressRelease)
        #expect(doc.symbol == "SG/SM/21852")
        #expect(doc.date == DocumentDate(year: 2023, month: 6, day: 21))
        #expect(doc.headerLines == ["Secretary-General", "Statements and Messages", "Press Release"])
        #expect(doc.title?.hasPrefix("People in Need of Humanitarian Assistance at Record Levels") == true)
        #expect(doc.paragraphs.count == 16)
        #expect(doc.paragraphs[0].text.hasPrefix("Following is the text of UN Secretary-General"))
        #expect(doc.paragraphs[1].text == "Excellencies, ladies and gentlemen,")
        #expect(doc.headings.isEmpty)
    }

    @Test("every press release has the body paragraph count of the sample index")
    func pressReleaseCounts() throws {
        let index = try String(
            contentsOf: SharedCorpus.root.appendingPathComponent("corpus/sample-index.tsv"), encoding: .utf8)
        var checked = 0
        for row in index.split(separator: "\n") where row.hasPrefix("pr_") {
            let fields = row.split(separator: "\t", omittingEmptySubsequences: false)
            let name = String(fields[0])
            let expected = Int(fields[7].split(separator: " ")[0])
            let doc = try SharedCorpus.sample(name)
            #expect(doc.paragraphs.count == expected, "\(name)")
            #expect(doc.kind == .pressRelease, "\(name)")
            #expect(doc.symbol == String(fields[2]), "\(name)")
            #expect(doc.date?.description == String(fields[3]), "\(name)")
            checked += 1
        }
        #expect(checked == 17)
    }

    @Test("a Security Council record: Security Council, S/PV symbol, year, then one speech per line")
    func securityCouncil() throws {
        let doc = try SharedCorpus.sample("unsc_S-PV.8745.txt")
        #expect(doc.kind == .securityCouncilRecord)
        #expect(doc.symbol == "S/PV.8745")
        #expect(doc.date == DocumentDate(year: 2020))
        #expect(doc.title == nil)
        #expect(doc.headerLines == ["Security Council"])
        #expect(doc.paragraphs.count == 25)
        #expect(doc.paragraphs[0].text.hasPrefix("The President (spoke in Chinese): In accordance with rule 37"))
        #expect(doc.paragraphs[1].citedSymbols == ["S/PV.8725"])
        #expect(doc.paragraphs[16].citedSymbols == ["resolution 2511 (2020)", "S/2020/70"])
    }

    @Test("a Security Council record whose first speech has no full stop is not given a title")
    func securityCouncilNoTitle() throws {
        let doc = try SharedCorpus.sample("unsc_S-PV.8755.txt")
        #expect(doc.title == nil)
        #expect(doc.paragraphs.count == 20)
        #expect(try SharedCorpus.sample("unsc_S-PV.8728.txt").paragraphs.count == 11)
    }

    @Test("a hard-wrapped statement (1995) loses its page numbers and gets its paragraphs rebuilt")
    func hardWrapped() throws {
        let doc = try SharedCorpus.sample("ungdc_AFG_50_1995.txt")
        #expect(doc.kind == .generalDebateStatement)
        #expect(doc.key == "ungdc_AFG_50_1995")
        #expect(doc.date == DocumentDate(year: 1995))
        #expect(doc.title == nil && doc.headerLines.isEmpty)
        #expect(doc.paragraphs.count == 68)
        #expect(
            doc.paragraphs[0].text
                == "On the eve of the fiftieth anniversary of the United Nations, the representatives of the world’s "
                + "nations are gathered here with hearts full of hope for a better future, as well as for the cause "
                + "of the peace and prosperity of mankind, in an atmosphere of great enthusiasm and animation.")
        // ¶3 runs across the page break after page 6: the number is dropped, the lines joined.
        #expect(
            doc.paragraphs[2].text.hasSuffix(
                "to pronounce itself opposed to the forces aiming to create a "
                    + "bloodbath in an already devastated Afghanistan."))
        // A line ending in a hyphen joins without a space.
        #expect(doc.paragraphs[3].text.contains("unexploded land-mines, 2 million"))
        #expect(doc.paragraphs.allSatisfy { !$0.text.contains("\n") && !$0.text.contains("  ") })
    }

    @Test("a 1991 statement with a byte order mark and CR-only line ends")
    func bomAndCarriageReturns() throws {
        let doc = try SharedCorpus.sample("ungdc_USA_46_1991.txt")
        #expect(doc.paragraphs.count == 27)
        #expect(doc.paragraphs[0].text.hasPrefix("I am honoured to speak with you"))
        #expect(doc.paragraphs.allSatisfy { !$0.text.contains("\r") && $0.text.unicodeScalars.first != "\u{FEFF}" })
        #expect(doc.date == DocumentDate(year: 1991))
    }

    @Test("a 1967 statement with numbered paragraphs and LF+CR breaks keeps the numbers in the text")
    func numberedParagraphs() throws {
        let doc = try SharedCorpus.sample("ungdc_ALB_22_1967.txt")
        #expect(doc.paragraphs.count == 47)
        #expect(doc.paragraphs[0].text.hasPrefix("34. Allow me first of all"))
        #expect(doc.paragraphs[0].sourceNumber == 34)
        #expect(doc.paragraphs[1].sourceNumber == 35)
        #expect(doc.paragraphs.last?.sourceNumber == 79)
    }

    @Test("general-debate statements have no header and take the year from the file name")
    func generalDebate() throws {
        for name in try SharedCorpus.sampleNames(prefix: "ungdc_") {
            let doc = try SharedCorpus.sample(name)
            #expect(doc.kind == .generalDebateStatement, "\(name)")
            #expect(doc.title == nil && doc.symbol == nil && doc.headerLines.isEmpty, "\(name)")
            #expect(doc.date?.year == Int(name.dropLast(4).suffix(4)), "\(name)")
        }
    }

    @Test("paragraph-per-line text is stored unchanged: no line breaks, each paragraph a substring of the source")
    func textNeverRewritten() throws {
        var names = try SharedCorpus.sampleNames(prefix: "pr_") + SharedCorpus.sampleNames(prefix: "unsc_")
        names += ["ungdc_ARG_01_1946.txt", "ungdc_CHN_75_2020.txt", "ungdc_USA_46_1991.txt", "ungdc_ALB_22_1967.txt"]
        for name in names {
            let source = try TextDecoding.decode(SharedCorpus.bytes(SharedCorpus.samples.appendingPathComponent(name)))
            let doc = try SharedCorpus.sample(name)
            for p in doc.paragraphs {
                #expect(!p.text.contains("\n") && !p.text.contains("\r"), "\(name) ¶\(p.number)")
                #expect(source.contains(p.text), "\(name) ¶\(p.number)")
            }
        }
    }

    @Test("every sample parses, with paragraphs numbered 1, 2, 3… and no footer paragraph")
    func everySampleParses() throws {
        let names = try SharedCorpus.sampleNames(prefix: "")
        #expect(names.count == 30)
        for name in names {
            let doc = try SharedCorpus.sample(name)
            #expect(doc.paragraphs.map(\.number) == Array(1...doc.paragraphs.count), "\(name)")
            #expect(!doc.paragraphs.contains { $0.text.hasPrefix("For information media") }, "\(name)")
        }
    }
}
