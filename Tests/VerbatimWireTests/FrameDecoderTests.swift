import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing
import VerbatimWire

@Suite("Frames")
struct FrameDecoderTests {
    func bytes(_ frames: [Frame]) -> ByteBuffer {
        var b = ByteBuffer()
        for f in frames { b.writeFrame(f) }
        return b
    }

    let frames: [Frame] = [
        .request(stream: 1, method: .getParagraph, deadlineMilliseconds: 250, message: ByteBuffer(bytes: [0x0A, 0x02, 0x4C, 0x31])),
        .status(stream: 1, code: .notFound, message: "unknown document \"L/9999\""),
        .ping(42),
        .goAway(lastStream: 7, code: .noError, message: "shutting down"),
        Frame(type: .response, stream: 3, payload: ByteBuffer()),
    ]

    @Test("every frame split at every offset decodes the same")
    func byteByByte() throws {
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: [(bytes(frames), frames)],
            decoderFactory: { FrameDecoder(maxFrameSize: 1 << 20, expectPreface: false) })
    }

    @Test("a preface and frames fed one byte at a time decode the same as fed at once")
    func prefaceByteByByte() throws {
        var input = ByteBuffer(bytes: Preface.bytes)
        input.writeImmutableBuffer(bytes(frames))
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder(maxFrameSize: 1 << 20, expectPreface: true)))
        while let byte = input.readSlice(length: 1) { try channel.writeInbound(byte) }
        var decoded: [Frame] = []
        while let f = try channel.readInbound(as: Frame.self) { decoded.append(f) }
        #expect(decoded == frames)
        _ = try channel.finish()
    }

    @Test("a truncated frame needs more data and consumes nothing")
    func truncated() throws {
        let whole = bytes([frames[0]])
        for cut in 0..<whole.readableBytes {
            var part = whole.getSlice(at: 0, length: cut)!
            #expect(try FrameDecoder.parse(&part, maxFrameSize: 1 << 20) == nil)
            #expect(part.readableBytes == cut)
        }
    }

    @Test("a length over the limit is a FRAME_TOO_LARGE error before the payload arrives")
    func oversized() {
        var b = ByteBuffer()
        b.writeFrameHeader(type: .request, stream: 1, length: 5_000_000)
        #expect(throws: WireError(.frameTooLarge, "frame of 5000000 bytes exceeds the limit of 4194304")) {
            _ = try FrameDecoder.parse(&b, maxFrameSize: 4 << 20)
        }
    }

    @Test("garbage instead of the preface is rejected at the first wrong byte")
    func badPreface() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder(maxFrameSize: 1024, expectPreface: true)))
        #expect(throws: WireError.self) { try channel.writeInbound(ByteBuffer(string: "GET / HTTP/1.1\r\n")) }
        _ = try? channel.finish()
    }

    @Test("an unknown protocol version is named in the error")
    func badVersion() throws {
        var b = ByteBuffer(bytes: Preface.magic)
        b.writeInteger(UInt16(9))
        b.writeInteger(UInt16(0))
        #expect(throws: WireError(.protocolError, "unsupported protocol version 9; this server speaks 1")) {
            try Preface.validate(b)
        }
    }

    @Test("settings round-trip and unknown ids are ignored")
    func settings() throws {
        var s = Settings()
        s.maxConcurrentStreams = 17
        var payload = s.payload
        payload.writeInteger(UInt16(99))
        payload.writeInteger(UInt32(5))
        #expect(try Settings(payload: payload) == s)
        #expect(throws: WireError.self) { try Settings(payload: ByteBuffer(bytes: [0, 1, 0])) }
    }

    @Test("request, status and goaway parts read back what was written")
    func parts() throws {
        let r = try frames[0].requestParts()
        #expect(r.method == .getParagraph && r.deadlineMilliseconds == 250 && r.message.readableBytes == 4)
        #expect(frames[1].statusParts()! == (StatusCode.notFound, "unknown document \"L/9999\""))
        #expect(frames[3].goAwayParts()! == (7, GoAwayCode.noError, "shutting down"))
        #expect(frames[2].pingData() == 42)
        #expect(throws: WireError.self) { try Frame(type: .request, stream: 1, payload: ByteBuffer(bytes: [0, 1])).requestParts() }
    }
}
