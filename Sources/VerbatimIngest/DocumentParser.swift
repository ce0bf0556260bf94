import VerbatimModel

/// Turns the text of one source file into a ``VerbatimModel/Document``.
///
/// The parser reads the header (symbol, title, date, dateline, meeting lines), decides the
/// layout (one paragraph per line, or hard-wrapped PDF text whose paragraphs it rebuilds),
/// finds section headings, numbers the body paragraphs from 1 in reading order, records
/// quoted passages, cited symbols and printed paragraph numbers, and asks
/// `SpeakerAttributor` for the speakers. Stored paragraph text is the source text (NFC,
/// trimmed); it is never rewritten, except that hard-wrapped lines are joined.
///
/// Pure and deterministic: the same text and metadata always give the same document.
///
/// ```swift
/// let doc = try DocumentParser.parse(bytes: data, metadata: SourceMetadata(fileName: "L3282.txt"))
/// print(doc.shortCitation(paragraph: 12), doc.paragraphs[11].text)
/// ```
public enum DocumentParser {
    /// The largest paragraph accepted, in bytes of UTF-8: 1 MiB.
    public static let maxParagraphBytes = 1 << 20

    /// Decodes `bytes` (see ``TextDecoding/decode(_:)``) and parses the text.
    ///
    /// - Throws: ``IngestError`` from decoding or parsing.
    public static func parse(bytes: some Collection<UInt8>, metadata: SourceMetadata = SourceMetadata())
        throws(IngestError) -> Document
    {
        let text = try TextDecoding.decode(bytes)
        return try parseDecoded(text, metadata: metadata)
    }

    /// Parses a document's text. Values in `metadata` override what the parser infers.
    ///
    /// - Parameters:
    ///   - text: the source text; a leading BOM is removed and the text is normalised to NFC.
    ///   - metadata: known facts (key, symbol, title, date, kind, speaker, layout, file name).
    /// - Returns: the document, with paragraphs numbered from 1.
    /// - Throws: ``IngestError`` `.emptyDocument`, `.binaryData` (a NUL character),
    ///   `.noBodyParagraphs` (only header lines and headings), `.paragraphTooLarge`
    ///   (a paragraph over ``maxParagraphBytes``).
    public static func parse(text: String, metadata: SourceMetadata = SourceMetadata()) throws(IngestError)
        -> Document
    {
        try parseDecoded(TextDecoding.prepare(text), metadata: metadata)
    }

    static func parseDecoded(_ text: String, metadata: SourceMetadata) throws(IngestError) -> Document {
        let lines = SourceLines.split(text)
        let header = DocumentHeader.parse(lines: lines)
        let body = lines[header.bodyStart...]
        let title = metadata.title ?? header.title
        let titles = [header.title, metadata.title].compactMap { $0 }

        // Lines that are never paragraphs: blank, footer and other boilerplate, page numbers,
        // the title repeated.
        let content = body.filter { line in
            !line.isEmpty && !BodyLine.isBoilerplate(line) && !BodyLine.isPageNumber(line)
                && !titles.contains(where: { $0 == line })
        }
        let layout = chooseLayout(hint: metadata.layout, lines: content)

        var texts: [Substring] = []
        var paragraphHeadings: [String?] = []
        var headings: [String] = []
        switch layout {
        case .paragraphPerLine:
            var heading: String?
            for (k, line) in content.enumerated() {
                let next = k + 1 < content.count ? content[k + 1] : nil
                if HeadingRule.isHeading(line, next: next) {
                    heading = String(line)
                    headings.append(heading!)
                    continue
                }
                texts.append(line)
                paragraphHeadings.append(heading)
            }
        case .hardWrapped:
            for p in HardWrapReflow.paragraphs(content) {
                texts.append(p[...])
                paragraphHeadings.append(nil)
            }
        }

        guard !texts.isEmpty else {
            throw IngestError(
                .noBodyParagraphs, "no body paragraphs: the document has only header lines and headings",
                source: metadata.fileName)
        }
        for (i, t) in texts.enumerated() where t.utf8.count > maxParagraphBytes {
            throw IngestError(
                .paragraphTooLarge,
                "paragraph \(i + 1) is \(t.utf8.count) bytes; the limit is \(maxParagraphBytes)",
                source: metadata.fileName)
        }

        let symbol = metadata.symbol ?? header.symbol
        let gaName = metadata.fileName.flatMap(GeneralDebateFileName.init)
        let kind =
            metadata.kind
            ?? KindDetection.detect(
                fileName: metadata.fileName, symbol: symbol, title: title, headerLines: header.headerLines,
                paragraphs: texts.prefix(3).map(String.init))
        let date = metadata.date ?? header.date ?? gaName.map { DocumentDate(year: $0.year) }

        let strings = texts.map(String.init)
        var metadataSpeaker: Speaker?
        if let name = metadata.speaker, !name.isEmpty {
            metadataSpeaker = Speaker(name: name, role: metadata.speakerRole, affiliation: metadata.affiliation)
        }
        let input = AttributionInput(
            kind: kind, title: title,
            paragraphs: zip(strings, paragraphHeadings).map { (text: $0, heading: $1) },
            metadataSpeaker: metadataSpeaker)
        let attribution = SpeakerAttributor.attribute(input)

        var paragraphs: [Paragraph] = []
        paragraphs.reserveCapacity(strings.count)
        for (i, t) in strings.enumerated() {
            let assignment = i < attribution.assignments.count ? attribution.assignments[i] : (nil, .none)
            paragraphs.append(
                Paragraph(
                    number: i + 1, text: t, heading: paragraphHeadings[i], speaker: assignment.speaker,
                    attribution: assignment.attribution, quotes: QuoteScanner.quotes(in: t[...]),
                    citedSymbols: SymbolScanner.citedSymbols(in: t[...]), sourceNumber: BodyLine.sourceNumber(t[...])))
        }

        let key = documentKey(metadata: metadata, symbol: symbol, text: text)
        try checkAddress(key, name: "key", source: metadata.fileName)
        if let symbol { try checkAddress(symbol, name: "symbol", source: metadata.fileName) }
        return Document(
            key: key, symbol: symbol, title: title,
            date: date, place: header.place, kind: kind, headerLines: header.headerLines, headings: headings,
            paragraphs: paragraphs, speakers: attribution.speakers)
    }

    /// The metadata hint when given; else detection. A `hard-wrapped` hint on text that is
    /// clearly not wrapped (median line over 100 characters, or most lines ending a sentence)
    /// is overruled, since joining its lines would merge paragraphs.
    static func chooseLayout(hint: String?, lines: [Substring]) -> TextLayout {
        let profile = TextLayout.profile(lines)
        switch TextLayout(hint: hint) {
        case .paragraphPerLine: return .paragraphPerLine
        case .hardWrapped:
            return profile.medianLength > 100 || profile.terminalShare > 0.6 ? .paragraphPerLine : .hardWrapped
        case nil: return profile.looksHardWrapped ? .hardWrapped : .paragraphPerLine
        }
    }

    /// The longest key or symbol accepted, in bytes of UTF-8 (LMDB keys hold at most 511).
    public static let maxKeyBytes = 400

    /// A key or symbol must be non-blank and at most `maxKeyBytes` long: it is an index key.
    static func checkAddress(_ value: String, name: String, source: String?) throws(IngestError) {
        if value.trimmingWhitespace().isEmpty {
            throw IngestError(.invalidField, "\(name) is blank", source: source)
        }
        if value.utf8.count > maxKeyBytes {
            throw IngestError(
                .invalidField, "\(name) is \(value.utf8.count) bytes; the limit is \(maxKeyBytes)", source: source)
        }
    }

    /// The metadata key, else the symbol, else the file name without extension (and without
    /// folders), else `doc-` and a 64-bit FNV-1a hash of the text in hex.
    static func documentKey(metadata: SourceMetadata, symbol: String?, text: String) -> String {
        if let key = metadata.key, !key.isEmpty { return key }
        if let symbol, !symbol.isEmpty { return symbol }
        if let fileName = metadata.fileName, !fileName.isEmpty {
            var name = Substring(fileName)
            if let slash = name.lastIndex(of: "/") { name = name[name.index(after: slash)...] }
            if let dot = name.lastIndex(of: "."), dot != name.startIndex { name = name[..<dot] }
            if !name.isEmpty { return String(name) }
        }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 {
            hash ^= UInt64(b)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return "doc-" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
