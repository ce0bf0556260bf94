import NIOCore

/// Protobuf base-128 varints, for writing message framing around stored bytes.
enum Varint {
    @inline(__always)
    static func size(_ value: Int) -> Int {
        var v = UInt64(value)
        var n = 1
        while v >= 0x80 {
            v >>= 7
            n += 1
        }
        return n
    }

    @inline(__always)
    static func write(_ value: Int, to buffer: inout ByteBuffer) {
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 10) { out in
            put(value, at: out.baseAddress!) - out.baseAddress!
        }
    }

    /// Writes `value` at `p`. - Returns: the byte after it.
    @inline(__always)
    static func put(_ value: Int, at p: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer {
        var v = UInt64(value)
        var q = p
        while v >= 0x80 {
            q.storeBytes(of: UInt8(truncatingIfNeeded: v) | 0x80, as: UInt8.self)
            q += 1
            v >>= 7
        }
        q.storeBytes(of: UInt8(v), as: UInt8.self)
        return q + 1
    }
}

extension ByteBuffer {
    /// A length-delimited protobuf field (a message or bytes, as a repeated element or
    /// set): tag, length, `bytes`.
    mutating func writeField(_ field: Int, _ bytes: UnsafeRawBufferPointer) {
        Varint.write(field << 3 | 2, to: &self)
        Varint.write(bytes.count, to: &self)
        writeBytes(bytes)
    }
}

/// Length-delimited protobuf fields appended to a message's bytes, for responses written
/// around stored bytes, as SwiftProtobuf writes them.
enum MessageBytes {
    /// A message field (set, so written even when empty), or an element of a repeated one.
    static func append(_ field: Int, _ bytes: [UInt8], to out: inout [UInt8]) {
        appendVarint(field << 3 | 2, to: &out)
        appendVarint(bytes.count, to: &out)
        out.append(contentsOf: bytes)
    }

    /// A string field: left out when empty (proto3).
    static func append(_ field: Int, _ string: String, to out: inout [UInt8]) {
        if string.isEmpty { return }
        appendVarint(field << 3 | 2, to: &out)
        appendVarint(string.utf8.count, to: &out)
        out.append(contentsOf: string.utf8)
    }

    /// A varint field: left out when 0 (proto3).
    static func append(_ field: Int, varint value: Int, to out: inout [UInt8]) {
        if value == 0 { return }
        appendVarint(field << 3, to: &out)
        appendVarint(value, to: &out)
    }

    private static func appendVarint(_ value: Int, to out: inout [UInt8]) {
        var v = UInt64(value)
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }
}
