import NIOCore

extension Frame {
    /// A REQUEST frame: method, deadline in milliseconds (0: none), then the request message.
    public static func request(stream: UInt32, method: Method, deadlineMilliseconds: UInt32 = 0, message: ByteBuffer)
        -> Frame
    {
        var p = ByteBuffer()
        p.reserveCapacity(RequestHeader.size + message.readableBytes)
        p.writeInteger(method.rawValue)
        p.writeInteger(deadlineMilliseconds)
        p.writeImmutableBuffer(message)
        return Frame(type: .request, stream: stream, payload: p)
    }

    /// A STATUS frame: the code, then the UTF-8 message.
    public static func status(stream: UInt32, code: StatusCode, message: String = "") -> Frame {
        var p = ByteBuffer()
        p.writeInteger(code.rawValue)
        p.writeString(message)
        return Frame(type: .status, stream: stream, payload: p)
    }

    /// A GOAWAY frame: the last stream accepted, the error code, the UTF-8 message.
    public static func goAway(lastStream: UInt32, code: GoAwayCode, message: String = "") -> Frame {
        var p = ByteBuffer()
        p.writeInteger(lastStream)
        p.writeInteger(code.rawValue)
        p.writeString(message)
        return Frame(type: .goAway, stream: 0, payload: p)
    }

    /// A PING frame with 8 opaque bytes, or its answer when `ack`.
    public static func ping(_ data: UInt64, ack: Bool = false) -> Frame {
        var p = ByteBuffer()
        p.writeInteger(data)
        return Frame(type: .ping, flags: ack ? ackFlag : 0, stream: 0, payload: p)
    }

    /// A CANCEL frame.
    public static func cancel(stream: UInt32) -> Frame {
        Frame(type: .cancel, stream: stream, payload: ByteBuffer())
    }

    /// The parts of a REQUEST frame. - Throws: `WireError(.protocolError)` when it is too short.
    public func requestParts() throws -> (method: Method, deadlineMilliseconds: UInt32, message: ByteBuffer) {
        var p = payload
        guard let m: UInt16 = p.readInteger(), let d: UInt32 = p.readInteger() else {
            throw WireError(.protocolError, "REQUEST on stream \(stream) has \(payload.readableBytes) bytes; at least 6 needed")
        }
        return (Method(rawValue: m), d, p)
    }

    /// The parts of a STATUS frame, or nil when it is too short.
    public func statusParts() -> (code: StatusCode, message: String)? {
        var p = payload
        guard let c: UInt32 = p.readInteger() else { return nil }
        return (StatusCode(rawValue: c), p.readString(length: p.readableBytes) ?? "")
    }

    /// The parts of a GOAWAY frame, or nil when it is too short.
    public func goAwayParts() -> (lastStream: UInt32, code: GoAwayCode, message: String)? {
        var p = payload
        guard let s: UInt32 = p.readInteger(), let c: UInt32 = p.readInteger() else { return nil }
        return (s, GoAwayCode(rawValue: c), p.readString(length: p.readableBytes) ?? "")
    }

    /// The 8 bytes of a PING frame, or nil when the payload is not 8 bytes.
    public func pingData() -> UInt64? {
        payload.readableBytes == 8 ? payload.getInteger(at: payload.readerIndex) : nil
    }
}
