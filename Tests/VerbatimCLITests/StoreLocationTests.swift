import Foundation
import Testing
import VerbatimTesting

/// Backup, standard input, and where the store is (or is not).
@Suite("backup, stdin and store location")
struct StoreLocationTests {
    @Test("backup writes a store that stats reads with the same counts")
    func backupCopies() throws {
        let store = TestStore()
        try #require(try store.ingest([Samples.folder]).status == 0)
        let dest = store.directory.appending("backups/today")  // parents created too
        let r = try store.run(["backup", dest])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.hasPrefix("backed up 6 documents, 26 paragraphs"), "\(r)")
        let copy = try CLI.run(["stats", "--json", "--db", dest])
        #expect(copy.status == 0, "\(copy)")
        let copied = try JSONDecoder().decode(Stats.self, from: Data(copy.stdout.utf8))
        let original = try store.stats()
        #expect(copied.documents == original.documents)
        #expect(copied.paragraphs == original.paragraphs)
        #expect(copied.speakers == original.speakers)
        #expect(copied.citations == original.citations)
        #expect(copied.textBytes == original.textBytes)
        let verify = try CLI.run(["verify", "--db", dest])
        #expect(verify.status == 0, "\(verify)")
    }

    @Test("backup into a non-empty folder fails with a one-line message and leaves the folder alone")
    func backupIntoNonEmptyFolder() throws {
        let store = TestStore()
        try #require(try store.ingest([Samples.path("VB-SM-7-press-release.txt")]).status == 0)
        let dest = store.directory.appending("occupied")
        let keep = store.file("occupied/keep.txt", "do not touch\n")
        let r = try store.run(["backup", dest])
        #expect(r.status != 0)
        #expect(r.errorLines == ["Error: backup destination \(dest) is not empty"], "\(r)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dest) == ["keep.txt"])
        #expect(try String(contentsOfFile: keep, encoding: .utf8) == "do not touch\n")
    }

    @Test("ingest --format jsonl - reads JSON Lines records from standard input")
    func jsonLinesFromStdin() throws {
        let store = TestStore()
        let r = try store.run(
            ["ingest", "--quiet", "--format", "jsonl", "-"], stdin: try Samples.data("general-debate.jsonl"))
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.summaryCount("added") == 2, "\(r)")
        let p = try store.run(["get", "SAMPLE:PRT_79_2024", "1"])
        #expect(p.status == 0, "\(p)")
        #expect(p.stdout.hasPrefix("SAMPLE:PRT_79_2024 ¶1  Maria Oliveira"), "\(p)")
        #expect(p.stdout.contains("Mr. President, allow me first to congratulate you on your election."))
    }

    @Test("a text document on standard input is stored under --key")
    func textFromStdinWithKey() throws {
        let store = TestStore()
        let text = "Remarks without a symbol.\n\nThe second paragraph of them.\n"
        let r = try store.run(["ingest", "--quiet", "--key", "stdin-note", "-"], stdin: Data(text.utf8))
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.summaryCount("added") == 1, "\(r)")
        let p = try store.run(["get", "stdin-note", "2"])
        #expect(p.status == 0, "\(p)")
        #expect(p.stdout == "stdin-note ¶2\nThe second paragraph of them.\n\n")
    }

    @Test("standard input named twice is refused before anything is read")
    func stdinTwice() throws {
        let store = TestStore()
        let r = try store.run(["ingest", "-", "-"], stdin: Data("Text.\n".utf8))
        #expect(r.status != 0)
        #expect(r.errorLines.first == "Error: standard input (-) can be read only once", "\(r)")
        #expect(!FileManager.default.fileExists(atPath: store.path))
    }

    @Test(
        "a read command on a missing store is one line naming verbatim ingest, and creates nothing",
        arguments: [
            ["stats"], ["docs"], ["get", "VB/1001", "1"], ["speakers"], ["speaker", "Guterres"], ["verify"],
            ["backup", "BACKUP"], ["delete", "VB/1001"],
        ])
    func missingStore(_ command: [String]) throws {
        let dir = TemporaryDirectory("verbatim-cli")
        let storePath = dir.appending("missing/store")
        let args = command.map { $0 == "BACKUP" ? dir.appending("backup") : $0 }
        let r = try CLI.run(args + ["--db", storePath])
        #expect(r.status != 0)
        #expect(
            r.errorLines == ["Error: no store at \(storePath): ingest documents first (verbatim ingest PATH), or pass --db"],
            "\(r)")
        #expect(!FileManager.default.fileExists(atPath: dir.appending("missing")), "the store's folder was created")
        #expect(!FileManager.default.fileExists(atPath: dir.appending("backup")), "the backup folder was created")
    }

    @Test("without --db the store is $VERBATIM_DB")
    func storeFromEnvironment() throws {
        let store = TestStore()
        var env = CLI.baseEnvironment
        env["VERBATIM_DB"] = store.path
        let r = try CLI.run(["ingest", "--quiet", Samples.path("VB-SM-7-press-release.txt")], environment: env)
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains("into \(store.path)"))
        #expect(try store.stats().documents == 1)
    }

    @Test("without --db or $VERBATIM_DB the store is under $XDG_DATA_HOME, else ~/.local/share")
    func defaultStoreLocation() throws {
        let dir = TemporaryDirectory("verbatim-cli")
        var env = CLI.baseEnvironment
        env["HOME"] = dir.path
        let home = try CLI.run(["stats"], environment: env)
        #expect(home.errorLines.first?.hasPrefix("Error: no store at \(dir.path)/.local/share/verbatim/store:") == true, "\(home)")
        env["XDG_DATA_HOME"] = dir.appending("xdg")
        let xdg = try CLI.run(["stats"], environment: env)
        #expect(xdg.errorLines.first?.hasPrefix("Error: no store at \(dir.path)/xdg/verbatim/store:") == true, "\(xdg)")
    }
}
