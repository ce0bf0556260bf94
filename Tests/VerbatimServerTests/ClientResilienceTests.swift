import Foundation
import Testing
import VerbatimClient
import VerbatimProtocol
import VerbatimServer
import VerbatimWire

@Suite("Client: reconnection and pool", .timeLimit(.minutes(2)))
struct ClientResilienceTests {
    @Test func reconnectsWithBackoffAfterTheServerRestarts() async throws {
        let first = try await TestServer.make()
        let port = first.port
        let client = try await VerbatimClient.connect(
            port: port, options: .init(initialBackoff: .seconds(1), maximumBackoff: .seconds(1)))
        #expect(try await client.getParagraph(document: "L/9001", number: 1).paragraph.number == 1)
        await first.stop()

        // While the server is down every call fails with UNAVAILABLE; after a failed
        // attempt to reconnect, calls fail at once until the back-off has passed.
        var errors: [VerbatimError] = []
        for _ in 0..<3 {
            do {
                _ = try await client.getParagraph(document: "L/9001", number: 1)
            } catch let e as VerbatimError {
                errors.append(e)
            }
        }
        #expect(errors.count == 3 && errors.allSatisfy { $0.code == .unavailable }, "\(errors)")
        #expect(errors.last?.message.contains("next attempt in") == true, "\(errors)")

        // A server on the same port again: after the back-off, the same client works.
        let second = try await TestServer.make { $0.port = port }
        try await Task.sleep(for: .milliseconds(1300))
        #expect(try await client.getParagraph(document: "L/9001", number: 2).paragraph.number == 2)
        #expect(try await client.health().status == .serving)
        await client.close()
        await second.stop()
    }

    @Test func aPoolSpreadsCallsOverItsConnections() async throws {
        let server = try await TestServer.make()
        let client = try await VerbatimClient.connect(port: server.port, options: .init(connections: 3))
        #expect(server.server.connectionCount == 3)
        let numbers = try await withThrowingTaskGroup(of: (UInt32, UInt32).self) { group in
            for i in 0..<300 {
                let n = UInt32(i % 5 + 1)
                group.addTask { (n, try await client.getParagraph(document: "L/9001", number: n).paragraph.number) }
            }
            return try await group.reduce(into: [(UInt32, UInt32)]()) { $0.append($1) }
        }
        #expect(numbers.count == 300 && numbers.allSatisfy { $0.0 == $0.1 })
        await client.close()
        // Closed calls fail cleanly.
        await #expect { try await client.health() } throws: { ($0 as? VerbatimError)?.code == .unavailable }
        await server.stop()
    }
}
