/// The type byte of a frame (docs/PROTOCOL.md §2). A raw-value struct: unknown types are
/// representable, and receivers ignore them.
public struct FrameType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let request = FrameType(rawValue: 0x01)
    public static let response = FrameType(rawValue: 0x02)
    public static let status = FrameType(rawValue: 0x03)
    public static let cancel = FrameType(rawValue: 0x04)
    public static let ping = FrameType(rawValue: 0x05)
    public static let goAway = FrameType(rawValue: 0x06)
    public static let settings = FrameType(rawValue: 0x07)

    public var description: String {
        switch self {
        case .request: "REQUEST"
        case .response: "RESPONSE"
        case .status: "STATUS"
        case .cancel: "CANCEL"
        case .ping: "PING"
        case .goAway: "GOAWAY"
        case .settings: "SETTINGS"
        default: "type 0x" + String(rawValue, radix: 16)
        }
    }
}
