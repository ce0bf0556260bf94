import Testing
import VerbatimIngest
import VerbatimModel

/// Speaker attribution on the two seeds and on small synthetic documents.
@Suite(.enabled(if: AttributionCorpus.isPresent, "../shared/seeds is absent: the seed tests need the shared corpus"))
struct AttributionSeedTests {
    /// Every body paragraph of L/3282, read by hand: its speaker's canonical name (nil for
    /// narration) and how the speaker is recognised.
    static let l3282: [(Int, String?, Paragraph.Attribution)] = [
        (1, nil, .none),  // Tackling terrorism required … delegates heard today …
        (2, "António Guterres", .reported),  // “…,” United Nations Secretary‑General António Guterres said …
        (3, "António Guterres", .continuation),  // …, he said, …
        (4, "Sima Bahous", .reported),  // Sima Bahous (Jordan) and Kai Sauer (Finland), …, agreed.
        (5, "Kai Sauer", .reported),  // Mr. Sauer highlighted …
        (6, "Vladimir Voronkov", .reported),  // Vladimir Voronkov, …, said …
        (7, "Michèle Coninsx", .reported),  // Michèle Coninsx, …, who chaired …, said …
        (8, "Jürgen Stock", .reported),  // Jürgen Stock, …, chairing …, said …
        (9, nil, .none),  // The Conference will reconvene …
        (10, "António Guterres", .statement),  // ANTÓNIO GUTERRES, Secretary‑General …, said …
        (11, "António Guterres", .continuation),  // …, he said, …
        (12, "António Guterres", .continuation),  // “…,” he said.
        (13, "António Guterres", .continuation),  // …, he highlighted …
        (14, "António Guterres", .continuation),  // …, he welcomed …
        (15, "Sima Bahous", .statement),  // SIMA BAHOUS (Jordan), Co‑Facilitator …, said …
        (16, "Kai Sauer", .statement),  // KAI SAUER (Finland) Co‑Facilitator …, recalled …
        (17, "Vladimir Voronkov", .statement),  // VLADIMIR VORONKOV, Under‑Secretary‑General …, said …
        (18, nil, .none),  // The Conference then held …, chaired by Michèle Coninsx, …
        (19, "Michèle Coninsx", .statement),  // Ms. CONINSX said …
        (20, "Michèle Coninsx", .continuation),  // …, she continued.
        (21, nil, .none),  // In the afternoon, the Conference held …, chaired by Jürgen Stock, …
        (22, "Jürgen Stock", .statement),  // Mr. STOCK said …
        (23, "Jürgen Stock", .continuation),  // …, he said.
    ]

    static let coFacilitator =
        "Co\u{2011}Facilitator of the Sixth Review of the United Nations Global Counter\u{2011}Terrorism Strategy"

    @Test("every L/3282 paragraph has its pinned speaker and attribution")
    func l3282Pinned() throws {
        let input = try AttributionCorpus.l3282()
        #expect(input.paragraphs.count == Self.l3282.count)
        let result = SpeakerAttributor.attribute(input)
        #expect(result.assignments.count == input.paragraphs.count)
        for (number, name, attribution) in Self.l3282 {
            #expect(result.speaker(ofParagraph: number)?.name == name, "paragraph \(number)")
            #expect(result.assignments[number - 1].attribution == attribution, "paragraph \(number)")
        }
    }

    @Test("L/3282 lists each person once, in order of first paragraph")
    func l3282SpeakersOnce() throws {
        let result = SpeakerAttributor.attribute(try AttributionCorpus.l3282())
        #expect(
            result.speakers.map(\.name) == [
                "António Guterres", "Sima Bahous", "Kai Sauer", "Vladimir Voronkov", "Michèle Coninsx", "Jürgen Stock",
            ])
        #expect(Set(result.speakers.map(\.identity)).count == result.speakers.count)
    }

    @Test("Guterres: capitals, reported and canonical forms are one speaker with the statement's role")
    func guterres() throws {
        let result = SpeakerAttributor.attribute(try AttributionCorpus.l3282())
        let s = try #require(result.speaker(named: "António Guterres"))
        #expect(s.role == "Secretary\u{2011}General of the United Nations")
        #expect(s.affiliation == nil)
        #expect(!s.isRoleOnly)
        #expect(s.aliases.contains("ANTÓNIO GUTERRES"))
        #expect(s.aliases.contains("António Guterres"))
        #expect(s.aliases.contains("United Nations Secretary\u{2011}General António Guterres"))
        #expect(s.identity == "antonio guterres")
    }

    @Test("Bahous: affiliation from the parentheses, role from the statement, the summary's Ms. form as alias")
    func bahous() throws {
        let result = SpeakerAttributor.attribute(try AttributionCorpus.l3282())
        let s = try #require(result.speaker(named: "Sima Bahous"))
        #expect(s.affiliation == "Jordan")
        #expect(s.role == Self.coFacilitator)
        #expect(s.aliases.contains("SIMA BAHOUS"))
        #expect(s.aliases.contains("Ms. Bahous"))
    }

    @Test("Sauer: an opener without a comma after the affiliation still gives the role")
    func sauer() throws {
        let result = SpeakerAttributor.attribute(try AttributionCorpus.l3282())
        let s = try #require(result.speaker(named: "Kai Sauer"))
        #expect(s.affiliation == "Finland")
        #expect(s.role == Self.coFacilitator)
        #expect(s.aliases.contains("KAI SAUER"))
        #expect(s.aliases.contains("Mr. Sauer"))
    }

    @Test("Coninsx and Stock: a later Ms./Mr. SURNAME resolves to the full name given in the summary")
    func coninsxAndStock() throws {
        let result = SpeakerAttributor.attribute(try AttributionCorpus.l3282())
        let coninsx = try #require(result.speaker(named: "Michèle Coninsx"))
        #expect(coninsx.aliases.contains("Ms. CONINSX"))
        #expect(coninsx.role?.hasPrefix("Assistant Secretary\u{2011}General and Executive Director") == true)
        #expect(coninsx.affiliation == nil)
        let stock = try #require(result.speaker(named: "Jürgen Stock"))
        #expect(stock.aliases.contains("Mr. STOCK"))
        #expect(stock.role == "Secretary\u{2011}General of the International Criminal Police Organization (INTERPOL)")
        #expect(stock.identity == "jurgen stock")
    }

    @Test("the Deputy Secretary-General's remarks: one role-only speaker for every paragraph")
    func dsgRemarks() throws {
        let input = try AttributionCorpus.dsgRemarks()
        let result = SpeakerAttributor.attribute(input)
        #expect(result.speakers.count == 1)
        let s = try #require(result.speakers.first)
        #expect(s.name == "Deputy Secretary-General")
        #expect(s.role == "Deputy Secretary-General")
        #expect(s.isRoleOnly)
        #expect(s.identity == "role:deputy secretary-general")
        #expect(result.assignments.count == input.paragraphs.count)
        #expect(result.assignments.allSatisfy { $0.speaker == 0 && $0.attribution == .document })
    }
}

/// Rules shown on small documents written for the test.
struct AttributionRuleTests {
    func coverage(_ paragraphs: [(String, String?)]) -> AttributionResult {
        SpeakerAttributor.attribute(
            AttributionInput(
                kind: .meetingCoverage, title: nil, paragraphs: paragraphs.map { (text: $0.0, heading: $0.1) },
                metadataSpeaker: nil))
    }

    @Test("narration breaks a continuation chain: a later 'he said' has no speaker")
    func narrationBreaksChain() {
        let r = coverage([
            ("JOHN DOE (Ruritania), Chair of the Committee, said the report was late.", "Statements"),
            ("It had to be finished soon, he said.", "Statements"),
            ("The Committee will meet again on Monday.", "Statements"),
            ("The budget was too small, he said.", "Statements"),
        ])
        #expect(r.assignments.map(\.speaker) == [0, 0, nil, nil])
        #expect(r.assignments.map(\.attribution) == [.statement, .continuation, .none, .none])
        #expect(r.speakers.map(\.name) == ["John Doe"])
        #expect(r.speakers.first?.affiliation == "Ruritania")
    }

    @Test("a person mentioned without a speech verb is not attributed")
    func mentionIsNotAttribution() {
        let r = coverage([
            ("The session was chaired by Jane Roe, President of the Council, who opened it.", nil),
            ("Jane Roe, President of the Council, chaired the second session.", nil),
        ])
        #expect(r.assignments.map(\.speaker) == [nil, nil])
        #expect(r.speakers.isEmpty)
    }

    @Test("Mr. SURNAME said resolves to a speaker named in full in a later paragraph")
    func surnameResolvesForward() {
        let r = coverage([
            ("Mr. DOE said the plan was sound.", "Session I"),
            ("JOHN DOE (Ruritania), Chair of the Committee, said the plan was sound.", "Statements"),
        ])
        #expect(r.speakers.count == 1)
        #expect(r.assignments.map(\.speaker) == [0, 0])
        #expect(r.speakers.first?.aliases.contains("Mr. DOE") == true)
    }

    @Test("a surname that matches no full name becomes a surname-only speaker")
    func unknownSurname() {
        let r = coverage([("Ms. ROE said the plan was sound.", "Statements")])
        #expect(r.speakers.first?.name == "Roe")
        #expect(r.speakers.first?.aliases == ["Ms. ROE", "Roe"])
    }

    @Test("a general-debate statement takes the metadata speaker without its courtesy title")
    func generalDebateMetadata() {
        let metadata = Speaker(name: "Mr. Arce", role: "President", affiliation: "Argentina")
        let r = SpeakerAttributor.attribute(
            AttributionInput(
                kind: .generalDebateStatement, title: nil, paragraphs: [("One.", nil), ("Two.", nil)],
                metadataSpeaker: metadata))
        #expect(r.speakers.count == 1)
        let s = r.speakers[0]
        #expect(s.name == "Arce")
        #expect(s.role == "President")
        #expect(s.affiliation == "Argentina")
        #expect(s.aliases.contains("Mr. Arce"))
        #expect(s.identity == "arce|argentina")
        #expect(r.assignments.map(\.speaker) == [0, 0])
        #expect(r.assignments.allSatisfy { $0.attribution == .document })
    }

    @Test("a general-debate statement without metadata has no speaker")
    func generalDebateWithoutMetadata() {
        let r = SpeakerAttributor.attribute(
            AttributionInput(
                kind: .generalDebateStatement, title: nil, paragraphs: [("One.", nil)], metadataSpeaker: nil))
        #expect(r.speakers.isEmpty)
        #expect(r.assignments.map(\.speaker) == [nil])
    }

    @Test("any kind falls back to the metadata speaker when nothing in the text names one")
    func metadataFallback() {
        let metadata = Speaker(name: "MS. JANE ROE", role: "Minister for Foreign Affairs", affiliation: "Ruritania")
        let r = SpeakerAttributor.attribute(
            AttributionInput(kind: .other, title: "A note", paragraphs: [("One.", nil)], metadataSpeaker: metadata))
        #expect(r.speakers.map(\.name) == ["Jane Roe"])
        #expect(r.speakers.first?.aliases.contains("MS. JANE ROE") == true)
        #expect(r.assignments.first?.attribution == .document)
    }

    @Test("a title naming a person gives that person, with the role before the name")
    func titleNamingAPerson() {
        let r = SpeakerAttributor.attribute(
            AttributionInput(
                kind: .remarks, title: "SECRETARY-GENERAL ANTÓNIO GUTERRES' REMARKS TO THE GENERAL ASSEMBLY",
                paragraphs: [("Thank you.", nil)], metadataSpeaker: nil))
        #expect(r.speakers.first?.name == "António Guterres")
        #expect(r.speakers.first?.role == "Secretary-General")
        #expect(r.speakers.first?.isRoleOnly == false)
    }

    @Test("a role-only title gives way to a metadata person holding that role")
    func titleRoleWithMetadataPerson() {
        let metadata = Speaker(name: "Amina Mohammed", role: "Deputy Secretary-General", affiliation: "UN")
        let r = SpeakerAttributor.attribute(
            AttributionInput(
                kind: .remarks, title: "THE DEPUTY SECRETARY-GENERAL'S REMARKS AT THE COUNCIL",
                paragraphs: [("Thank you.", nil)], metadataSpeaker: metadata))
        #expect(r.speakers.map(\.name) == ["Amina Mohammed"])
        #expect(r.speakers.first?.aliases.contains("THE DEPUTY SECRETARY-GENERAL") == true)
        #expect(r.assignments.first?.attribution == .document)
    }

    @Test("the Secretary-General's remarks title gives the role-only Secretary-General")
    func secretaryGeneralTitle() {
        let r = SpeakerAttributor.attribute(
            AttributionInput(
                kind: .remarks, title: "SECRETARY-GENERAL'S REMARKS AT THE OPENING OF THE SUMMIT",
                paragraphs: [("Thank you.", nil)], metadataSpeaker: nil))
        #expect(r.speakers.first?.name == "Secretary-General")
        #expect(r.speakers.first?.isRoleOnly == true)
    }
}
