import Testing

@testable import VerbatimModel

@Suite("Reference white space")
struct ReferenceCollapseTests {
    /// `collapse` as its doc comment says, scalar by scalar by the Unicode property.
    static func plain(_ s: String) -> String {
        s.unicodeScalars.split(whereSeparator: \.properties.isWhitespace).map { String(String.UnicodeScalarView($0)) }
            .joined(separator: " ")
    }

    @Test("the ASCII way and the scalar way collapse white space alike")
    func asciiAndScalars() {
        let cases = [
            "L/3282", "  L/3282 \t ¶12 ", "L/3282\u{00A0}\u{00A0}para 12", "\tL/3282\n\u{0B}\u{0C}\r#3-5\t", "",
            " \t\n", "L/3282\u{1C}#1", "GA/12035  para.  4", "A/RES/70/1 \u{2003}#2", "UNGDC:USA_78_2023#4 ",
        ]
        for s in cases {
            #expect(ReferenceParser.collapse(s) == Self.plain(s), "\(s.debugDescription)")
            #expect(ReferenceParser.collapse(s[...]) == Self.plain(s), "\(s.debugDescription)")
        }
        // Control bytes that are not white space stay.
        #expect(ReferenceParser.collapse("a\u{1C}b") == "a\u{1C}b")
        #expect(ReferenceParser.collapse(" a \t\n b ") == "a b")
    }
}
