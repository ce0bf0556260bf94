import Foundation
import Testing
import VerbatimTesting

/// tools/interop/verbatim_client.py, a client written in Python from docs/PROTOCOL.md and
/// the .proto files alone, against the real daemon.
@Suite("A second implementation of the protocol", .timeLimit(.minutes(2)))
struct InteropTests {
    static let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    @Test(.enabled(if: python != nil, "python3 missing"))
    func pythonClientInteroperates() async throws {
        let server = try await TestServer.make()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.python!)
        p.arguments = [
            TestPaths.repository + "/tools/interop/verbatim_client.py", "--port", "\(server.port)", "check", "l/9001", "5",
        ]
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        await server.stop()
        #expect(p.terminationStatus == 0, "\(errors)")

        struct Para: Decodable { var number: Int; var text: String; var citation: String }
        struct Get: Decodable { var number: Int; var code: Int; var message: String; var paragraph: Para? }
        struct Stream: Decodable { var code: Int; var paragraphs: [Para] }
        struct Health: Decodable { var code: Int; var status: Int; var schema: Int }
        struct Report: Decodable { var settings: [String: Int]; var get: [Get]; var stream: Stream; var health: Health; var ping: String }
        let report = try JSONDecoder().decode(Report.self, from: data)

        #expect(report.settings["4"] == 1 && report.settings["2"] == 256)
        // Five pipelined GetParagraph calls, each matched to its own answer.
        for (i, g) in report.get.prefix(5).enumerated() {
            #expect(g.code == 0 && g.paragraph?.number == i + 1)
            #expect(g.paragraph?.text == TestServer.smallTexts[i])
            #expect(g.paragraph?.citation == "L/9001 ¶\(i + 1)")
        }
        // One past the end: NOT_FOUND with the store's message.
        #expect(report.get.last?.code == 5)
        #expect(report.get.last?.message == "paragraph 6 is past the end of L/9001 (5 paragraphs)")
        #expect(report.stream.code == 0 && report.stream.paragraphs.map(\.text) == TestServer.smallTexts)
        #expect(report.health.code == 0 && report.health.status == 1 && report.health.schema > 0)
        #expect(report.ping == "interop!")
    }
}
