import Foundation

/// Where the repository, its sample corpus, `../shared` and the built executables are.
public enum TestPaths {
    /// The repository root (this file is `Tests/VerbatimTesting/TestPaths.swift`).
    public static let repository: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }()

    /// The project's own small sample corpus (`samples/`).
    public static let samples = repository + "/samples"

    /// `../shared` beside the repository.
    public static let shared = URL(fileURLWithPath: repository + "/../shared").standardized.path

    /// True when `../shared/seeds` exists.
    public static let hasShared = FileManager.default.fileExists(atPath: shared + "/seeds")

    /// The folder of the running test binary, where SwiftPM also puts the executables.
    public static let products: String = {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // On macOS the binary sits inside a .xctest bundle.
        while dir.pathExtension == "xctest" || dir.lastPathComponent == "MacOS" || dir.lastPathComponent == "Contents" {
            dir = dir.deletingLastPathComponent()
        }
        return dir.path
    }()

    /// The path of a built executable of this package (`verbatim`).
    public static func executable(_ name: String) -> String { products + "/" + name }
}
