/// A value that can be lent to LMDB as key or value bytes without copying.
public protocol ByteKey {
    /// Calls `body` with the bytes; the pointer is valid only inside `body`.
    func withKeyBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}

extension Array: ByteKey where Element == UInt8 {
    @inlinable
    public func withKeyBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(body)
    }
}

extension ArraySlice: ByteKey where Element == UInt8 {
    @inlinable
    public func withKeyBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(body)
    }
}

extension String: ByteKey {
    /// The UTF-8 bytes, without a terminating NUL.
    @inlinable
    public func withKeyBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var copy = self
        return try copy.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
    }
}

extension UnsafeRawBufferPointer: ByteKey {
    @inlinable
    public func withKeyBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R { try body(self) }
}

/// A big-endian unsigned integer key, so that byte order equals numeric order.
public struct BigEndianKey<Integer: FixedWidthInteger & UnsignedInteger & Sendable>: ByteKey, Sendable {
    public var value: Integer
    @inlinable public init(_ value: Integer) { self.value = value }

    @inlinable
    public func withKeyBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var be = value.bigEndian
        return try withUnsafeBytes(of: &be, body)
    }
}
