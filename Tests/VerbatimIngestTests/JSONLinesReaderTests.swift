import Foundation
import Testing
import VerbatimIngest
import VerbatimModel

struct JSONLinesReaderTests {
    func parse(_ line: String, _ number: Int = 1) throws(IngestError) -> (text: String, metadata: SourceMetadata) {
        try JSONLinesReader.parse(line: Array(line.utf8), lineNumber: number)
    }

    func error(_ line: String, _ number: Int = 1) -> IngestError? {
        do {
            _ = try parse(line, number)
            return nil
        } catch {
            return error
        }
    }

    @Test("our field names decode into text and metadata")
    func documentedFields() throws {
        let r = try parse(
            #"{"text":"Body.","key":"K","symbol":"SG/SM/1","title":"T","date":"2023-05-09","kind":"remarks","#
                + #""speaker":"Amina Mohammed","speaker_role":"Deputy Secretary-General","affiliation":"UN","#
                + #""layout":"paragraph-per-line","extra":{"ignored":[1,2]}}"#)
        #expect(r.text == "Body.")
        #expect(
            r.metadata
                == SourceMetadata(
                    key: "K", symbol: "SG/SM/1", title: "T", date: DocumentDate(year: 2023, month: 5, day: 9),
                    kind: .remarks, speaker: "Amina Mohammed", speakerRole: "Deputy Secretary-General",
                    affiliation: "UN", layout: "paragraph-per-line"))
    }

    @Test("the corpus's names are aliases: id, doc_type, year, speaker_post, country")
    func corpusAliases() throws {
        let r = try parse(
            #"{"id":"UNGDC:USA_78_2023","doc_type":"general-debate-statement","session":78,"year":2023,"#
                + #""date":null,"country_iso3":"USA","country":"United States","speaker":"Joseph R. Biden","#
                + #""speaker_post":"President","layout":"paragraph-per-line","text":"Hello."}"#)
        #expect(r.metadata.key == "UNGDC:USA_78_2023")
        #expect(r.metadata.kind == .generalDebateStatement)
        #expect(r.metadata.date == DocumentDate(year: 2023))
        #expect(r.metadata.affiliation == "United States")
        #expect(r.metadata.speakerRole == "President")
    }

    @Test("corpus kinds map to ours; unknown kinds are kept as written")
    func kinds() throws {
        #expect(
            try parse(#"{"text":"x","doc_type":"security-council-verbatim-record"}"#).metadata.kind
                == .securityCouncilRecord)
        #expect(try parse(#"{"text":"x","doc_type":"Press Release"}"#).metadata.kind == .pressRelease)
        #expect(try parse(#"{"text":"x","kind":"letter"}"#).metadata.kind == DocumentKind(rawValue: "letter"))
    }

    @Test("a line that is not JSON is invalidJSON with its line number")
    func invalidJSON() {
        let e = error(#"{"text": "unterminated"#, 12)
        #expect(e?.code == .invalidJSON)
        #expect(e?.message.hasPrefix("line 12: invalid JSON: ") == true)
        #expect(error("[1,2]", 4)?.message == "line 4: invalid JSON: expected an object, got array")
    }

    @Test("a record without text is missingText")
    func missingText() {
        let e = error(#"{"id":"x"}"#, 3)
        #expect(e?.code == .missingText)
        #expect(e?.message == #"line 3: missing "text" field"#)
        #expect(error(#"{"text":null}"#)?.code == .missingText)
    }

    @Test("a field of the wrong type is invalidField, naming the field")
    func invalidField() {
        #expect(error(#"{"text":"x","date":5}"#, 7)?.message == #"line 7: field "date" must be a string, got number"#)
        #expect(
            error(#"{"text":"x","date":"yesterday"}"#)?.message == #"line 1: field "date" is not a date: "yesterday""#)
        #expect(error(#"{"text":"x","year":"1990"}"#)?.code == .invalidField)
        #expect(error(#"{"text":"x","year":true}"#)?.code == .invalidField)
        #expect(error(#"{"text":5}"#)?.message == #"line 1: field "text" must be a string, got number"#)
        #expect(
            error(#"{"text":"x","speaker":["a"]}"#)?.message == #"line 1: field "speaker" must be a string, got array"#)
    }

    @Test("the reader streams records across small chunks, skips blank lines and reports bad lines in place")
    func streaming() throws {
        let lines = [
            #"{"text":"Première ligne.","id":"a"}"#, "", #"{"text":"Two.","id":"b"}"#, "not json",
            #"{"text":"Three.","id":"c"}"#,
        ]
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("jsonl-\(UUID().uuidString).jsonl")
        try Data((lines.joined(separator: "\n")).utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var reader = JSONLinesReader(fileHandle: handle, sourceName: "x.jsonl", chunkSize: 7)
        var keys: [String] = []
        var failures: [IngestError] = []
        var numbers: [Int] = []
        while let entry = reader.next() {
            numbers.append(entry.lineNumber)
            switch entry.result {
            case .success(let r): keys.append(r.metadata.key ?? "?")
            case .failure(let e): failures.append(e)
            }
        }
        #expect(keys == ["a", "b", "c"])
        #expect(numbers == [1, 3, 4, 5])
        #expect(failures.map(\.code) == [.invalidJSON])
        #expect(failures.first?.source == "x.jsonl:4")
    }

    @Test("a JSON Lines record parses like the file it came from: BOM and CR-only text")
    func recordText() throws {
        let r = try parse(
            #"{"text":"\ufeffFirst paragraph.\rSecond paragraph.","layout":"paragraph-per-line+cr-only"}"#)
        let doc = try DocumentParser.parse(text: r.text, metadata: r.metadata)
        #expect(doc.paragraphs.map(\.text) == ["First paragraph.", "Second paragraph."])
    }
}
