import Foundation

/// A directory under the system's temporary folder, removed when the value is released.
public final class TemporaryDirectory: Sendable {
    public let path: String

    public init(_ prefix: String = "verbatim-test") {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// A path inside the directory.
    public func appending(_ name: String) -> String { path + "/" + name }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
