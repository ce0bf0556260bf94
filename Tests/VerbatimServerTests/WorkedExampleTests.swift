import NIOCore
import Testing
import VerbatimProtocol
import VerbatimServer
import VerbatimWire

/// The bytes of docs/PROTOCOL.md §6 "Worked example", asserted exactly.
@Suite("Worked example", .timeLimit(.minutes(2)))
struct WorkedExampleTests {
    @Test func getParagraphBytes() async throws {
        let server = try await TestServer.make()
        let c = try await RawConnection(port: server.port)
        try await c.handshake()
        var req = Verbatim_V1_GetParagraphRequest()
        req.document = "L/9001"
        req.number = 2
        var request = ByteBuffer()
        request.writeFrame(.request(stream: 1, method: .getParagraph, deadlineMilliseconds: 1000, message: req.buffer))
        #expect(request.hex == "00 00 00 10 01 00 00 00 00 01 00 01 00 00 03 e8 0a 06 4c 2f 39 30 30 31 10 02")
        try await c.send(Array(request.readableBytesView))
        let response = try #require(try await c.next())
        let status = try #require(try await c.next())
        var bytes = ByteBuffer()
        bytes.writeFrame(response)
        bytes.writeFrame(status)
        #expect(bytes.hex == Self.expectedResponse)
        await c.close()
        await server.stop()
    }

    static let expectedResponse =
        "00 00 00 b0 02 00 00 00 00 01 0a ad 01 08 01 12 06 4c 2f 39 30 30 31 1a 06 4c 2f 39 30 30 31 20 02 2a 46 50 61 72 61 67 72 61 70 68 20 32 20 6f 66 20 74 68 65 20 73 6d 61 6c 6c 20 6d 65 65 74 69 6e 67 3a 20 74 68 65 20 43 6f 75 6e 63 69 6c 20 6d 65 74 20 61 6e 64 20 73 70 6f 6b 65 20 61 74 20 6c 65 6e 67 74 68 2e 32 0a 53 74 61 74 65 6d 65 6e 74 73 3a 27 08 02 12 0b 53 69 6d 61 20 42 61 68 6f 75 73 1a 0e 43 6f 2d 46 61 63 69 6c 69 74 61 74 6f 72 22 06 4a 6f 72 64 61 6e 42 09 73 74 61 74 65 6d 65 6e 74 4a 0a 4c 2f 39 30 30 31 20 c2 b6 32 50 94 dd cf 09 00 00 00 04 03 00 00 00 00 01 00 00 00 00"
}
