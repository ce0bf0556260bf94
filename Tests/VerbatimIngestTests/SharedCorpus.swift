import Foundation
import VerbatimIngest
import VerbatimModel

/// The shared seeds and corpus samples (`<repo>/../shared`), found from this file's path.
/// Tests that need them are skipped when the folder is absent.
enum SharedCorpus {
    /// `<repo root>/../shared`: the repo root is three levels above this file.
    static let root: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared")

    static var seeds: URL { root.appendingPathComponent("seeds") }
    static var samples: URL { root.appendingPathComponent("corpus/sample") }

    static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: seeds.appendingPathComponent(l3282).path)
            && FileManager.default.fileExists(atPath: samples.path)
    }

    static let l3282 = "un-L3282-counter-terrorism-conference.txt"
    static let dsgRemarks = "un-dsg-remarks-2016-11-07.txt"

    static func bytes(_ url: URL) throws -> [UInt8] { try [UInt8](Data(contentsOf: url)) }

    static func seed(_ name: String) throws -> Document {
        try DocumentParser.parse(
            bytes: bytes(seeds.appendingPathComponent(name)), metadata: SourceMetadata(fileName: name))
    }

    static func sample(_ name: String) throws -> Document {
        try DocumentParser.parse(
            bytes: bytes(samples.appendingPathComponent(name)), metadata: SourceMetadata(fileName: name))
    }

    static func sampleNames(prefix: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: samples.path)
            .filter { $0.hasPrefix(prefix) && $0.hasSuffix(".txt") }.sorted()
    }
}
