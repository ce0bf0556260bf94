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
