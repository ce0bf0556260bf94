import Testing
@testable import VerbatimModel

@Suite("Matching forms")
struct FoldingTests {
    @Test("text folding unifies case, dashes, quotes and white space but keeps diacritics")
    func text() {
        #expect(Folding.text("Counter\u{2011}Terrorism") == "counter-terrorism")
        #expect(Folding.text("“We  must\u{00A0}work” — together’s") == "'we must work' - together's")
        #expect(Folding.text("  António\tGuterres \n") == "antónio guterres")
        #expect(Folding.text("") == "")
    }

    @Test("name folding also removes diacritics and full stops")
    func name() {
        #expect(Folding.name("ANTÓNIO GUTERRES") == "antonio guterres")
        #expect(Folding.name("Mr. Guterres") == "mr guterres")
        #expect(Folding.name("Michèle Coninsx") == Folding.name("michele CONINSX"))
        #expect(Folding.name("Jürgen") == "jurgen")
    }

    @Test("text and name folding of ASCII, byte by byte, agree with the scalar paths")
    func asciiTextAgrees() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("aZ09 .\t\n\r\u{0B}\u{0C}\u{1F}\u{0}-'\"`^~(),".utf8)
        for _ in 0..<20_000 {
            let bytes = (0..<Int.random(in: 0...12, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(Folding.text(text) == Folding.scalarText(text), "\(bytes)")
            #expect(Folding.name(text) == Folding.scalarName(text), "\(bytes)")
        }
        #expect(Folding.name("Mr. Guterres") == "mr guterres" && Folding.name("Mr. Gutérres") == "mr guterres")
    }

    @Test("symbol folding of ASCII, byte by byte, agrees with the scalar path")
    func asciiSymbolAgrees() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("aZ09/ -.\t\n\r\u{0B}\u{0C}()#¶:,_".utf8.filter { $0 < 0x80 })
        for _ in 0..<20_000 {
            let bytes = (0..<Int.random(in: 0...12, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(Folding.symbol(text) == Folding.scalarSymbol(text), "\(bytes)")
            let folded = bytes.withUnsafeBytes { input in
                withUnsafeTemporaryAllocation(byteCount: max(input.count, 1), alignment: 1) { out in
                    Folding.asciiSymbol(input, into: out).map { String(decoding: out.prefix($0), as: UTF8.self) }
                }
            }
            #expect(folded == Folding.scalarSymbol(text), "\(bytes)")
        }
        #expect(Array("A/RÉS".utf8).withUnsafeBytes { input in
            withUnsafeTemporaryAllocation(byteCount: input.count, alignment: 1) { Folding.asciiSymbol(input, into: $0) }
        } == nil)
        #expect(Folding.symbol("l/3282") == "L/3282" && Folding.symbol("a/rés/1") == "A/RÉS/1")
    }

    @Test("symbol folding ignores case, dash variants and spaces around slashes")
    func symbol() {
        #expect(Folding.symbol("l/3282") == "L/3282")
        #expect(Folding.symbol("GA / 12035") == "GA/12035")
        #expect(Folding.symbol("A/RES/70\u{2013}1") == "A/RES/70-1")
        #expect(Folding.symbol("S/PV.8699  (Resumption 1)") == "S/PV.8699 (RESUMPTION 1)")
    }

    @Test("decomposed input folds like precomposed input")
    func nfc() {
        #expect(Folding.text("Anto\u{0301}nio") == Folding.text("António"))
        #expect("Anto\u{0301}nio".precomposed.unicodeScalars.count == 7)
    }
}

@Suite("Dates")
struct DocumentDateTests {
    @Test("dates parse from ISO and word forms, and reject impossible days")
    func parsing() {
        #expect(DocumentDate(parsing: "2016-11-07") == DocumentDate(year: 2016, month: 11, day: 7))
        #expect(DocumentDate(parsing: "7 November 2016") == DocumentDate(year: 2016, month: 11, day: 7))
        #expect(DocumentDate(parsing: "8 Nov 2016") == DocumentDate(year: 2016, month: 11, day: 8))
        #expect(DocumentDate(parsing: "November 7, 2016") == DocumentDate(year: 2016, month: 11, day: 7))
        #expect(DocumentDate(parsing: "2023") == DocumentDate(year: 2023))
        #expect(DocumentDate(parsing: "31 February 2020") == nil)
        #expect(DocumentDate(parsing: "2019-02-29") == nil)
        #expect(DocumentDate(parsing: "Thank you") == nil)
    }

    @Test("packed dates sort a year before its days and round-trip")
    func packing() {
        let year = DocumentDate(year: 2016)
        let day = DocumentDate(year: 2016, month: 11, day: 7)
        #expect(year.packed == 2016_00_00 && day.packed == 2016_11_07)
        #expect(year < day)
        #expect(DocumentDate(packed: day.packed) == day)
        #expect(DocumentDate(packed: 0) == nil)
        #expect(day.description == "2016-11-07" && year.description == "2016")
    }

    @Test("a long citation leaves the role out exactly when its name folding equals the name's")
    func longCitationRole() {
        let names = ["António Guterres", "antonio guterres", "Mr. Guterres", "MR GUTERRES", "Secretary-General", "", " Éric",
            "eric", "1st Deputy", "ﬁnance", "finance", "İstanbul"]
        for a in names {
            for b in names {
                #expect(Citation.differentNames(a, b) == (Folding.name(a) != Folding.name(b)), "\(a) / \(b)")
            }
        }
        let speaker = Speaker(name: "António Guterres", role: "ANTONIO GUTERRES", affiliation: nil, isRoleOnly: false)
        #expect(Citation.longSpeaker(speaker) == "António Guterres")
        #expect(Citation.longDate(DocumentDate(year: 2018, month: 6, day: 28)) == "28 June 2018")
        #expect(Citation.longDate(DocumentDate(year: 1999, month: 9)) == "September 1999")
        #expect(Citation.longDate(DocumentDate(year: 2018)) == "2018")
        // Numbers are written digit by digit, without a String: every day, years of every width.
        for d in 1...31 { #expect(Citation.longDate(DocumentDate(year: 1946, month: 1, day: d)) == "\(d) January 1946") }
        for y in [1, 9, 10, 99, 100, 999, 1000, 9999] { #expect(Citation.longDate(DocumentDate(year: y)) == "\(y)") }
        for n in [1, 9, 10, 99, 100, 1000, 123_456] {
            #expect(Citation.long(document: "X", title: nil, date: nil, paragraphs: n...n, speaker: nil) == "X, \u{00B6}\(n)")
        }
        #expect(
            Citation.long(document: "L/1", title: " T ", date: DocumentDate(year: 2018, month: 6, day: 28), paragraphs: 4...4,
                speaker: Speaker(name: "A", role: "Chair", affiliation: "B", isRoleOnly: false))
                == "A, Chair (B) \u{2014} \u{201C}T\u{201D}, L/1, 28 June 2018, \u{00B6}4")
    }

    @Test("the head of a long citation built from the title's bytes is the one built from the title")
    func longHeadFromBytes() {
        let titles = ["", "T", "Secretary-General’s remarks", "“Quoted”", " padded ", "\u{00A0}Non-breaking", "Ends in é",
            "Ré", "UN80: a plan (2025)"]
        let dates: [DocumentDate?] = [nil, DocumentDate(year: 2018), DocumentDate(year: 1999, month: 9),
            DocumentDate(year: 2018, month: 6, day: 28), DocumentDate(year: 2024, month: 12, day: 1), DocumentDate(year: 123_456)]
        var built = 0
        for title in titles {
            for date in dates {
                for document in ["L/3282", "SG/SM/19101", "ungdc-1970-USA", "Ré/1"] {
                    let fromBytes = Array(title.utf8).withUnsafeBytes {
                        Citation.longHead(document: document, titleUTF8: $0, date: date)
                    }
                    let plain = title.isEmpty ? nil : title
                    let expected = Citation.longHead(document: document, title: plain, date: date)
                    if let fromBytes {
                        built += 1
                        #expect(fromBytes == expected, "\(title) \(document) \(String(describing: date))")
                    } else {
                        // Only titles that need trimming, or might, are left to the string version.
                        let f = title.utf8.first!, l = title.utf8.last!
                        #expect(!(f > 0x20 && f < 0x7F && l > 0x20 && l < 0x7F), "\(title)")
                    }
                }
            }
        }
        // "", "T", "Secretary-General’s remarks" and "UN80: a plan (2025)", with every date and document.
        #expect(built == 4 * 6 * 4)
    }

    @Test("short citations use the pilcrow, doubled for ranges")
    func citations() {
        #expect(Citation.short(document: "L/3282", paragraph: 12) == "L/3282 \u{00B6}12")
        #expect(Citation.short(document: "L/3282", paragraphs: 3...5) == "L/3282 \u{00B6}\u{00B6}3-5")
        #expect(Citation.short(document: "L/3282", paragraphs: 4...4) == "L/3282 \u{00B6}4")
    }
}
