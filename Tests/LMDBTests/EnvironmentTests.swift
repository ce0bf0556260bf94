import Foundation
import Synchronization
import LMDB
import Testing

/// A fresh environment in a temporary directory, removed when the test ends.
final class TempEnvironment: Sendable {
    let path: String
    let env: Environment

    init(options: Environment.Options = .init()) throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("lmdb-test-\(UUID().uuidString)").path
        env = try Environment(path: path, options: options)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

/// A flag shared by concurrent tasks.
final class Flag: Sendable {
    let value = Atomic<Bool>(false)
}

/// A count shared by concurrent tasks.
final class Counter: Sendable {
    let value = Atomic<Int>(0)
}

/// Writes 400 values of 4 KiB into `db` in one transaction: more than a 256 KiB map holds,
/// so the write grows the map.
func writeMoreThanTheMap(_ env: Environment, _ db: Database) throws {
    let value = [UInt8](repeating: 7, count: 4096)
    try env.write { txn in
        for i in 0..<400 { try txn.put(db, key: BigEndianKey(UInt32(i)), value: value) }
    }
}

func string(_ span: RawSpan) -> String {
    span.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
}

@Suite("Environment and transactions")
struct EnvironmentTests {
    @Test("a value written in a committed transaction is read back")
    func roundTrip() throws {
        let t = try TempEnvironment()
        let db = try t.env.openDatabase("d")
        try t.env.write { txn in try txn.put(db, key: "k", value: bytes("value")) }
        let v = try t.env.read { txn in try txn.get(db, key: "k", string) }
        #expect(v == "value")
        let missing = try t.env.read { txn in try txn.value(db, key: "nope") }
        #expect(missing == nil)
    }

    @Test("a write whose body throws leaves nothing behind")
    func abortOnThrow() throws {
        struct Boom: Error {}
        let t = try TempEnvironment()
        let db = try t.env.openDatabase("d")
        #expect(throws: Boom.self) {
            try t.env.write { txn in
                try txn.put(db, key: "a", value: bytes("1"))
                throw Boom()
            }
        }
        #expect(try t.env.read { txn in try txn.contains(db, key: "a") } == false)
    }

    @Test("an LMDB error carries its code and mdb_strerror text")
    func errorCarriesCode() throws {
        let t = try TempEnvironment()
        let db = try t.env.openDatabase("d")
        try t.env.write { txn in try txn.put(db, key: "k", value: bytes("1")) }
        do {
            try t.env.write { txn in try txn.put(db, key: "k", value: bytes("2"), flags: .noOverwrite) }
            Issue.record("expected keyExists")
        } catch LMDBError.keyExists {
        } catch {
            Issue.record("unexpected \(error)")
        }
        let error = LMDBError(code: .keyExists, operation: "put into d")
        #expect(error.description.contains("MDB_KEYEXIST"))
        #expect(error.description.hasPrefix("put into d: "))
    }

    @Test("opening a path that is not a directory fails with a clear error")
    func openFailure() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("lmdb-file-\(UUID().uuidString)").path
        FileManager.default.createFile(atPath: file, contents: Data("x".utf8))
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect(throws: LMDBError.self) { try Environment(path: file + "/sub", options: .init(create: false)) }
    }

    @Test("cursors visit keys in order and prefixes stop at the first other key")
    func cursorOrder() throws {
        let t = try TempEnvironment()
        let db = try t.env.openDatabase("d")
        try t.env.write { txn in
            for k in ["b2", "a1", "b1", "c1", "b3"] { try txn.put(db, key: k, value: bytes(k.uppercased())) }
        }
        var seen: [String] = []
        try t.env.read { txn in
            try txn.forEach(db, prefix: "b") { k, v in
                seen.append(string(k) + "=" + string(v))
                return true
            }
        }
        #expect(seen == ["b1=B1", "b2=B2", "b3=B3"])
        var all: [String] = []
        try t.env.read { txn in try txn.forEach(db) { k, _ in all.append(string(k)); return all.count < 4 } }
        #expect(all == ["a1", "b1", "b2", "b3"])
    }

    @Test("duplicate-sorted values come back sorted and can be deleted one by one")
    func duplicates() throws {
        let t = try TempEnvironment()
        let db = try t.env.openDatabase("dups", flags: [.duplicateSort, .duplicateFixed])
        try t.env.write { txn in
            for v: UInt32 in [30, 10, 20, 10] { try txn.put(db, key: "k", value: BigEndianKey(v), flags: .noDuplicateData) }
        }
        func values() throws -> [UInt32] {
            try t.env.read { txn in
                var out: [UInt32] = []
                try txn.forEachDuplicate(db, key: "k") { v in
                    out.append(v.withUnsafeBytes { UInt32(bigEndian: $0.loadUnaligned(as: UInt32.self)) })
                    return true
                }
                return out
            }
        }
        #expect(try values() == [10, 20, 30])
        #expect(try t.env.read { txn in try txn.duplicateCount(db, key: "k") } == 3)
        let deleted = try t.env.write { txn in try txn.delete(db, key: "k", value: BigEndianKey(UInt32(20))) }
        #expect(deleted)
        #expect(try values() == [10, 30])
        let deletedMissing = try t.env.write { txn in try txn.delete(db, key: "k", value: BigEndianKey(UInt32(99))) }
        #expect(deletedMissing == false)
    }

    @Test("a full map is enlarged and the write completes; the map generation counts the remap")
    func mapGrowth() throws {
        let t = try TempEnvironment(options: .init(mapSize: 256 * 1024))
        let db = try t.env.openDatabase("d")
        let before = try t.env.info().mapSize
        #expect(t.env.mapGeneration == 0)
        try t.env.write { txn in try txn.put(db, key: "small", value: bytes("v")) }
        #expect(t.env.mapGeneration == 0)
        try writeMoreThanTheMap(t.env, db)
        #expect(try t.env.info().mapSize > before)
        #expect(t.env.mapGeneration >= 1)
        #expect(try t.env.read { txn in try txn.statistics(db).entries } == 401)
    }

    @Test("a snapshot's id is the last committed write's: equal for reads between writes, new after one")
    func snapshotIDs() throws {
        let t = try TempEnvironment()
        let db = try t.env.openDatabase("d")
        try t.env.write { txn in try txn.put(db, key: "k", value: bytes("1")) }
        let a = try t.env.read { $0.snapshotID }
        let b = try t.env.read { $0.snapshotID }
        #expect(a == b)
        try t.env.write { txn in try txn.put(db, key: "k", value: bytes("2")) }
        let c = try t.env.read { $0.snapshotID }
        #expect(c == a + 1)
    }

    @Test("read transactions are reused, not allocated per read")
    func readerReuse() throws {
        let t = try TempEnvironment()
        let db = try t.env.openDatabase("d")
        try t.env.write { txn in try txn.put(db, key: "k", value: bytes("v")) }
        for _ in 0..<10_000 { _ = try t.env.read { txn in try txn.contains(db, key: "k") } }
        // One slot for the pooled reader; LMDB keeps it registered while reset.
        #expect(try t.env.info().readers <= 1)
    }

    @Test("readers on several threads always see whole transactions")
    func concurrentReaders() async throws {
        let t = try TempEnvironment()
        let db = try t.env.openDatabase("d")
        try t.env.write { txn in
            try txn.put(db, key: "a", value: BigEndianKey(UInt64(0)))
            try txn.put(db, key: "b", value: BigEndianKey(UInt64(0)))
        }
        let env = t.env
        func load(_ s: RawSpan) -> UInt64 { s.withUnsafeBytes { UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self)) } }
        let torn = try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                for i in 1...300 as ClosedRange<UInt64> {
                    try env.write { txn in
                        try txn.put(db, key: "a", value: BigEndianKey(i))
                        try txn.put(db, key: "b", value: BigEndianKey(i))
                    }
                }
                return 0
            }
            for _ in 0..<3 {
                group.addTask {
                    var bad = 0
                    for _ in 0..<5_000 {
                        let (a, b) = try env.read { txn in
                            (try txn.get(db, key: "a", load)!, try txn.get(db, key: "b", load)!)
                        }
                        if a != b { bad += 1 }
                    }
                    return bad
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(torn == 0)
        #expect(try env.read { txn in try txn.get(db, key: "a", load) } == 300)
    }

    @Test("readers on several threads keep reading while a writer grows the map again and again")
    func readersDuringGrowth() throws {
        let t = try TempEnvironment(options: .init(mapSize: 256 * 1024))
        let db = try t.env.openDatabase("d")
        try t.env.write { txn in try txn.put(db, key: "n", value: BigEndianKey(UInt32(0))) }
        let env = t.env
        let writes = 40
        let done = Flag()
        let started = Counter()
        let bad = Counter()
        let reads = Counter()
        let finished = DispatchSemaphore(value: 0)
        // Threads of their own (not tasks): readers that spin must not hold up the writer.
        for _ in 0..<3 {
            Thread {
                started.value.add(1, ordering: .releasing)
                func count(_ s: RawSpan) -> UInt32 { s.withUnsafeBytes { UInt32(bigEndian: $0.loadUnaligned(as: UInt32.self)) } }
                while !done.value.load(ordering: .acquiring) {
                    // Every snapshot holds exactly the values its count says.
                    let snapshot = try? env.read { txn in (try txn.get(db, key: "n", count)!, try txn.statistics(db).entries) }
                    if let (n, entries) = snapshot, entries == Int(n) + 1 {
                        reads.value.add(1, ordering: .relaxed)
                    } else {
                        bad.value.add(1, ordering: .relaxed)
                    }
                }
                finished.signal()
            }.start()
        }
        while started.value.load(ordering: .acquiring) < 3 { usleep(100) }
        // Each write adds 100 values of 4 KiB and the count of values written so far.
        let value = [UInt8](repeating: 7, count: 4096)
        for w in 1...writes {
            try env.write { txn in
                for i in 0..<100 { try txn.put(db, key: BigEndianKey(UInt32(w * 1000 + i)), value: value) }
                try txn.put(db, key: "n", value: BigEndianKey(UInt32(w * 100)))
            }
            if w % 4 == 0 { try env.grow() }  // more remaps than the writes alone make
        }
        done.value.store(true, ordering: .releasing)
        for _ in 0..<3 { finished.wait() }
        #expect(bad.value.load(ordering: .relaxed) == 0)
        #expect(reads.value.load(ordering: .relaxed) > 0)
        // 16 MB of values in a map that started at 256 KiB, and 10 more doublings.
        #expect(env.mapGeneration >= 13)
        #expect(try env.read { txn in try txn.statistics(db).entries } == writes * 100 + 1)
    }
}

#if os(Linux)
/// The kernel's flags for this process's mapping of `file` (`VmFlags` in /proc/self/smaps;
/// `hg` is MADV_HUGEPAGE), or nil when it is not mapped.
private func mappingFlags(of file: String) throws -> [Substring]? {
    // Read to the end: String(contentsOfFile:) stops at the first page of a /proc file.
    let handle = try #require(FileHandle(forReadingAtPath: "/proc/self/smaps"))
    defer { try? handle.close() }
    let smaps = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
    var inFile = false
    for line in smaps.split(separator: "\n") {
        if let first = line.first, first.isHexDigit, line.contains("-") {
            inFile = line.hasSuffix(" " + file)
        } else if inFile, line.hasPrefix("VmFlags:") {
            return line.dropFirst("VmFlags:".count).split(separator: " ")
        }
    }
    return nil
}

@Suite("Huge pages")
struct HugePagesTests {
    /// Transparent huge pages are compiled into the kernel (madvise accepts the advice).
    static let kernelHasTHP = FileManager.default.fileExists(atPath: "/sys/kernel/mm/transparent_hugepage/enabled")

    @Test("the map is advised to use huge pages, again after it grows, and not when asked not to")
    func advice() throws {
        let t = try TempEnvironment(options: .init(mapSize: 256 * 1024))
        let file = t.path + "/data.mdb"
        #expect(t.env.hugePagesAdvised == Self.kernelHasTHP)
        #expect(try mappingFlags(of: file)?.contains("hg") == Self.kernelHasTHP)

        let db = try t.env.openDatabase("d")
        let before = try t.env.info().mapSize
        try writeMoreThanTheMap(t.env, db)
        #expect(try t.env.info().mapSize > before)
        #expect(t.env.hugePagesAdvised == Self.kernelHasTHP)
        #expect(try mappingFlags(of: file)?.contains("hg") == Self.kernelHasTHP)

        let plain = try TempEnvironment(options: .init(hugePages: false))
        #expect(plain.env.hugePagesAdvised == false)
        let flags = try mappingFlags(of: plain.path + "/data.mdb")
        #expect(flags != nil)
        #expect(flags?.contains("hg") == false)
    }
}
#endif
