import Foundation
import NIOCore
import SwiftProtobuf
import Testing
import VerbatimProtocol
import VerbatimServer
import VerbatimWire

@Suite("Server, raw frames", .timeLimit(.minutes(2)))
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

    /// GetParagraph request bodies of every shape protobuf allows: the server reads the
    /// plain ones in place and hands the rest to SwiftProtobuf; all must agree.
    @Test func getParagraphRequestShapes() async throws {
        let server = try await TestServer.make()
        let c = try await RawConnection(port: server.port)
        try await c.handshake()
        func field1(_ s: String) -> [UInt8] { [0x0A, UInt8(s.utf8.count)] + Array(s.utf8) }
        let second: [UInt8] = [0x10, 0x02]
        let shapes: [(name: String, body: [UInt8], code: StatusCode, text: String?)] = [
            ("document then number", field1("l/9001") + second, .ok, TestServer.smallTexts[1]),
            ("number then document", second + field1("L/9001"), .ok, TestServer.smallTexts[1]),
            ("padded varint", field1("l/9001") + [0x10, 0x83, 0x80, 0x80, 0x80, 0x00], .ok, TestServer.smallTexts[2]),
            ("unknown field 3", field1("l/9001") + [0x18, 0x07] + second, .ok, TestServer.smallTexts[1]),
            ("document twice, last wins", field1("L/1") + second + field1("l / 9001"), .ok, TestServer.smallTexts[1]),
            ("non-ASCII spacing", field1("l/\u{00A0}9001") + second, .ok, TestServer.smallTexts[1]),
            ("unknown document", field1("L/404") + second, .notFound, nil),
            ("empty document", field1("") + second, .notFound, nil),
            ("no number", field1("l/9001"), .invalidArgument, nil),
            ("past the end", field1("l/9001") + [0x10, 0x09], .notFound, nil),
            ("length past the end", [0x0A, 0x20] + Array("l/9001".utf8) + second, .invalidArgument, nil),
            ("varint cut off", field1("l/9001") + [0x10, 0x80], .invalidArgument, nil),
        ]
        for (i, shape) in shapes.enumerated() {
            let stream = UInt32(2 * i + 1)
            try await c.send(.request(stream: stream, method: .getParagraph, message: ByteBuffer(bytes: shape.body)))
            var frame = try #require(try await c.next())
            if let text = shape.text {
                #expect(frame.type == .response && frame.stream == stream, "\(shape.name)")
                let answer = try Verbatim_V1_ParagraphAnswer(serializedBytes: Array(frame.payload.readableBytesView))
                #expect(answer.paragraph.text == text, "\(shape.name)")
                frame = try #require(try await c.next())
            }
            #expect(frame.type == .status && frame.stream == stream, "\(shape.name)")
            let status = try #require(frame.statusParts())
            #expect(status.code == shape.code, "\(shape.name): \(status.message)")
            switch shape.name {
            case "unknown document": #expect(status.message == "unknown document \"L/404\"")
            case "empty document": #expect(status.message == "unknown document \"\"")
            case "no number": #expect(status.message == "paragraph numbers start at 1, not 0")
            case "past the end": #expect(status.message == "paragraph 9 is past the end of L/9001 (5 paragraphs)")
            case "length past the end", "varint cut off":
                #expect(status.message.hasPrefix("verbatim.v1.GetParagraphRequest does not parse"), "\(status.message)")
            default: break
            }
        }
        await c.close()
        await server.stop()
    }

    /// GetParagraph calls are read at the end of the loop iteration, their paragraphs
    /// prefetched together; a burst that mixes them with other calls, a PING and calls that
    /// fail, in one write, is still answered in the order of its requests, with the right
    /// paragraphs: 200 calls in a row (more than are kept waiting at once), a GetDocument
    /// in the middle (which ends the loop's snapshot). With a second connection open on the
    /// loop, the reads wait for the iteration's end task; alone, for the end of the read.
    @Test(arguments: [false, true])
    func burstAnsweredInRequestOrder(secondConnection: Bool) async throws {
        let server = try await TestServer.make()
        let idle = secondConnection ? try await RawConnection(port: server.port) : nil
        try await idle?.handshake()
        let c = try await RawConnection(port: server.port)
        try await c.handshake()

        enum Expected { case paragraph(String), failure(StatusCode, String), reply, pong }
        var burst = ByteBuffer()
        var expected: [(stream: UInt32, what: Expected)] = []
        var stream: UInt32 = 0
        func get(_ document: String, _ number: UInt32, _ what: Expected) {
            stream += 2
            var r = Verbatim_V1_GetParagraphRequest()
            r.document = document
            r.number = number
            burst.writeFrame(.request(stream: stream, method: .getParagraph, message: r.buffer))
            expected.append((stream, what))
        }
        get("L/9002", 1, .paragraph(TestServer.largeTexts[0]))
        get("L/9002", 2000, .paragraph(TestServer.largeTexts[1999]))
        get("L/404", 1, .failure(.notFound, "unknown document \"L/404\""))
        get("L/9001", 9, .failure(.notFound, "paragraph 9 is past the end of L/9001 (5 paragraphs)"))
        stream += 2
        burst.writeFrame(.request(stream: stream, method: .health, message: Verbatim_V1_HealthRequest().buffer))
        expected.append((stream, .reply))
        burst.writeFrame(.ping(0x0102_0304_0506_0708, ack: false))
        expected.append((0, .pong))
        get("L/9001", 3, .paragraph(TestServer.smallTexts[2]))
        for k in 1...200 as ClosedRange<UInt32> { get("L/9002", 7 * k, .paragraph(TestServer.largeTexts[Int(7 * k) - 1])) }
        stream += 2
        var doc = Verbatim_V1_GetDocumentRequest()
        doc.document = "L/9001"
        burst.writeFrame(.request(stream: stream, method: .getDocument, message: doc.buffer))
        expected.append((stream, .reply))
        get("L/9001", 5, .paragraph(TestServer.smallTexts[4]))
        try await c.send(Array(burst.readableBytesView))

        for (stream, what) in expected {
            var frame = try #require(try await c.next())
            switch what {
            case .pong:
                #expect(frame.type == .ping && frame.flags & Frame.ackFlag != 0)
                continue
            case .paragraph(let text):
                #expect(frame.type == .response && frame.stream == stream)
                let answer = try Verbatim_V1_ParagraphAnswer(serializedBytes: Array(frame.payload.readableBytesView))
                #expect(answer.paragraph.text == text, "stream \(stream)")
                frame = try #require(try await c.next())
            case .reply:
                #expect(frame.type == .response && frame.stream == stream)
                frame = try #require(try await c.next())
            case .failure: break
            }
            #expect(frame.type == .status && frame.stream == stream, "stream \(stream): \(frame.type)")
            let status = try #require(frame.statusParts())
            if case .failure(let code, let message) = what {
                #expect(status.code == code && status.message == message, "stream \(stream): \(status.message)")
            } else {
                #expect(status.code == .ok, "stream \(stream): \(status.message)")
            }
        }
        await c.close()
        await idle?.close()
        await server.stop()
    }

    /// The preface and frames cut into 3-byte pieces, each written on its own: the server
    /// joins them across reads and answers every call.
    @Test func framesSplitAcrossReads() async throws {
        let server = try await TestServer.make()
        let c = try await RawConnection(port: server.port)
        var bytes = ByteBuffer(bytes: Preface.bytes)
        for n in 1...3 {
            var req = Verbatim_V1_GetParagraphRequest()
            req.document = "L/9001"
            req.number = UInt32(n)
            bytes.writeFrame(.request(stream: UInt32(n), method: .getParagraph, message: req.buffer))
        }
        let all = Array(bytes.readableBytesView)
        for start in stride(from: 0, to: all.count, by: 3) {
            try await c.send(Array(all[start..<min(start + 3, all.count)]))
            try await Task.sleep(for: .milliseconds(1))
        }
        #expect(try await c.next()?.type == .settings)
        for n in 1...3 {
            let response = try #require(try await c.next())
            #expect(response.type == .response && response.stream == UInt32(n))
            let answer = try Verbatim_V1_ParagraphAnswer(serializedBytes: Array(response.payload.readableBytesView))
            #expect(answer.paragraph.text == TestServer.smallTexts[n - 1])
            let status = try #require(try await c.next())
            #expect(status.type == .status && status.stream == UInt32(n) && status.statusParts()?.code == .ok)
        }
        await c.close()
        await server.stop()
    }

    /// A STATUS message quoting a huge key is cut to 4,096 bytes at a character boundary.
    @Test func longStatusMessageIsCutAtACharacterBoundary() async throws {
        let server = try await TestServer.make()
        let c = try await RawConnection(port: server.port)
        try await c.handshake()
        var req = Verbatim_V1_GetParagraphRequest()
        req.document = "x" + String(repeating: "é", count: 5000)  // "unknown document \"x" is 19 bytes: 4,096 is mid-"é"
        req.number = 1
        try await c.send(.request(stream: 1, method: .getParagraph, message: req.buffer))
        let status = try #require(try await c.next()?.statusParts())
        #expect(status.code == .notFound)
        #expect(status.message.utf8.count == 4095)
        #expect(status.message == "unknown document \"x" + String(repeating: "é", count: 2038))
        await c.close()
        await server.stop()
    }
}
