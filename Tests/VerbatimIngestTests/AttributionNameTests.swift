import Testing
import VerbatimIngest
import VerbatimModel

/// Canonical names, seen through metadata speakers (the smallest way in).
struct AttributionNameTests {
    func canonical(_ name: String) -> String {
        SpeakerAttributor.canonical(Speaker(name: name)).name
    }

    @Test("names in capitals are title-cased with diacritics kept")
    func capitals() {
        #expect(canonical("ANTÓNIO GUTERRES") == "António Guterres")
        #expect(canonical("MICHÈLE CONINSX") == "Michèle Coninsx")
        #expect(canonical("JOSEPH R. BIDEN") == "Joseph R. Biden")
    }

    @Test("particles stay lower case after the first word; hyphenated and apostrophe names are capitalised")
    func particles() {
        #expect(canonical("MARIA DE LA CRUZ") == "Maria de la Cruz")
        #expect(canonical("GERT VAN DER BERG") == "Gert van der Berg")
        #expect(canonical("ABDALLAH AL-MOUALLIMI") == "Abdallah al-Mouallimi")
        #expect(canonical("AL-MOUALLIMI") == "Al-Mouallimi")
        #expect(canonical("ANNE NORMAN-CHALET") == "Anne Norman-Chalet")
        #expect(canonical("SEAN O'BRIEN") == "Sean O'Brien")
        #expect(canonical("BASHAR JA'AFARI") == "Bashar Ja'afari")
        #expect(canonical("RONALD MCDONALD") == "Ronald McDonald")
    }

    @Test("names in mixed case are kept as written")
    func mixedCase() {
        #expect(canonical("Eelco van Kleffens") == "Eelco van Kleffens")
        #expect(canonical("Ms. DiCarlo") == "DiCarlo")
    }

    @Test("courtesy titles are dropped, in any case and with or without a full stop")
    func courtesyTitles() {
        #expect(canonical("Mr. Arce") == "Arce")
        #expect(canonical("MR. ARCE") == "Arce")
        #expect(canonical("Mr Arce") == "Arce")
        #expect(canonical("Mrs. Pandit") == "Pandit")
        #expect(canonical("H.E. Mr. Joseph Biden") == "Joseph Biden")
        #expect(canonical("Sir Carl Berendsen") == "Sir Carl Berendsen")
    }
}
