/// How a source lays out its paragraphs.
enum TextLayout: Equatable {
    /// Each non-empty line is one paragraph; blank lines may or may not separate them.
    case paragraphPerLine
    /// PDF text wrapped at a fixed width: paragraphs are rebuilt (see ``HardWrapReflow``).
    case hardWrapped

    /// The layout named by a metadata hint (`paragraph-per-line`, `hard-wrapped`, with an
    /// optional `+cr-only` suffix), or `nil` for an unknown or absent hint.
    init?(hint: String?) {
        guard let hint else { return nil }
        let base = hint.split(separator: "+").first.map { $0.lowercased() } ?? ""
        switch base {
        case "paragraph-per-line": self = .paragraphPerLine
        case "hard-wrapped": self = .hardWrapped
        default: return nil
        }
    }

    /// Statistics of a body's non-blank lines that decide the layout.
    struct Profile {
        var lineCount = 0
        /// Median length in Unicode scalars.
        var medianLength = 0
        /// Share of lines of at most 80 scalars.
        var shortShare = 0.0
        /// Share of lines that end like a sentence (. ! ? : ; or a closing quote).
        var terminalShare = 0.0

        /// Hard-wrapped text: at least 8 lines, at least 90 % of them at most 80 scalars long,
        /// a median of at least 25, and fewer than half ending like a sentence.
        var looksHardWrapped: Bool {
            lineCount >= 8 && shortShare >= 0.9 && medianLength >= 25 && terminalShare < 0.5
        }
    }

    static func profile(_ lines: some Sequence<Substring>) -> Profile {
        var lengths: [Int] = []
        var short = 0
        var terminal = 0
        for line in lines where !line.isEmpty && !BodyLine.isPageNumber(line) {
            let n = BodyLine.scalarLength(line)
            lengths.append(n)
            if n <= 80 { short += 1 }
            if BodyLine.endsSentence(line) { terminal += 1 }
        }
        guard !lengths.isEmpty else { return Profile() }
        lengths.sort()
        let count = Double(lengths.count)
        return Profile(
            lineCount: lengths.count, medianLength: lengths[lengths.count / 2], shortShare: Double(short) / count,
            terminalShare: Double(terminal) / count)
    }
}
