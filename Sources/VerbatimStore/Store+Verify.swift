import Foundation
import LMDB
import VerbatimModel
import VerbatimProtocol

/// One disagreement between an index and the primary data, found by `Store.verify()`.
public struct VerifyProblem: Sendable, Hashable, CustomStringConvertible {
    /// The database where the problem shows (`paras`, `refs`, `speaker_paras`, …).
    public var database: String
    public var message: String
    public var description: String { "\(database): \(message)" }
}

extension Store {
    /// Walks every database on one snapshot and reports each entry that disagrees with
    /// the primary data: documents and their paragraphs, the key index, the speaker
    /// records, names and postings, the cross-reference index, the phrase index and the counters.
    /// An empty result means the store is consistent. Read-only; safe while serving.
    public func verify() throws(StoreError) -> [VerifyProblem] {
        try read { snap in try snap.verify() }
    }
}

extension Snapshot {
    func verify() throws -> [VerifyProblem] {
        var problems: [VerifyProblem] = []
        func report(_ db: String, _ m: String) { problems.append(VerifyProblem(database: db, message: m)) }

        // Documents, keys and paragraphs; collect what the indexes should hold.
        var expectedKeys: [String: UInt32] = [:]
        var expectedSpeakerParas = Set<[UInt8]>()
        var expectedRefs = Set<String>()
        var speakerParagraphs: [UInt32: Int] = [:]
        var speakerDocuments: [UInt32: Int] = [:]
        var speakerAliases: [UInt32: [String: Int]] = [:]
        var paragraphKeysSeen = 0
        var paragraphCounts: [UInt32: Int] = [:]
        var textBytes: UInt64 = 0
        try txn.forEach(schema.docs) { key, value in
            let id = Keys.u32(key)
            let doc: DocumentRecord
            do { doc = try DocumentRecord(span: value) } catch {
                report("docs", "document \(id) does not decode: \(error)")
                return true
            }
            if doc.id != id { report("docs", "document stored under id \(id) says id \(doc.id)") }
            paragraphCounts[id] = Int(doc.paragraphCount)
            expectedKeys[Folding.symbol(doc.key)] = id
            if !doc.symbol.isEmpty { expectedKeys[Folding.symbol(doc.symbol)] = id }
            textBytes += doc.textBytes
            for ds in doc.speakers {
                speakerDocuments[ds.speakerID, default: 0] += 1
                for a in Set(ds.aliases) { speakerAliases[ds.speakerID, default: [:]][a, default: 0] += 1 }
            }
            var bytes: UInt64 = 0
            for n in 1...max(doc.paragraphCount, 1) where n <= doc.paragraphCount {
                let stored: ParagraphRecord?
                do { stored = try paragraph(documentID: id, number: n) } catch {
                    report("paras", "\(doc.key) paragraph \(n) cannot be read: \(StoreError.wrap(error).message)")
                    continue
                }
                guard let p = stored else {
                    report("paras", "\(doc.key) paragraph \(n) is missing (\(doc.paragraphCount) expected)")
                    continue
                }
                paragraphKeysSeen += 1
                bytes += UInt64(p.text.utf8.count)
                if p.documentID != id || p.number != n {
                    report("paras", "\(doc.key) paragraph \(n) says document \(p.documentID) paragraph \(p.number)")
                }
                if p.hasSpeaker {
                    speakerParagraphs[p.speaker.id, default: 0] += 1
                    expectedSpeakerParas.insert(
                        Keys.id(p.speaker.id).bytes + Keys.speakerPosting(date: p.date, doc: id, number: n))
                }
                for s in Set(p.citedSymbols.map(Folding.symbol)) {
                    expectedRefs.insert(s + "\u{0}" + String(id) + "." + String(n))
                }
            }
            if bytes != doc.textBytes { report("docs", "\(doc.key) counts \(doc.textBytes) text bytes, paragraphs hold \(bytes)") }
            return true
        }
        // Each document's value holds its paragraphs and no more; no value without a document.
        var paragraphsStored = 0
        try txn.forEach(schema.paras) { key, value in
            let id = Keys.u32(key)
            guard let n = value.withUnsafeBytes({ ParagraphTable.count($0) }) else {
                report("paras", ParagraphTable.malformed(id).message)
                return true
            }
            paragraphsStored += n
            if let expected = paragraphCounts[id] {
                if n != expected { report("paras", "document \(id) has \(n) paragraphs stored, its record says \(expected)") }
            } else {
                report("paras", "document \(id) does not exist but has \(n) paragraphs stored")
            }
            return true
        }
        if paragraphsStored != paragraphKeysSeen {
            report("paras", "\(paragraphsStored) paragraphs stored, documents account for \(paragraphKeysSeen)")
        }
        var keysSeen: [String: UInt32] = [:]
        try txn.forEach(schema.docKeys) { key, value in
            keysSeen[key.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }] = Keys.u32(value)
            return true
        }
        for (k, id) in keysSeen where expectedKeys[k] != id {
            report("doc_keys", "key \"\(k)\" points to document \(id), which does not have that key or symbol")
        }
        for (k, id) in expectedKeys where keysSeen[k] != id {
            report("doc_keys", "key \"\(k)\" of document \(id) is missing")
        }

        // Speaker postings.
        var postingsSeen = Set<[UInt8]>()
        try txn.forEach(schema.speakerParas) { key, value in
            let entry = key.withUnsafeBytes { Array($0) } + value.withUnsafeBytes { Array($0) }
            postingsSeen.insert(entry)
            if !expectedSpeakerParas.contains(entry) {
                report(
                    "speaker_paras",
                    "speaker \(Keys.u32(key)) lists document \(Keys.u32(value, at: 4)) paragraph \(Keys.u32(value, at: 8)), which is not attributed to it"
                )
            }
            return true
        }
        for e in expectedSpeakerParas.subtracting(postingsSeen) {
            let v = e.withUnsafeBytes { b in (0..<4).map { UInt32(bigEndian: b.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)) } }
            report("speaker_paras", "document \(v[2]) paragraph \(v[3]) is missing from speaker \(v[0])'s postings")
        }

        // Cross-references.
        var refsSeen = Set<String>()
        try txn.forEach(schema.refs) { key, value in
            let symbol = key.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
            let v = Keys.u64(value)
            let entry = symbol + "\u{0}" + String(v >> 32) + "." + String(v & 0xFFFF_FFFF)
            refsSeen.insert(entry)
            if !expectedRefs.contains(entry) {
                report("refs", "\(symbol) lists document \(v >> 32) paragraph \(v & 0xFFFF_FFFF), which does not cite it")
            }
            return true
        }
        for e in expectedRefs.subtracting(refsSeen) {
            report("refs", "citation \(e.replacingOccurrences(of: "\u{0}", with: " in ")) is missing")
        }

        // Speakers, their identities and names.
        var namesExpected = Set<String>()
        var speakersSeen = Set<UInt32>()
        try txn.forEach(schema.speakers) { key, value in
            let id = Keys.u32(key)
            speakersSeen.insert(id)
            guard let s = try? SpeakerRecord(span: value) else {
                report("speakers", "speaker \(id) does not decode")
                return true
            }
            if (speakerDocuments[id] ?? 0) == 0 { report("speakers", "speaker \(id) \(s.name) is used by no document") }
            if s.documentCount != speakerDocuments[id] ?? 0 {
                report("speakers", "speaker \(id) \(s.name) counts \(s.documentCount) documents, \(speakerDocuments[id] ?? 0) use it")
            }
            if s.paragraphCount != speakerParagraphs[id] ?? 0 {
                report("speakers", "speaker \(id) \(s.name) counts \(s.paragraphCount) paragraphs, \(speakerParagraphs[id] ?? 0) are attributed")
            }
            let aliases = Dictionary(s.aliases.map { ($0.text, Int($0.documents)) }, uniquingKeysWith: +)
            if aliases != speakerAliases[id] ?? [:] {
                report("speakers", "speaker \(id) \(s.name) aliases disagree with its documents")
            }
            if try txn.get(schema.speakerIDs, key: s.identity, { Keys.u32($0) }) != id {
                report("speaker_ids", "identity \"\(s.identity)\" does not point to speaker \(id)")
            }
            for n in Set([Folding.name(s.name)] + s.aliases.map { Folding.name($0.text) }) {
                namesExpected.insert(n + "\u{0}" + String(id))
            }
            return true
        }
        for id in Set(speakerDocuments.keys).subtracting(speakersSeen) {
            report("speakers", "speaker \(id) is used by documents but missing")
        }
        try txn.forEach(schema.speakerIDs) { key, value in
            let id = Keys.u32(value)
            if !speakersSeen.contains(id) {
                report("speaker_ids", "identity \"\(key.withUnsafeBytes { String(decoding: $0, as: UTF8.self) })\" points to missing speaker \(id)")
            }
            return true
        }
        var namesSeen = Set<String>()
        try txn.forEach(schema.speakerNames) { key, value in
            let name = key.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
            let entry = name + "\u{0}" + String(Keys.u32(value))
            namesSeen.insert(entry)
            if !namesExpected.contains(entry) {
                report("speaker_names", "name \"\(name)\" points to speaker \(Keys.u32(value)), which has no such name")
            }
            return true
        }
        for e in namesExpected.subtracting(namesSeen) {
            report("speaker_names", "name \"\(e.split(separator: "\u{0}")[0])\" is missing for speaker \(e.split(separator: "\u{0}")[1])")
        }

        let counted = try counter("text_bytes")
        if counted != textBytes { report("meta", "text_bytes is \(counted), documents hold \(textBytes)") }
        let paragraphs = try counter("paragraphs")
        let expectedParagraphs = paragraphCounts.values.reduce(0, +)
        if paragraphs != expectedParagraphs {
            report("meta", "paragraphs is \(paragraphs), documents hold \(expectedParagraphs)")
        }
        problems += try verifyPhrases()
        return problems
    }
}

extension BigEndianKey {
    var bytes: [UInt8] { withKeyBytes { Array($0) } }
}
