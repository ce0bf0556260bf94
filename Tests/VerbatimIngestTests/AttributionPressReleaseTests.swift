import Testing
import VerbatimIngest
import VerbatimModel

/// Press releases: the `Following are …` lead names the speaker of what follows it.
@Suite(.enabled(if: AttributionCorpus.isPresent, "../shared/corpus is absent: the press-release tests need it"))
struct AttributionPressReleaseTests {
    @Test("Following are UN Secretary-General António Guterres’ remarks: he speaks every later paragraph")
    func secretaryGeneral() throws {
        let input = try AttributionCorpus.pressRelease("pr_SG-SM-21806.txt")
        let r = SpeakerAttributor.attribute(input)
        #expect(r.speakers.count == 1)
        let s = try #require(r.speakers.first)
        #expect(s.name == "António Guterres")
        #expect(s.role == "Secretary-General")
        #expect(s.affiliation == nil)
        #expect(s.aliases.contains("UN Secretary-General António Guterres"))
        #expect(s.identity == "antonio guterres")
        #expect(r.assignments[0].speaker == nil)
        #expect(r.assignments[0].attribution == .none)
        let body = r.assignments.dropFirst().dropLast()
        #expect(body.allSatisfy { $0.speaker == 0 && $0.attribution == .document })
        // The closing line is the press office's.
        #expect(input.paragraphs.last?.text == AttributionCorpus.footer)
        #expect(r.assignments.last?.speaker == nil)
    }

    @Test("Following is the text of UN Deputy Secretary-General Amina Mohammed’s remarks: she speaks what follows")
    func deputySecretaryGeneral() throws {
        let r = SpeakerAttributor.attribute(try AttributionCorpus.pressRelease("pr_DSG-SM-1848.txt"))
        let s = try #require(r.speakers.first)
        #expect(s.name == "Amina Mohammed")
        #expect(s.role == "Deputy Secretary-General")
        #expect(!s.isRoleOnly)
        #expect(r.assignments[0].speaker == nil)
        #expect(r.assignments[1].speaker == 0)
    }

    @Test("a video message and a message lead name the Secretary-General too")
    func messageLeads() throws {
        for file in ["pr_SG-SM-21852.txt", "pr_SG-SM-21978.txt", "pr_SG-SM-21951.txt"] {
            let r = SpeakerAttributor.attribute(try AttributionCorpus.pressRelease(file))
            #expect(r.speakers.map(\.name) == ["António Guterres"], "\(file)")
        }
    }

    @Test("a statement issued by the Spokesman is the role-only Spokesman for the Secretary-General's")
    func spokesman() throws {
        let r = SpeakerAttributor.attribute(try AttributionCorpus.pressRelease("pr_SG-SM-21982.txt"))
        let s = try #require(r.speakers.first)
        #expect(s.name == "Spokesman for the Secretary-General")
        #expect(s.isRoleOnly)
        #expect(r.assignments[1].speaker == 0)
    }
}
