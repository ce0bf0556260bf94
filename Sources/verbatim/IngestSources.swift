import Foundation
import VerbatimIngest
import VerbatimModel

/// What the reading side of an ingest hands to the writing side.
enum IngestItem: Sendable {
    /// A parsed document and where it came from.
    case document(Document, source: String, bytes: Int)
    /// A file or record that could not be read or parsed, with the reason.
    case rejected(source: String, reason: String)
    /// A file left out on purpose (not a document format), with the reason.
    case skipped(source: String, reason: String)
}

/// The input formats `verbatim ingest` reads.
enum InputFormat: String, CaseIterable, Sendable {
    case auto, text, jsonl
}

/// Expands the command line's paths into files and reads each into `IngestItem`s.
struct IngestSources: Sendable {
    var paths: [String]
    var format: InputFormat
    var key: String?

    /// Files under the given paths, folders walked recursively in name order.
    func files() -> [String] {
        var out: [String] = []
        for path in paths {
            var isDir: ObjCBool = false
            if path != "-" && FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue {
                let base = URL(fileURLWithPath: path)
                let children = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String]) ?? []
                for child in children.sorted() {
                    var childIsDir: ObjCBool = false
                    let full = base.appendingPathComponent(child).path
                    if FileManager.default.fileExists(atPath: full, isDirectory: &childIsDir), !childIsDir.boolValue {
                        out.append(full)
                    }
                }
            } else {
                out.append(path)
            }
        }
        return out
    }

    /// The format of `file`: the `--format` option, else its extension; nil for a file
    /// found in a folder whose extension is not a document format.
    func format(of file: String, explicit: Bool) -> InputFormat? {
        if format != .auto { return format }
        if file == "-" { return .text }
        let name = file.lowercased()
        if name.hasSuffix(".jsonl") || name.hasSuffix(".jsonl.gz") || name.hasSuffix(".ndjson") { return .jsonl }
        if name.hasSuffix(".txt") || name.hasSuffix(".txt.gz") { return .text }
        return explicit ? .text : nil
    }

    /// Reads every source in order, calling `emit` for each item.
    func read(explicitFiles: Set<String>, _ emit: (IngestItem) -> Void) {
        for file in files() {
            guard let fmt = format(of: file, explicit: explicitFiles.contains(file)) else {
                emit(.skipped(source: file, reason: "not a document format (.txt, .jsonl, .jsonl.gz)"))
                continue
            }
            let handle: FileHandle
            var decompressor: Process?
            do {
                (handle, decompressor) = try open(file)
            } catch {
                // CLIError's localizedDescription on Linux is "The operation could not be completed".
                let reason = (error as? CLIError)?.description ?? error.localizedDescription
                emit(.rejected(source: file, reason: "cannot read: \(reason)"))
                continue
            }
            switch fmt {
            case .jsonl:
                var reader = JSONLinesReader(fileHandle: handle, sourceName: file)
                while let entry = reader.next() {
                    let source = "\(file):\(entry.lineNumber)"
                    switch entry.result {
                    case .success(let record):
                        do {
                            let doc = try DocumentParser.parse(text: record.text, metadata: record.metadata)
                            emit(.document(doc, source: source, bytes: record.text.utf8.count))
                        } catch {
                            emit(.rejected(source: source, reason: error.message))
                        }
                    case .failure(let error):
                        // The source already says `path:line`; do not repeat the reader's `line N: `.
                        let prefix = "line \(entry.lineNumber): "
                        let reason = error.message.hasPrefix(prefix) ? String(error.message.dropFirst(prefix.count)) : error.message
                        emit(.rejected(source: source, reason: reason))
                    }
                }
            case .text, .auto:
                let data = handle.readDataToEndOfFile()
                var metadata = SourceMetadata()
                metadata.key = key
                metadata.fileName = file == "-" ? nil : URL(fileURLWithPath: file).lastPathComponent
                if let name = metadata.fileName, name.hasSuffix(".gz") { metadata.fileName = String(name.dropLast(3)) }
                do {
                    let doc = try DocumentParser.parse(bytes: data, metadata: metadata)
                    emit(.document(doc, source: file, bytes: data.count))
                } catch {
                    emit(.rejected(source: file, reason: error.message))
                }
            }
            if let decompressor {
                decompressor.waitUntilExit()
                if decompressor.terminationStatus != 0 {
                    emit(.rejected(source: file, reason: "gzip could not decompress it (exit \(decompressor.terminationStatus))"))
                }
            }
            if file != "-" { try? handle.close() }
        }
    }

    /// Opens a file, standard input for `-`, or a gzip pipe for `.gz`.
    private func open(_ file: String) throws -> (FileHandle, Process?) {
        if file == "-" { return (FileHandle.standardInput, nil) }
        guard file.lowercased().hasSuffix(".gz") else {
            guard let h = FileHandle(forReadingAtPath: file) else {
                throw CLIError(FileManager.default.fileExists(atPath: file) ? "permission denied" : "no such file")
            }
            return (h, nil)
        }
        guard FileManager.default.isReadableFile(atPath: file) else { throw CLIError("no such file") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-dc", file]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        try p.run()
        return (pipe.fileHandleForReading, p)
    }
}

/// A bounded queue between one producer thread and one consumer.
final class BoundedQueue<Element: Sendable>: @unchecked Sendable {
    private var items: [Element] = []
    private var head = 0
    private var finished = false
    private let capacity: Int
    private let condition = NSCondition()

    init(capacity: Int) { self.capacity = capacity }

    func push(_ e: Element) {
        condition.lock()
        while items.count - head >= capacity { condition.wait() }
        items.append(e)
        condition.broadcast()
        condition.unlock()
    }

    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next element, or nil once the producer finished and the queue is empty.
    func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while head == items.count && !finished { condition.wait() }
        guard head < items.count else { return nil }
        let e = items[head]
        head += 1
        if head > 1024 && head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return e
    }
}
