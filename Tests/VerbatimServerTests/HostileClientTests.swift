import Foundation
import Logging
import NIOCore
import Testing
import VerbatimClient
import VerbatimProtocol
import VerbatimServer
import VerbatimWire

@Suite("Server, hostile clients", .timeLimit(.minutes(2)))
struct HostileClientTests {
    /// A well-formed client still gets answers.
    func stillServes(_ server: TestServer) async throws {
        let client = try await VerbatimClient.connect(port: server.port)
        #expect(try await client.getParagraph(document: "L/9001", number: 1).paragraph.number == 1)
        await client.close()
    }

    func paragraphRequest(_ document: String = "L/9001", _ number: UInt32 = 1) -> ByteBuffer {
        var r = Verbatim_V1_GetParagraphRequest()
        r.document = document
        r.number = number
        return r.buffer
    }

    @Test func garbageInsteadOfPreface() async throws {
        let server = try await TestServer.make()
        let c = try await RawConnection(port: server.port)
        try await c.send(Array("GET / HTTP/1.1\r\n\r\n".utf8))
        let frames = try await c.rest()
        #expect(frames.count == 1)
        #expect(frames.first?.goAwayParts()?.code == .protocolError)
        try await stillServes(server)
        await server.stop()
    }

    @Test func frameOverTheLimit() async throws {
        let server = try await TestServer.make { $0.maxFrameSize = 1024 }
        let c = try await RawConnection(port: server.port)
        try await c.handshake()
        var b = ByteBuffer()
        b.writeFrameHeader(type: .request, stream: 1, length: 1_000_000)
        try await c.send(Array(b.readableBytesView))
        let frames = try await c.rest()
        #expect(frames.map { $0.goAwayParts()?.code } == [.frameTooLarge])
        try await stillServes(server)
        await server.stop()
    }

    @Test func truncatedProtobufBody() async throws {
        let server = try await TestServer.make()
        let c = try await RawConnection(port: server.port)
        try await c.handshake()
        var body = paragraphRequest("L/9001", 1)
        body.moveWriterIndex(to: body.writerIndex - 3)  // cut inside the document string
        try await c.send(.request(stream: 7, method: .getParagraph, message: body))
        let status = try #require(try await c.next())
        #expect(status.stream == 7 && status.statusParts()?.code == .invalidArgument)
        // Same connection still works.
        try await c.send(.request(stream: 9, method: .getParagraph, message: paragraphRequest()))
        #expect(try await c.next()?.type == .response)
        #expect(try await c.next()?.statusParts()?.code == .ok)
        await c.close()
        await server.stop()
    }

    @Test("GetParagraph calls read with a frame that ends the connection are answered before its GOAWAY")
    func callsBeforeAConnectionError() async throws {
        let server = try await TestServer.make()
        let c = try await RawConnection(port: server.port)
        try await c.handshake()
        var b = ByteBuffer()
        b.writeFrame(.request(stream: 1, method: .getParagraph, message: paragraphRequest("L/9001", 2)))
        b.writeFrame(.request(stream: 3, method: .getParagraph, message: paragraphRequest("L/9999", 1)))
        b.writeFrame(.request(stream: 5, method: .getParagraph, message: paragraphRequest("L/9001", 99)))
        b.writeFrameHeader(type: .status, stream: 7, length: 0)  // a STATUS frame from a client
        try await c.send(Array(b.readableBytesView))
        let frames = try await c.rest()
        #expect(frames.map(\.type) == [.response, .status, .status, .status, .goAway])
        #expect(frames.map(\.stream) == [1, 1, 3, 5, 0])
        #expect(frames.dropFirst().prefix(3).map { $0.statusParts()?.code } == [.ok, .notFound, .notFound])
        #expect(frames[2].statusParts()?.message == "unknown document \"L/9999\"")
        #expect(frames.last?.goAwayParts()?.code == .protocolError)
        try await stillServes(server)
        await server.stop()
    }

    @Test func unknownMethod() async throws {
        let server = try await TestServer.make()
        let c = try await RawConnection(port: server.port)
        try await c.handshake()
        try await c.send(.request(stream: 3, method: Method(rawValue: 999), message: ByteBuffer()))
        let status = try #require(try await c.next())
        #expect(status.stream == 3 && status.statusParts()?.code == .unimplemented)
        try await c.send(.ping(42))
        let pong = try #require(try await c.next())
        #expect(pong.type == .ping && pong.flags == Frame.ackFlag && pong.pingData() == 42)
        await c.close()
        await server.stop()
    }

    @Test func streamIDReusedWhileInFlight() async throws {
        let server = try await TestServer.make { $0.testingCallDelay = .milliseconds(200) }
        let c = try await RawConnection(port: server.port)
        try await c.handshake()
        try await c.send(.request(stream: 5, method: .getParagraph, message: paragraphRequest()))
        try await c.send(.request(stream: 5, method: .getParagraph, message: paragraphRequest()))
        let frames = try await c.rest()
        #expect(frames.map { $0.goAwayParts()?.code } == [.protocolError])
        try await stillServes(server)
        await server.stop()
    }

    @Test func moreConcurrentStreamsThanTheLimit() async throws {
        let server = try await TestServer.make { $0.maxConcurrentStreams = 4; $0.testingCallDelay = .milliseconds(100) }
        let c = try await RawConnection(port: server.port)
        try await c.handshake()
        for s in 1...6 as ClosedRange<UInt32> {
            try await c.send(.request(stream: s, method: .getParagraph, message: paragraphRequest()))
        }
        var statuses: [UInt32: StatusCode] = [:]
        while statuses.count < 6, let f = try await c.next() {
            if f.type == .status { statuses[f.stream] = f.statusParts()?.code }
        }
        #expect(statuses[5] == .resourceExhausted && statuses[6] == .resourceExhausted)
        #expect((1...4).allSatisfy { statuses[$0] == .ok })
        await c.close()
        await server.stop()
    }

    @Test func handshakeTimeout() async throws {
        let server = try await TestServer.make { $0.handshakeTimeout = .seconds(1) }
        let silent = try await RawConnection(port: server.port)
        #expect(try await silent.rest().map { $0.goAwayParts()?.code } == [.timeout])
        try await stillServes(server)
        await server.stop()
    }

    @Test func idleTimeoutAfterAFrameCutOffMidway() async throws {
        // The handshake timeout is long so that a busy machine cannot make it expire
        // between connecting and sending the preface; the idle timeout is what is tested.
        let server = try await TestServer.make {
            $0.handshakeTimeout = .seconds(60)
            $0.idleTimeout = .milliseconds(800)
        }
        let cut = try await RawConnection(port: server.port)
        try await cut.handshake()
        var b = ByteBuffer()
        b.writeFrame(.request(stream: 1, method: .getParagraph, message: paragraphRequest()))
        // Eight of the ten header bytes, then silence. (On a machine so busy that the idle
        // timeout fired before this write, the write fails and the GOAWAY below is the same.)
        try? await cut.send(Array(b.readableBytesView.prefix(8)))
        #expect(try await cut.rest().map { $0.goAwayParts()?.code } == [.timeout])
        try await stillServes(server)
        await server.stop()
    }

    @Test func connectionsOverTheLimit() async throws {
        let logs = LogCapture()
        let server = try await TestServer.make(logs: logs) { $0.maxConnections = 1 }
        let first = try await RawConnection(port: server.port)
        try await first.handshake()
        let second = try await RawConnection(port: server.port)
        let refused = try await second.rest()
        #expect(refused.map { $0.goAwayParts()?.code } == [.tooManyConnections])
        // The first connection is unaffected.
        try await first.send(.request(stream: 1, method: .getParagraph, message: paragraphRequest()))
        #expect(try await first.next()?.type == .response)
        await first.close()
        // Its slot is freed once the server has seen it close: then a new client gets in.
        for _ in 0..<500 where server.server.connectionCount > 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(server.server.connectionCount == 0)
        let client = try await VerbatimClient.connect(port: server.port)
        #expect(try await client.getParagraph(document: "L/9001", number: 1).paragraph.number == 1)
        await client.close()
        #expect(logs.messages(atLeast: .warning).filter { $0.contains("TOO_MANY_CONNECTIONS") }.count == 1)
        await server.stop()
    }

    @Test func oneLogLinePerRejectedConnection() async throws {
        let logs = LogCapture()
        let server = try await TestServer.make(logs: logs) { $0.maxFrameSize = 1024 }
        let garbage = try await RawConnection(port: server.port)
        try await garbage.send(Array("GET / HTTP/1.1\r\n\r\n".utf8))
        _ = try await garbage.rest()
        let oversized = try await RawConnection(port: server.port)
        try await oversized.handshake()
        var b = ByteBuffer()
        b.writeFrameHeader(type: .request, stream: 1, length: 1_000_000)
        try await oversized.send(Array(b.readableBytesView))
        _ = try await oversized.rest()
        // A call-level error (unknown method) rejects the call, not the connection: no line.
        let unknown = try await RawConnection(port: server.port)
        try await unknown.handshake()
        try await unknown.send(.request(stream: 1, method: Method(rawValue: 999), message: ByteBuffer()))
        #expect(try await unknown.next()?.statusParts()?.code == .unimplemented)
        await unknown.close()
        try await stillServes(server)
        let warnings = logs.messages(atLeast: .warning)
        #expect(warnings.count == 2, "\(warnings)")
        #expect(warnings.contains { $0.contains("PROTOCOL_ERROR") })
        #expect(warnings.contains { $0.contains("FRAME_TOO_LARGE") })
        await server.stop()
    }

    @Test func clientThatNeverReads() async throws {
        let server = try await TestServer.make()
        let c = try await RawConnection(port: server.port)
        try await c.handshake()
        // 20,000 pipelined whole-document streams would be ~3 GB of replies: the server must
        // stop reading instead of buffering them.
        var burst = ByteBuffer()
        var req = Verbatim_V1_StreamDocumentRequest()
        req.document = "L/9002"
        for s in 1...200 as ClosedRange<UInt32> {
            burst.writeFrame(.request(stream: s, method: .streamDocument, message: req.buffer))
        }
        try await c.send(Array(burst.readableBytesView))
        try await Task.sleep(for: .milliseconds(500))
        try await stillServes(server)
        await c.close()
        await server.stop()
    }

    @Test("pipelined calls from a client that never reads stall its writes instead of filling the server's memory")
    func pipelinedCallsFromAClientThatNeverReads() async throws {
        let server = try await TestServer.make()
        // A plain socket with small kernel buffers, written without blocking: once the server
        // stops reading (its outbound bytes over the high-water mark), the writes stall.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        var small: Int32 = 64 << 10
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(server.port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0)
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)

        // Up to 64 MiB of GetParagraph requests (about 300 MB of answers), never reading.
        let limit = 64 << 20
        var pending = Preface.bytes
        var offset = 0
        var stream: UInt32 = 0
        var accepted = 0
        var lastProgress = ContinuousClock.now
        var stalled = false
        while accepted < limit {
            if offset == pending.count {
                var chunk = ByteBuffer()
                for _ in 0..<1000 {
                    stream += 1
                    chunk.writeFrame(
                        .request(stream: stream, method: .getParagraph, message: paragraphRequest("L/9002", stream % 2000 + 1)))
                }
                pending = Array(chunk.readableBytesView)
                offset = 0
            }
            let sent = pending[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent > 0 {
                accepted += sent
                offset += sent
                lastProgress = .now
            } else if sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                // No progress for a whole second: the server has stopped reading.
                if ContinuousClock.now - lastProgress > .seconds(1) {
                    stalled = true
                    break
                }
                var ready = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                _ = poll(&ready, 1, 50)
            } else {
                Issue.record("send failed after \(accepted) bytes: errno \(errno)")
                break
            }
        }
        #expect(stalled, "the server read all \(accepted) bytes of requests without their answers being read")
        #expect(accepted < 32 << 20, "the server took \(accepted) bytes of requests before it stopped reading")
        try await stillServes(server)
        await server.stop()
    }
}
