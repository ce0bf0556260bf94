import Testing
import VerbatimIngest
import VerbatimModel

/// Security Council records: one speaker marker per speech.
struct AttributionCouncilTests {
    func council(_ paragraphs: [String]) -> AttributionResult {
        SpeakerAttributor.attribute(
            AttributionInput(
                kind: .securityCouncilRecord, title: nil, paragraphs: paragraphs.map { (text: $0, heading: nil) },
                metadataSpeaker: nil))
    }

    @Test("a marker gives surname, affiliation and the title-and-name alias; the language note is not affiliation")
    func countryRepresentative() {
        let r = council(["Mr. Nebenzia (Russian Federation) (spoke in Russian): I thank the briefers."])
        let s = r.speakers[0]
        #expect(s.name == "Nebenzia")
        #expect(s.affiliation == "Russian Federation")
        #expect(s.aliases.contains("Mr. Nebenzia"))
        #expect(s.identity == "nebenzia|russian federation")
        #expect(r.assignments[0].attribution == .statement)
    }

    @Test("The President is the role-only President of the Security Council, with or without a language note")
    func president() {
        let r = council([
            "The President (spoke in French): I give the floor to Mr. Ndiaye.",
            "The President: I thank Mr. Ndiaye.",
            "Mr. President (spoke in French): I shall now make a statement.",
        ])
        #expect(r.speakers.count == 1)
        #expect(r.speakers[0].name == "President of the Security Council")
        #expect(r.speakers[0].isRoleOnly)
        #expect(r.speakers[0].aliases.contains("The President"))
        #expect(r.assignments.map(\.speaker) == [0, 0, 0])
    }

    @Test("markers without affiliation: briefers, the Secretary-General, an OCR slip in the President's note")
    func otherMarkers() {
        let r = council([
            "Mr. Ndiaye (spoke in French): I am pleased to present the report.",
            "Ms. DiCarlo: Thank you, Mr. President.",
            "The Secretary-General: I thank the Council.",
            "The President (spoke I thank Mr. Ndiaye for his briefing. in French): I now give the floor.",
            "Mrs. Craft (United States of America): I too would like to pay tribute.",
            "Mr. Jiirgenson (Estonia): First, I would like to join my colleagues.",
        ])
        #expect(
            r.speakers.map(\.name) == [
                "Ndiaye", "DiCarlo", "Secretary-General", "President of the Security Council", "Craft", "Jiirgenson",
            ])
        #expect(r.speakers.map(\.affiliation) == [nil, nil, nil, nil, "United States of America", "Estonia"])
        #expect(r.speakers[2].isRoleOnly)
        #expect(r.assignments.allSatisfy { $0.attribution == .statement })
    }

    @Test("a paragraph without a marker continues the previous speaker; before any marker it has none")
    func unmarkedParagraphContinues() {
        let r = council([
            "Before any marker: this has no speaker.",
            "Mr. Schulz (Germany): Let me begin.",
            "Germany also wishes to say this.",
        ])
        #expect(r.assignments.map(\.speaker) == [nil, 0, 0])
        #expect(r.assignments.map(\.attribution) == [.none, .statement, .continuation])
    }

    @Test("text with a colon that is not a name is not a marker")
    func notAMarker() {
        let r = council([
            "Mr. Schulz (Germany): Let me begin.",
            "The question is: how?",
            "Excellencies: we meet again.",
            "First, on the matter at hand: we agree.",
        ])
        #expect(r.assignments.map(\.attribution) == [.statement, .continuation, .continuation, .continuation])
    }

    @Test("the same representative twice in a meeting is one speaker", .enabled(if: AttributionCorpus.isPresent))
    func sampleRecord() throws {
        let r = SpeakerAttributor.attribute(try AttributionCorpus.council("unsc_S-PV.8745.txt"))
        #expect(r.assignments.allSatisfy { $0.attribution == .statement })
        #expect(r.speakers.filter { $0.name == "Pierce" }.count == 1)
        #expect(r.speaker(named: "Pierce")?.affiliation == "United Kingdom")
        #expect(r.speaker(named: "Singer Weisinger")?.affiliation == "Dominican Republic")
    }

    @Test(
        "the marker of (nearly) every one of the 1,600 speeches of the 2020 bulk file is recognised",
        .enabled(if: AttributionCorpus.isPresent, "../shared/corpus is absent")
    )
    func bulkRecognition() throws {
        let meetings = try AttributionCorpus.councilMeetings()
        var speeches = 0
        var unrecognised: [String] = []
        for meeting in meetings {
            let r = council(meeting.speeches.map(\.text))
            for (n, speech) in meeting.speeches.enumerated() {
                speeches += 1
                let a = r.assignments[n]
                // Recognised: a statement by a speaker one of whose aliases (title and name as
                // written) opens the upstream marker, when upstream found one.
                let aliases = a.speaker.map { r.speakers[$0].aliases } ?? []
                let upstream = speech.marker.map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
                let agrees = upstream.map { m in aliases.contains { m.hasPrefix($0) } } ?? true
                if a.attribution != .statement || !agrees {
                    unrecognised.append(meeting.id + ": " + String(speech.text.prefix(60)))
                }
            }
        }
        #expect(speeches == 1_600)
        // All 1,600 are read, including `Dato Lim Jock Hoi:`, which the upstream regex missed.
        #expect(unrecognised.isEmpty, "\(unrecognised)")
    }
}
