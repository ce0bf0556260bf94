import NIOCore

/// The 12 bytes a client sends first: `VERBATIM`, the protocol version, reserved flags.
public enum Preface {
    public static let magic: [UInt8] = Array("VERBATIM".utf8)
    public static let version: UInt16 = 1
    public static let size = 12

    /// The preface bytes.
    public static var bytes: [UInt8] { magic + [0, UInt8(version), 0, 0] }

    /// Reads the preface from the front of `buffer`: true once all 12 bytes were there and
    /// consumed, false (consuming nothing) while they are still coming.
    /// - Throws: `WireError(.protocolError)` as soon as the bytes seen disagree with the
    ///   magic, or for a wrong version.
    public static func read(from buffer: inout ByteBuffer) throws -> Bool {
        let seen = min(buffer.readableBytes, magic.count)
        if let head = buffer.getBytes(at: buffer.readerIndex, length: seen), !magic.starts(with: head) {
            throw WireError(.protocolError, "bad preface: the connection must start with \"VERBATIM\"")
        }
        guard let bytes = buffer.readSlice(length: size) else { return false }
        try validate(bytes)
        return true
    }

    /// Checks a 12-byte preface. - Throws: `WireError(.protocolError)` naming what is wrong.
    public static func validate(_ buffer: ByteBuffer) throws {
        var b = buffer
        guard b.readBytes(length: magic.count) == magic else {
            throw WireError(.protocolError, "bad preface: the connection must start with \"VERBATIM\"")
        }
        let v: UInt16 = b.readInteger()!
        guard v == version else {
            throw WireError(.protocolError, "unsupported protocol version \(v); this server speaks \(version)")
        }
    }
}
