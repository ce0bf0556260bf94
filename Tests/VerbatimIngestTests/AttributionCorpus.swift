import Foundation
import VerbatimIngest
import VerbatimModel

/// Attribution inputs built straight from the shared seed and corpus files, without the
/// document parser, so that attribution is tested on its own.
enum AttributionCorpus {
    /// `<repo root>/../shared`; the repo root is three levels above this file.
    static let shared: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared")

    static var isPresent: Bool { FileManager.default.fileExists(atPath: shared.appendingPathComponent("seeds").path) }

    static func lines(_ relative: String) throws -> [String] {
        let text = try String(contentsOf: shared.appendingPathComponent(relative), encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
    }

    static let footer = "For information media. Not an official record."

    /// Body paragraphs of the L/3282 seed: non-empty lines after the headline, headings
    /// (`Keynote Address`, `Statements`, `Session I`, `Session II`) labelling those below them,
    /// the footer left out.
    static func l3282() throws -> AttributionInput {
        let all = try lines("seeds/un-L3282-counter-terrorism-conference.txt")
        let headings: Set<String> = ["Keynote Address", "Statements", "Session I", "Session II"]
        let headline = all.firstIndex { $0.hasPrefix("Collective Action") }!
        var paragraphs: [(text: String, heading: String?)] = []
        var heading: String?
        for line in all[(headline + 1)...] {
            let text = trimmed(line)
            if text.isEmpty || text == footer { continue }
            if headings.contains(text) {
                heading = text
                continue
            }
            paragraphs.append((text, heading))
        }
        return AttributionInput(
            kind: .meetingCoverage, title: trimmed(all[headline]), paragraphs: paragraphs,
            metadataSpeaker: nil)
    }

    /// The Deputy Secretary-General's remarks seed: the title line, body after the dateline.
    static func dsgRemarks() throws -> AttributionInput {
        let all = try lines("seeds/un-dsg-remarks-2016-11-07.txt")
        let dateline = all.firstIndex { $0.hasPrefix("New York, ") }!
        let body = all[(dateline + 1)...].map(trimmed).filter { !$0.isEmpty }
        return AttributionInput(
            kind: .remarks, title: trimmed(all[0]), paragraphs: body.map { ($0, nil) },
            metadataSpeaker: nil)
    }

    /// A sample press release: the title is the first line after the first blank line; the
    /// body is every later non-empty line, the footer included (attribution must skip it).
    static func pressRelease(_ file: String) throws -> AttributionInput {
        let all = try lines("corpus/sample/" + file)
        let blank = all.firstIndex { trimmed($0).isEmpty }!
        let titleLine = all[(blank + 1)...].firstIndex { !trimmed($0).isEmpty }!
        let body = all[(titleLine + 1)...].map(trimmed).filter { !$0.isEmpty }
        return AttributionInput(
            kind: .pressRelease, title: trimmed(all[titleLine]), paragraphs: body.map { ($0, nil) },
            metadataSpeaker: nil)
    }

    /// A sample Security Council record: three header lines, then one speech per paragraph.
    static func council(_ file: String) throws -> AttributionInput {
        let all = try lines("corpus/sample/" + file)
        let body = all.dropFirst(3).map(trimmed).filter { !$0.isEmpty }
        return AttributionInput(
            kind: .securityCouncilRecord, title: nil, paragraphs: body.map { ($0, nil) },
            metadataSpeaker: nil)
    }

    /// One Security Council meeting of the bulk file: its speeches and their upstream markers.
    struct Meeting {
        var id: String
        var speeches: [(text: String, marker: String?)]
    }

    /// Every meeting of `corpus/bulk/unsc-2020-meetings.jsonl.gz`, decompressed with `gzip -dc`.
    static func councilMeetings() throws -> [Meeting] {
        let data = try gunzip(shared.appendingPathComponent("corpus/bulk/unsc-2020-meetings.jsonl.gz"))
        var meetings: [Meeting] = []
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            guard let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                let speeches = object["speeches"] as? [[String: Any]]
            else { continue }
            meetings.append(
                Meeting(
                    id: object["id"] as? String ?? "?",
                    speeches: speeches.map { ($0["text"] as? String ?? "", $0["speaker_marker"] as? String) }))
        }
        return meetings
    }

    static func gunzip(_ file: URL) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc", file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return data
    }

    static func trimmed(_ line: some StringProtocol) -> String {
        var s = Substring(line)
        while let l = s.last, l.isWhitespace { s.removeLast() }
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        return String(s)
    }
}

extension AttributionResult {
    /// The speaker of paragraph `number` (1-based).
    func speaker(ofParagraph number: Int) -> Speaker? {
        assignments[number - 1].speaker.map { speakers[$0] }
    }

    /// The speaker whose canonical name is `name`.
    func speaker(named name: String) -> Speaker? {
        speakers.first { $0.name == name }
    }
}
