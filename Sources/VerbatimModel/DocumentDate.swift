/// A calendar date that may be known only to the year or month.
///
/// Stored and compared as `yyyymmdd` with zero for an unknown month or day, so that
/// `2016` sorts before `2016-11-07`.
public struct DocumentDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var year: Int
    /// 1...12, or `nil` when only the year is known.
    public var month: Int?
    /// 1...31, or `nil` when unknown.
    public var day: Int?

    public init(year: Int, month: Int? = nil, day: Int? = nil) {
        self.year = year
        self.month = month
        self.day = month == nil ? nil : day
    }

    /// The packed `yyyymmdd` form; 0 never denotes a date.
    public var packed: UInt32 {
        UInt32(year * 10_000 + (month ?? 0) * 100 + (day ?? 0))
    }

    /// Unpacks `yyyymmdd`; returns `nil` for 0.
    public init?(packed: UInt32) {
        guard packed != 0 else { return nil }
        let v = Int(packed)
        let m = (v / 100) % 100
        let d = v % 100
        self.init(year: v / 10_000, month: m == 0 ? nil : m, day: d == 0 ? nil : d)
    }

    /// ISO 8601 text: `2016-11-07`, `2016-11` or `2016`.
    public var description: String {
        var s = String(year)
        if let month {
            s += "-" + (month < 10 ? "0" : "") + String(month)
            if let day { s += "-" + (day < 10 ? "0" : "") + String(day) }
        }
        return s
    }

    /// Parses `2016-11-07`, `2016-11`, `2016`, `7 November 2016`, `8 Nov 2016`, `November 7, 2016`.
    public init?(parsing text: some StringProtocol) {
        let t = text.trimmingWhitespace()
        if let iso = DocumentDate.parseISO(t) { self = iso; return }
        // Word forms.
        let words = t.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\u{00A0}" }).map(String.init)
        var day: Int?
        var month: Int?
        var year: Int?
        for w in words {
            if let m = DocumentDate.month(named: w), month == nil {
                month = m
            } else if let n = Int(w) {
                if n >= 1000 && n <= 9999 && year == nil { year = n } else if n >= 1 && n <= 31 && day == nil { day = n } else { return nil }
            } else {
                return nil
            }
        }
        guard let year, let month else { return nil }
        if let day, day > DocumentDate.daysIn(month: month, year: year) { return nil }
        self.init(year: year, month: month, day: day)
    }

    public static func < (a: DocumentDate, b: DocumentDate) -> Bool { a.packed < b.packed }

    static func parseISO(_ t: String) -> DocumentDate? {
        let parts = t.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) }),
            parts[0].count == 4, let y = Int(parts[0])
        else { return nil }
        var m: Int?
        var d: Int?
        if parts.count > 1 {
            guard parts[1].count == 2, let v = Int(parts[1]), (1...12).contains(v) else { return nil }
            m = v
        }
        if parts.count > 2 {
            guard parts[2].count == 2, let v = Int(parts[2]), let m, (1...daysIn(month: m, year: y)).contains(v) else {
                return nil
            }
            d = v
        }
        return DocumentDate(year: y, month: m, day: d)
    }

    static let monthNames = [
        "january", "february", "march", "april", "may", "june",
        "july", "august", "september", "october", "november", "december",
    ]

    static func month(named word: String) -> Int? {
        let w = word.lowercased().trimmingCharacters(in: ".")
        guard w.count >= 3 else { return nil }
        for (i, name) in monthNames.enumerated() where name == w || (w.count == 3 && name.hasPrefix(w)) || (w == "sept") && i == 8 {
            return i + 1
        }
        return nil
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing white space (including U+00A0 and other Unicode spaces).
    package func trimmingWhitespace() -> String {
        // Nearly always: an ASCII letter, digit or punctuation at both ends (not White_Space).
        let whole = String(self)
        if let f = whole.utf8.first, let l = whole.utf8.last, f > 0x20 && f < 0x7F && l > 0x20 && l < 0x7F { return whole }
        var s = Substring(whole)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
