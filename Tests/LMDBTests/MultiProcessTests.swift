import Foundation
import LMDB
import Testing

/// Runs `mdb_load` (Debian's lmdb-utils) as a second process that writes into `path`.
func loadInSecondProcess(path: String, database: String, pairs: [(String, String)]) throws -> Int32 {
    var text = ""
    for (k, v) in pairs { text += "\(k)\n\(v)\n" }
    return try mdbLoad(["-T", "-s", database, path], input: text)
}

/// Runs `mdb_load arguments…` with `input` on its standard input; its exit status.
func mdbLoad(_ arguments: [String], input text: String) throws -> Int32 {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/mdb_load")
    p.arguments = arguments
    let input = Pipe()
    p.standardInput = input
    try p.run()
    input.fileHandleForWriting.write(Data(text.utf8))
    try input.fileHandleForWriting.close()
    p.waitUntilExit()
    return p.terminationStatus
}

let hasMdbLoad = FileManager.default.isExecutableFile(atPath: "/usr/bin/mdb_load")

@Suite("Several processes")
struct MultiProcessTests {
    @Test(
        "a reader keeps its snapshot while a second process writes, and the next read sees the write",
        .enabled(if: hasMdbLoad, "mdb_load missing: tools/setup.sh installs lmdb-utils"))
    func snapshotAcrossProcesses() throws {
        let t = try TempEnvironment()
        let db = try t.env.openDatabase("shared")
        try t.env.write { txn in try txn.put(db, key: "k", value: bytes("old")) }
        try t.env.read { txn in
            let status = try loadInSecondProcess(path: t.path, database: "shared", pairs: [("k", "new"), ("k2", "x")])
            #expect(status == 0)
            // Still the snapshot taken before the other process committed.
            #expect(try txn.get(db, key: "k", string) == "old")
            #expect(try txn.contains(db, key: "k2") == false)
        }
        #expect(try t.env.read { txn in try txn.get(db, key: "k", string) } == "new")
        #expect(try t.env.read { txn in try txn.get(db, key: "k2", string) } == "x")
    }

    @Test(
        "a compacted copy taken while another process writes opens and holds a consistent snapshot",
        .enabled(if: hasMdbLoad, "mdb_load missing: tools/setup.sh installs lmdb-utils"))
    func backupWhileWriting() throws {
        let t = try TempEnvironment()
        let db = try t.env.openDatabase("shared")
        try t.env.write { txn in
            for i in 0..<2_000 { try txn.put(db, key: String(format: "k%05d", i), value: bytes(String(repeating: "v", count: 100))) }
        }
        // Delete half so compaction has something to reclaim.
        try t.env.write { txn in for i in stride(from: 0, to: 2_000, by: 2) { try txn.delete(db, key: String(format: "k%05d", i)) } }
        let dest = t.path + "-copy"
        defer { try? FileManager.default.removeItem(atPath: dest) }
        let done = DispatchSemaphore(value: 0)
        let writer = Thread {
            _ = try? loadInSecondProcess(path: t.path, database: "shared", pairs: (0..<500).map { ("w\($0)", "x") })
            done.signal()
        }
        writer.start()
        try t.env.copy(to: dest)
        done.wait()
        let copy = try Environment(path: dest, options: .init(readOnly: true, create: false))
        let cdb = try copy.openDatabase("shared", create: false)
        let n = try copy.read { txn in try txn.statistics(cdb).entries }
        // mdb_load commits every 100 records: the copy holds a whole number of its commits,
        // never part of one.
        #expect((1_000...1_500).contains(n) && n % 100 == 0, "\(n)")
        #expect(try copy.read { txn in try txn.get(cdb, key: "k00001", string) } == String(repeating: "v", count: 100))
        let original = try FileManager.default.attributesOfItem(atPath: t.path + "/data.mdb")[.size] as! Int
        let copied = try FileManager.default.attributesOfItem(atPath: dest + "/data.mdb")[.size] as! Int
        #expect(copied < original)
    }

    @Test(
        "a map grown by another process is adopted by the next transaction here",
        .enabled(if: hasMdbLoad, "mdb_load missing: tools/setup.sh installs lmdb-utils"))
    func mapGrownByAnotherProcess() throws {
        let t = try TempEnvironment(options: .init(mapSize: 256 * 1024))
        let db = try t.env.openDatabase("shared")
        try t.env.write { txn in try txn.put(db, key: "k", value: bytes("before")) }
        #expect(try t.env.read { txn in try txn.get(db, key: "k", string) } == "before")
        // mdb_load's dump format may set the map size: 8 MiB, and 1.6 MB of values, more
        // than this environment's 256 KiB map can hold.
        var dump = "VERSION=3\nformat=print\ntype=btree\nmapsize=8388608\nHEADER=END\n"
        for i in 0..<400 { dump += " w\(i)\n \(String(repeating: "v", count: 4000))\n" }
        dump += "DATA=END\n"
        #expect(try mdbLoad(["-s", "shared", t.path], input: dump) == 0)
        let entries = try t.env.read { txn in try txn.statistics(db).entries }
        #expect(entries == 401)
        #expect(try t.env.read { txn in try txn.get(db, key: "w399", string) } == String(repeating: "v", count: 4000))
        #expect(try t.env.info().mapSize >= 8_388_608)
        // And this process can write again, in the larger map.
        try t.env.write { txn in try txn.put(db, key: "k", value: bytes("after")) }
        #expect(try t.env.read { txn in try txn.get(db, key: "k", string) } == "after")
    }

    @Test("clearing stale readers on a healthy environment clears none")
    func staleReaders() throws {
        let t = try TempEnvironment()
        #expect(try t.env.clearStaleReaders() == 0)
    }
}
