import Foundation
import NIOCore
import SwiftProtobuf
import Testing
import VerbatimProtocol
import VerbatimServer
import VerbatimWire

@Suite("Server, raw frames")
struct RawProtocolTests {
    @Test func settingsThenGetParagraph() async throws {
        let server = try await TestServer.make()
        let c = try await RawConnection(port: server.port)
        try await c.sendPreface()
        let settingsFrame = try #require(try await c.next())
        #expect(settingsFrame.type == .settings)
        let settings = try Settings(payload: settingsFrame.payload)
        #expect(settings.maxConcurrentStreams == 256)
        var req = Verbatim_V1_GetParagraphRequest()
        req.document = "l/9001"
        req.number = 2
        try await c.send(.request(stream: 1, method: .getParagraph, message: req.buffer))
        let response = try #require(try await c.next())
        #expect(response.type == .response && response.stream == 1)
        let answer = try Verbatim_V1_ParagraphAnswer(serializedBytes: Array(response.payload.readableBytesView))
        #expect(answer.paragraph.text == TestServer.smallTexts[1])
        #expect(answer.paragraph.number == 2)
        let status = try #require(try await c.next())
        #expect(status.type == .status && status.statusParts()?.code == .ok)
        await c.close()
        await server.stop()
    }
}
