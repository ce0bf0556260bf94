import NIOCore

/// The server's limits, sent in the SETTINGS frame (docs/PROTOCOL.md §2).
public struct Settings: Hashable, Sendable {
    public var maxFrameSize: Int = 4 << 20
    public var maxConcurrentStreams: Int = 256
    public var idleTimeoutMilliseconds: Int = 60_000
    public var protocolVersion: Int = Int(Preface.version)

    public init() {}

    enum ID: UInt16 {
        case maxFrameSize = 1, maxConcurrentStreams = 2, idleTimeout = 3, protocolVersion = 4
    }

    /// The SETTINGS payload: pairs of id (2 bytes) and value (4 bytes).
    public var payload: ByteBuffer {
        var b = ByteBuffer()
        for (id, v) in [
            (ID.maxFrameSize, maxFrameSize), (.maxConcurrentStreams, maxConcurrentStreams),
            (.idleTimeout, idleTimeoutMilliseconds), (.protocolVersion, protocolVersion),
        ] {
            b.writeInteger(id.rawValue)
            b.writeInteger(UInt32(clamping: v))
        }
        return b
    }

    /// Reads a SETTINGS payload; unknown ids are ignored.
    public init(payload: ByteBuffer) throws {
        var b = payload
        guard b.readableBytes % 6 == 0 else {
            throw WireError(.protocolError, "SETTINGS payload of \(b.readableBytes) bytes is not a whole number of pairs")
        }
        while let id: UInt16 = b.readInteger(), let value: UInt32 = b.readInteger() {
            switch ID(rawValue: id) {
            case .maxFrameSize: maxFrameSize = Int(value)
            case .maxConcurrentStreams: maxConcurrentStreams = Int(value)
            case .idleTimeout: idleTimeoutMilliseconds = Int(value)
            case .protocolVersion: protocolVersion = Int(value)
            case nil: continue
            }
        }
    }
}
