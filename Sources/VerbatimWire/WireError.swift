/// A connection-level protocol error, with the GOAWAY code it is reported with.
public struct WireError: Error, Hashable, Sendable, CustomStringConvertible {
    public var code: GoAwayCode
    public var message: String

    public init(_ code: GoAwayCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}

/// GOAWAY error codes (docs/PROTOCOL.md §5).
public struct GoAwayCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let noError = GoAwayCode(rawValue: 0)
    public static let protocolError = GoAwayCode(rawValue: 1)
    public static let frameTooLarge = GoAwayCode(rawValue: 2)
    public static let timeout = GoAwayCode(rawValue: 3)
    public static let tooManyConnections = GoAwayCode(rawValue: 4)
    public static let internalError = GoAwayCode(rawValue: 5)

    public var description: String {
        switch self {
        case .noError: "NO_ERROR"
        case .protocolError: "PROTOCOL_ERROR"
        case .frameTooLarge: "FRAME_TOO_LARGE"
        case .timeout: "TIMEOUT"
        case .tooManyConnections: "TOO_MANY_CONNECTIONS"
        case .internalError: "INTERNAL_ERROR"
        default: "code \(rawValue)"
        }
    }
}

/// A call's status code: gRPC's numbers (docs/PROTOCOL.md §5).
public struct StatusCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let ok = StatusCode(rawValue: 0)
    public static let cancelled = StatusCode(rawValue: 1)
    public static let unknown = StatusCode(rawValue: 2)
    public static let invalidArgument = StatusCode(rawValue: 3)
    public static let deadlineExceeded = StatusCode(rawValue: 4)
    public static let notFound = StatusCode(rawValue: 5)
    public static let alreadyExists = StatusCode(rawValue: 6)
    public static let permissionDenied = StatusCode(rawValue: 7)
    public static let resourceExhausted = StatusCode(rawValue: 8)
    public static let failedPrecondition = StatusCode(rawValue: 9)
    public static let aborted = StatusCode(rawValue: 10)
    public static let outOfRange = StatusCode(rawValue: 11)
    public static let unimplemented = StatusCode(rawValue: 12)
    public static let `internal` = StatusCode(rawValue: 13)
    public static let unavailable = StatusCode(rawValue: 14)
    public static let dataLoss = StatusCode(rawValue: 15)
    public static let unauthenticated = StatusCode(rawValue: 16)

    public var description: String {
        let names = [
            "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
            "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
            "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
        ]
        return rawValue < names.count ? names[Int(rawValue)] : "code \(rawValue)"
    }
}
