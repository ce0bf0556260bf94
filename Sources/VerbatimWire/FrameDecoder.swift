import NIOCore

/// Decodes frames from a byte stream; optionally reads the 12-byte client preface first.
///
/// Purpose: the inbound half of both the server and the client pipeline.
/// Notes: a frame longer than `maxFrameSize` and a bad preface throw `WireError`; the handler
/// after it reports them with GOAWAY and closes. Partial input waits for more data.
public struct FrameDecoder: ByteToMessageDecoder, Sendable {
    public typealias InboundOut = Frame

    public let maxFrameSize: Int
    private var expectingPreface: Bool

    /// - Parameters:
    ///   - maxFrameSize: the largest payload accepted.
    ///   - expectPreface: true on the server side, which first reads the client's preface.
    public init(maxFrameSize: Int, expectPreface: Bool) {
        self.maxFrameSize = maxFrameSize
        self.expectingPreface = expectPreface
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if expectingPreface {
            guard try Preface.read(from: &buffer) else { return .needMoreData }
            expectingPreface = false
            return .continue
        }
        guard let frame = try Self.parse(&buffer, maxFrameSize: maxFrameSize) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(frame))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws
        -> DecodingState
    {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }

    /// Reads one frame from `buffer`, or returns nil (consuming nothing) when it is incomplete.
    public static func parse(_ buffer: inout ByteBuffer, maxFrameSize: Int) throws -> Frame? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else { return nil }
        guard length <= maxFrameSize else {
            throw WireError(.frameTooLarge, "frame of \(length) bytes exceeds the limit of \(maxFrameSize)")
        }
        guard buffer.readableBytes >= Frame.headerSize + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: 4)
        let type = FrameType(rawValue: buffer.readInteger()!)
        let flags: UInt8 = buffer.readInteger()!
        let stream: UInt32 = buffer.readInteger()!
        let payload = buffer.readSlice(length: Int(length))!
        return Frame(type: type, flags: flags, stream: stream, payload: payload)
    }
}
