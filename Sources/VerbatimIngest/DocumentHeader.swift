import VerbatimModel

/// The metadata lines at the top of a document: symbol, title, date, dateline, meeting lines.
///
/// The header is found by its anchors: a line that is only a document symbol (`L/3282`),
/// only a date (`8 Nov 2016`, `2020`), or a dateline (`New York, 7 November 2016`), among the
/// first ``scanLimit`` non-blank lines, with nothing before it that reads like body text (a
/// line ending in a full stop, or longer than 400 characters). Everything up to the last
/// anchor is header. Then:
///
/// * with a symbol, the line after the last anchor is the headline (the title) when it has at
///   most 300 characters, does not end in `.`, `:` or `;`, does not start with "Following" and
///   does not open with a speaker marker (`The President:`); the lines before the anchors are
///   header lines (`Press Release`, `AM & PM Meetings`);
/// * without a symbol, the first line that is not an anchor is the title (remarks), and a
///   repetition of it is dropped;
/// * the dateline's date is the document date when present, else the date line's.
///
/// A text with no anchor near the top has no header (general-debate statements).
struct DocumentHeader {
    var symbol: String?
    var title: String?
    var date: DocumentDate?
    var place: String?
    var headerLines: [String] = []
    /// Index into the lines of the first line after the header.
    var bodyStart = 0

    static let scanLimit = 10

    enum LineClass {
        case symbol(String)
        case date(DocumentDate)
        case dateline(place: String, date: DocumentDate)
        case other
    }

    static func parse(lines: [Substring]) -> DocumentHeader {
        var header = DocumentHeader()
        // The first non-blank lines, with their classes.
        var candidates: [(index: Int, line: Substring, kind: LineClass)] = []
        for (i, line) in lines.enumerated() where !line.isEmpty {
            candidates.append((i, line, classify(line)))
            if candidates.count == scanLimit { break }
        }
        // The last anchor with only header-like lines before it.
        var lastAnchor: Int?
        for (k, c) in candidates.enumerated() {
            if case .other = c.kind {
                if !isHeaderLike(c.line) { break }
                continue
            }
            lastAnchor = k
        }
        guard let lastAnchor else { return header }

        var datelineDate: DocumentDate?
        var lineDate: DocumentDate?
        var others: [Substring] = []
        for c in candidates[...lastAnchor] {
            switch c.kind {
            case .symbol(let s): if header.symbol == nil { header.symbol = s } else { others.append(c.line) }
            case .date(let d): if lineDate == nil { lineDate = d }
            case .dateline(let place, let d):
                if datelineDate == nil {
                    datelineDate = d
                    header.place = place
                }
            case .other: others.append(c.line)
            }
        }
        header.bodyStart = candidates[lastAnchor].index + 1
        var next = lastAnchor + 1
        if header.symbol != nil {
            if next < candidates.count, next + 1 < candidates.count, isHeadline(candidates[next].line) {
                header.title = String(candidates[next].line)
                header.bodyStart = candidates[next].index + 1
                next += 1
            }
            header.headerLines = others.map(String.init)
        } else if let first = others.first {
            header.title = String(first)
            header.headerLines = others.dropFirst().filter { $0 != first }.map(String.init)
        } else {
            header.headerLines = []
        }
        // Anchors or a repeated title right after the headline (a dateline under a title).
        while next < candidates.count {
            let c = candidates[next]
            if let title = header.title, c.line == title {
            } else if case .dateline(let place, let d) = c.kind, datelineDate == nil {
                datelineDate = d
                header.place = place
            } else if case .date(let d) = c.kind, lineDate == nil {
                lineDate = d
            } else {
                break
            }
            header.bodyStart = c.index + 1
            next += 1
        }
        header.date = datelineDate ?? lineDate
        return header
    }

    static func classify(_ line: Substring) -> LineClass {
        if line.utf8.count > 80 { return .other }
        if let s = SymbolScanner.normalizedSymbol(line) { return .symbol(s) }
        if let d = parseDate(line) { return .date(d) }
        // A dateline: "New York, 7 November 2016".
        if let comma = line.lastIndex(of: ",") {
            let place = line[..<comma].trimmingWhitespace()
            let rest = line[line.index(after: comma)...]
            if let d = DocumentDate(parsing: rest), d.month != nil, !place.isEmpty, place.utf8.count <= 60,
                place.first?.isUppercase == true, !place.contains(where: \.isNumber)
            {
                return .dateline(place: place, date: d)
            }
        }
        return .other
    }

    /// A line that is only a date with a month (`8 Nov 2016`), or only a plausible year (`2020`).
    static func parseDate(_ line: Substring) -> DocumentDate? {
        guard let d = DocumentDate(parsing: line), (1945...2100).contains(d.year) else { return nil }
        return d
    }

    /// Short enough and not ending like a sentence: may sit above the header's anchors.
    static func isHeaderLike(_ line: Substring) -> Bool {
        line.utf8.count <= 400 && line.last != "."
    }

    /// A headline: not a sentence or a lead-in, and not the "Following are …" paragraph.
    static func isHeadline(_ line: Substring) -> Bool {
        guard let last = line.last, BodyLine.scalarLength(line) <= 300 else { return false }
        if last == "." || last == ":" || last == ";" { return false }
        return !line.hasPrefix("Following ") && !KindDetection.hasSpeakerMarker(line)
    }
}
