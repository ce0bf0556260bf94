/// Citation text, formatted the same way everywhere (docs/CITATIONS.md).
public enum Citation {
    /// `L/3282 ¶12`.
    public static func short(document: String, paragraph: Int) -> String {
        document + " \u{00B6}" + String(paragraph)
    }

    /// `L/3282 ¶¶3-5`, or the short form when the range holds one paragraph.
    public static func short(document: String, paragraphs: ClosedRange<Int>) -> String {
        if paragraphs.count == 1 { return short(document: document, paragraph: paragraphs.lowerBound) }
        return document + " \u{00B6}\u{00B6}" + String(paragraphs.lowerBound) + "-" + String(paragraphs.upperBound)
    }
}

extension Citation {
    /// The long citation of a paragraph or range, the one format used by the store, the
    /// CLI and the daemon (docs/CITATIONS.md):
    ///
    /// `António Guterres, Secretary-General of the United Nations — “Title”, L/3282, 28 June 2018, ¶12`
    ///
    /// The speaker part is `Name, Role (Affiliation) — `, each piece present only when
    /// known (the role is left out when it is the name, as for a role-only speaker); the
    /// title is quoted; the document is its symbol, else its key; the date is written out
    /// as far as it is known (`2018`, `June 2018`, `28 June 2018`).
    public static func long(
        document: String, title: String?, date: DocumentDate?, paragraphs: ClosedRange<Int>?, speaker: Speaker?
    ) -> String {
        long(head: longHead(document: document, title: title, date: date), paragraphs: paragraphs, who: longSpeaker(speaker))
    }

    /// The part of a long citation that is the same for every paragraph of a document:
    /// `“Title”, L/3282, 28 June 2018`.
    package static func longHead(document: String, title: String?, date: DocumentDate?) -> String {
        var title = title?.trimmingWhitespace() ?? ""
        return title.withUTF8 { writeHead(document: document, title: UnsafeRawBufferPointer($0), date: date) }
    }

    /// `longHead` with the title given as the UTF-8 bytes it is stored as (quote lookup
    /// cites a paragraph of a new document at nearly every match: no `String` of the title).
    /// Nil when the title starts or ends with anything but ASCII other than white space:
    /// `longHead(document:title:date:)` trims those. Bytes that are not UTF-8 are repaired,
    /// as `String(decoding:as:)` does.
    package static func longHead(document: String, titleUTF8 t: UnsafeRawBufferPointer, date: DocumentDate?) -> String? {
        guard plainEnds(t) else { return nil }
        return writeHead(document: document, title: t, date: date)
    }

    /// Whether UTF-8 bytes start and end with ASCII other than white space (or are empty):
    /// what trimming would leave as it is.
    static func plainEnds(_ b: UnsafeRawBufferPointer) -> Bool {
        guard let f = b.first, let l = b.last else { return true }
        return f > 0x20 && f < 0x7F && l > 0x20 && l < 0x7F
    }

    /// The long citation of one paragraph (`long(document:title:date:paragraphs:speaker:)`)
    /// written from UTF-8 bytes (`writeLong`), for quote lookup, which cites every match,
    /// mostly each in another document with another speaker, straight into the bytes it
    /// answers with. Not for parts that need more than copying: a title, role or affiliation
    /// that starts or ends with anything but ASCII other than white space (trimmed there),
    /// or a role that does not start with an ASCII letter or digit other than the name's
    /// first (compared by `Folding.name` there). An empty `name` is no speaker.
    ///
    /// This one gives how many bytes at most `writeLong` writes for these parts; nil when
    /// they need more than copying.
    package static func longCapacity(
        name: UnsafeRawBufferPointer, role: UnsafeRawBufferPointer, affiliation: UnsafeRawBufferPointer,
        document: UnsafeRawBufferPointer, title: UnsafeRawBufferPointer
    ) -> Int? {
        guard plainEnds(title), plainEnds(role), plainEnds(affiliation) else { return nil }
        if !role.isEmpty && !name.isEmpty && !differentFirstLetters(role.first!, name.first!) { return nil }
        return name.count + role.count + affiliation.count + document.count + title.count + 96
    }

    /// Writes the long citation at `out`, which has room for `longCapacity` bytes (not
    /// nil). The parts are copied as they are: UTF-8 if they are. - Returns: how many bytes
    /// it wrote.
    package static func writeLong(
        name: UnsafeRawBufferPointer, role: UnsafeRawBufferPointer, affiliation: UnsafeRawBufferPointer,
        document: UnsafeRawBufferPointer, title: UnsafeRawBufferPointer, date: DocumentDate?, paragraph: Int,
        to out: UnsafeMutablePointer<UInt8>
    ) -> Int {
        let speaker = !name.isEmpty
        var w = ByteWriter(out)
        if speaker {
            w.put(name)
            if !role.isEmpty {
                w.put(", ")
                w.put(role)
            }
            if !affiliation.isEmpty {
                w.put(" (")
                w.put(affiliation)
                w.put(")")
            }
            w.put(" \u{2014} ")
        }
        w.putHead(document: document, title: title, date: date)
        w.put(", \u{00B6}")
        w.put(paragraph)
        return w.count
    }

    /// `longHead` of a trimmed title's UTF-8 bytes, written in one allocation.
    private static func writeHead(document: String, title t: UnsafeRawBufferPointer, date: DocumentDate?) -> String {
        var document = document
        return document.withUTF8 { doc in
            String(unsafeUninitializedCapacity: t.count + doc.count + 64) { out in
                var w = ByteWriter(out.baseAddress!)
                w.putHead(document: UnsafeRawBufferPointer(doc), title: t, date: date)
                return w.count
            }
        }
    }

    /// Writes bytes into a buffer known to be large enough.
    struct ByteWriter {
        let base: UnsafeMutablePointer<UInt8>
        var count = 0

        init(_ base: UnsafeMutablePointer<UInt8>) { self.base = base }

        mutating func put(_ bytes: UnsafeRawBufferPointer) {
            guard let from = bytes.baseAddress, !bytes.isEmpty else { return }
            UnsafeMutableRawPointer(base + count).copyMemory(from: from, byteCount: bytes.count)
            count += bytes.count
        }

        mutating func put(_ s: StaticString) { put(UnsafeRawBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount)) }

        /// `“Title”, L/3282, 28 June 2018` (`longHead`), from a trimmed title's bytes.
        mutating func putHead(document: UnsafeRawBufferPointer, title: UnsafeRawBufferPointer, date: DocumentDate?) {
            if !title.isEmpty {
                put("\u{201C}")
                put(title)
                put("\u{201D}, ")
            }
            put(document)
            if let date {
                put(", ")
                put(date)
            }
        }

        /// A number in decimal (at most 20 bytes), without making a string of it.
        mutating func put(_ v: Int) {
            if v < 0 { put("-") }
            var m = v.magnitude
            var digits = 1
            var rest = m
            while rest >= 10 {
                rest /= 10
                digits += 1
            }
            count += digits
            var i = count
            repeat {
                i -= 1
                base[i] = UInt8(truncatingIfNeeded: 0x30 &+ m % 10)
                m /= 10
            } while m > 0
        }

        /// `28 June 2018`, `June 2018`, `2018` (at most 51 bytes).
        mutating func put(_ date: DocumentDate) {
            if let m = date.month {
                if let d = date.day {
                    put(d)
                    put(" ")
                }
                monthUTF8[m - 1].withUnsafeBytes { put($0) }
                put(" ")
            }
            put(date.year)
        }
    }

    /// The speaker part of a long citation, `Name, Role (Affiliation)`; nil when there is
    /// no speaker or no name.
    package static func longSpeaker(_ speaker: Speaker?) -> String? {
        guard let speaker, !speaker.name.isEmpty else { return nil }
        var who = speaker.name
        if let role = speaker.role?.trimmingWhitespace(), !role.isEmpty, differentNames(role, speaker.name) {
            who += ", " + role
        }
        if let aff = speaker.affiliation?.trimmingWhitespace(), !aff.isEmpty { who += " (" + aff + ")" }
        return who
    }

    /// `Folding.name(a) != Folding.name(b)`, answered at once when both start with ASCII
    /// letters or digits that differ in more than case (their folds' first characters).
    static func differentNames(_ a: String, _ b: String) -> Bool {
        if let x = a.utf8.first, let y = b.utf8.first, differentFirstLetters(x, y) { return true }
        return Folding.name(a) != Folding.name(b)
    }

    /// Whether two names' first bytes are ASCII letters or digits that differ in more than
    /// case: then their folds differ (`differentNames` without folding).
    static func differentFirstLetters(_ x: UInt8, _ y: UInt8) -> Bool {
        isASCIIAlphanumeric(x) && isASCIIAlphanumeric(y) && x | 0x20 != y | 0x20
    }

    static func isASCIIAlphanumeric(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A)
    }

    /// A long citation from its parts (`longHead`, `longSpeaker`), which callers citing
    /// many paragraphs of few documents and speakers can make once.
    package static func long(head: String, paragraphs: ClosedRange<Int>?, who: String?) -> String {
        // One string, appended to in place: quote lookup cites every match.
        var out = ""
        out.reserveCapacity((who?.utf8.count ?? 0) + head.utf8.count + 32)
        if let who {
            out += who
            out += " \u{2014} "
        }
        out += head
        if let paragraphs {
            out += paragraphs.count == 1 ? ", \u{00B6}" : ", \u{00B6}\u{00B6}"
            out += String(paragraphs.lowerBound)
            if paragraphs.count > 1 {
                out += "-"
                out += String(paragraphs.upperBound)
            }
        }
        return out
    }

    /// `28 June 2018`, `June 2018`, `2018`.
    public static func longDate(_ date: DocumentDate) -> String {
        String(unsafeUninitializedCapacity: 64) { out in
            var w = ByteWriter(out.baseAddress!)
            w.put(date)
            return w.count
        }
    }

    /// `DocumentDate.monthNames`, capitalised.
    static let monthNames = DocumentDate.monthNames.map { $0.prefix(1).uppercased() + $0.dropFirst() }
    static let monthUTF8 = monthNames.map { Array($0.utf8) }
}
