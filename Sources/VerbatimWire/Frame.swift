import NIOCore

/// One frame: a 10-byte header (length, type, flags, stream) and its payload.
public struct Frame: Sendable, Hashable {
    /// Bytes of the header: length (4), type (1), flags (1), stream (4).
    public static let headerSize = 10
    /// The PING flag that marks an answer.
    public static let ackFlag: UInt8 = 0x01

    public var type: FrameType
    public var flags: UInt8
    public var stream: UInt32
    public var payload: ByteBuffer

    public init(type: FrameType, flags: UInt8 = 0, stream: UInt32, payload: ByteBuffer) {
        self.type = type
        self.flags = flags
        self.stream = stream
        self.payload = payload
    }

    /// Stores a frame header for a payload of `length` bytes at `p`, which must have
    /// `headerSize` bytes (for writers that fill a buffer in place). - Returns: the byte after it.
    @inlinable @inline(__always)
    public static func storeHeader(
        at p: UnsafeMutableRawPointer, type: FrameType, flags: UInt8 = 0, stream: UInt32, length: Int
    ) -> UnsafeMutableRawPointer {
        p.storeBytes(of: UInt32(length).bigEndian, as: UInt32.self)
        p.storeBytes(of: type.rawValue, toByteOffset: 4, as: UInt8.self)
        p.storeBytes(of: flags, toByteOffset: 5, as: UInt8.self)
        p.storeBytes(of: stream.bigEndian, toByteOffset: 6, as: UInt32.self)
        return p + 10
    }
}

extension ByteBuffer {
    /// Writes a frame header for a payload of `length` bytes; the payload must follow.
    @inlinable
    public mutating func writeFrameHeader(type: FrameType, flags: UInt8 = 0, stream: UInt32, length: Int) {
        writeWithUnsafeMutableBytes(minimumWritableBytes: Frame.headerSize) { out in
            Frame.storeHeader(at: out.baseAddress!, type: type, flags: flags, stream: stream, length: length)
                - out.baseAddress!
        }
    }

    /// Writes a whole frame.
    public mutating func writeFrame(_ frame: Frame) {
        writeFrameHeader(type: frame.type, flags: frame.flags, stream: frame.stream, length: frame.payload.readableBytes)
        writeImmutableBuffer(frame.payload)
    }
}
