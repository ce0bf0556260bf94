/// Tests on one trimmed line of body text, shared by the layouts.
enum BodyLine {
    /// The footer of UN press material, which is not a paragraph.
    static func isFooter(_ line: Substring) -> Bool {
        line.hasPrefix("For information media") && line.utf8.count < 80
    }

    /// Lines that belong to the printing, not the text: the footer of UN press material
    /// (`For information media. Not an official record.`), the scanning stamp `Digitized by Dag
    /// Hammarskjold Library` and `Check against delivery`.
    static func isBoilerplate(_ line: Substring) -> Bool {
        if isFooter(line) { return true }
        guard line.utf8.count < 60, let first = line.utf8.first, first | 0x20 == 0x64 || first | 0x20 == 0x63 else {
            return false
        }
        let folded = line.lowercased().filter { $0.isLetter || $0 == " " }
        return folded.hasPrefix("digitized by dag hammarskj") || folded == "check against delivery"
    }

    /// A page number alone on its line: 1–4 digits, optionally inside dashes (`- 6 -`), or
    /// `Page 3|6`, `Page 3 of 6`.
    static func isPageNumber(_ line: Substring) -> Bool {
        if line.hasPrefix("Page "), line.utf8.count <= 16 {
            let rest = line.dropFirst(5)
            return rest.first?.isNumber == true
                && rest.allSatisfy { $0.isNumber || $0 == "|" || $0 == " " || $0 == "/" || $0 == "o" || $0 == "f" }
        }
        var digits = 0
        for u in line.utf8 {
            if u >= 0x30 && u <= 0x39 {
                digits += 1
            } else if u != 0x20 && u != 0x2D {
                return false
            }
        }
        return digits >= 1 && digits <= 4
    }

    /// The length in Unicode scalars (counts UTF-8 lead bytes).
    @inline(__always)
    static func scalarLength(_ line: Substring) -> Int {
        var n = 0
        for u in line.utf8 where u & 0xC0 != 0x80 { n += 1 }
        return n
    }

    /// Ends with . ! ? : ; or a closing quotation mark.
    static func endsSentence(_ line: Substring) -> Bool {
        guard let last = line.unicodeScalars.last else { return false }
        switch last {
        case ".", "!", "?", ":", ";", "\u{201D}", "\"", "\u{2019}", "\u{00BB}": return true
        default: return false
        }
    }

    /// Starts with an upper-case letter, a digit or an opening quotation mark.
    static func startsParagraphLike(_ line: Substring) -> Bool {
        guard let first = line.unicodeScalars.first else { return false }
        switch first {
        case "\u{201C}", "\"", "\u{2018}", "'", "\u{00AB}", "(": return true
        default: return first.properties.isUppercase || ("0"..."9").contains(first)
        }
    }

    /// The number printed at the start of a paragraph (`34. Allow me …`): 1–3 digits, a full
    /// stop, then white space.
    static func sourceNumber(_ text: Substring) -> Int? {
        var value = 0
        var digits = 0
        var it = text.utf8.makeIterator()
        while let u = it.next() {
            if u >= 0x30 && u <= 0x39 {
                digits += 1
                guard digits <= 3 else { return nil }
                value = value * 10 + Int(u - 0x30)
                continue
            }
            guard digits > 0, u == 0x2E, let after = it.next() else { return nil }
            return after == 0x20 || after == 0x09 || after == 0xC2 ? value : nil
        }
        return nil
    }
}
