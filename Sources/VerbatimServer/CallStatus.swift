import SwiftProtobuf
import VerbatimStore
import VerbatimWire

/// The one place where errors become call status codes (docs/PROTOCOL.md §5).
enum CallStatus {
    /// A request message that does not parse.
    struct InvalidRequest: Error { var message: String }
    /// A response larger than the frame size.
    struct TooLarge: Error {}
    /// The deadline passed between the items of a stream.
    struct DeadlineExceeded: Error {}
    /// What a stream reads changed under it (a document replaced or deleted mid-stream).
    struct Aborted: Error { var message: String }

    static func of(_ error: any Error) -> (StatusCode, String) {
        switch error {
        case let e as StoreError:
            switch e.code {
            case .notFound: return (.notFound, e.message)
            case .invalidArgument: return (.invalidArgument, e.message)
            case .corrupt: return (.internal, e.message + " (run `verbatim verify`)")
            case .storage, .schemaMismatch: return (.unavailable, e.message)
            case .conflict: return (.failedPrecondition, e.message)
            default: return (.internal, e.message)
            }
        case let e as InvalidRequest: return (.invalidArgument, e.message)
        case is TooLarge: return (.resourceExhausted, "the response is larger than the maximum frame size")
        case is DeadlineExceeded: return (.deadlineExceeded, "deadline exceeded")
        case let e as Aborted: return (.aborted, e.message)
        case is BinaryDecodingError: return (.internal, "a stored record does not decode: \(error) (run `verbatim verify`)")
        default: return (.internal, "\(error)")
        }
    }
}
