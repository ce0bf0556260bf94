/// The closed word lists speaker attribution relies on. Every entry is in the token's
/// folded form (lower case, `-` for every hyphen, `'` for every apostrophe).
enum AttributionLexicon {
    /// Verbs that report speech (`said`, `highlighted`, `continued`): a person or a pronoun
    /// followed by one of these is speaking.
    static let speechVerbs: Set<String> = [
        "said", "says", "stated", "states", "added", "adds", "noted", "notes", "stressed", "stresses",
        "emphasized", "emphasised", "underlined", "underscored", "highlighted", "recalled", "agreed", "continued",
        "observed", "pointed", "warned", "urged", "called", "welcomed", "expressed", "declared", "explained",
        "argued", "asserted", "remarked", "told", "asked", "suggested", "reiterated", "maintained",
        "acknowledged", "affirmed", "reaffirmed", "cautioned", "concluded", "announced", "insisted", "hoped",
        "described", "recounted", "commended", "praised", "voiced", "appealed", "lamented", "regretted",
        "contended", "proposed", "recommended", "deplored", "condemned", "encouraged", "echoed", "concurred",
        "replied", "responded", "answered", "recognized", "recognised", "questioned", "wondered", "believed",
        "felt", "thanked", "outlined", "mentioned", "spoke", "went", "reminded", "indicated", "pledged",
        "vowed", "hailed", "requested", "summarized", "summarised", "underscores", "highlights",
    ]

    /// Adverbs allowed between a speaker and the speech verb (`he also hoped`).
    static let adverbs: Set<String> = [
        "also", "then", "further", "again", "later", "too", "additionally", "similarly", "likewise", "strongly",
        "firmly", "repeatedly", "subsequently", "finally", "lastly", "furthermore", "moreover", "once",
    ]

    /// Personal pronouns that continue the previous speaker (`…, he said.`).
    static let pronouns: Set<String> = ["he", "she", "they"]

    /// Words that introduce a clause to skip between a name and its verb
    /// (`Michèle Coninsx, …, who chaired …, said`).
    static let clauseOpeners: Set<String> = ["who", "whose", "which", "whom", "as", "in", "on", "at", "speaking"]

    /// Courtesy titles: dropped from a canonical name, kept in its aliases.
    static let courtesyTitles: Set<String> = ["mr", "mrs", "ms", "miss", "mme", "mlle", "dr", "dato", "datuk"]

    /// Office titles that open a Security Council marker (`President Abbas`, `King Philippe`):
    /// they become the role and leave the name.
    static let officeTitles: Set<String> = [
        "president", "king", "queen", "prince", "princess", "emir", "amir", "monsignor", "archbishop", "cardinal",
        "judge", "sheikh", "shaikh",
    ]

    /// Words that end a role in a phrase like `UN Deputy Secretary-General Amina Mohammed`.
    static let roleWords: Set<String> = [
        "secretary-general", "under-secretary-general", "assistant", "deputy", "president", "vice-president",
        "minister", "ambassador", "envoy", "representative", "director", "director-general", "chair", "chairman",
        "chairwoman", "chairperson", "co-chair", "commissioner", "coordinator", "facilitator", "co-facilitator",
        "co-facilitators", "administrator", "spokesman", "spokesperson", "spokeswoman", "adviser", "advisor",
        "rapporteur", "head", "king", "queen", "prince", "emir", "judge", "governor", "mayor", "senator",
        "officer", "secretary", "chief", "executive", "premier", "chancellor", "registrar", "prosecutor",
        "high", "special", "permanent", "acting", "general",
    ]

    /// Words that join the parts of a role (`Secretary-General of the United Nations`).
    static let roleConnectors: Set<String> = ["of", "the", "for", "and", "to", "on", "in", "at", "a", "an", "de"]

    /// Name particles written in lower case inside a name (`Blum de Barberi`, `van Kleffens`).
    static let nameParticles: Set<String> = [
        "de", "da", "das", "do", "dos", "du", "del", "della", "der", "den", "di", "la", "le", "van", "von", "y",
        "bin", "bint", "ibn", "al", "el", "ter", "ten", "zu",
    ]

    /// Words kept in capitals when a name or role written in capitals is title-cased.
    static let keptCapitals: Set<String> = [
        "ii", "iii", "iv", "vi", "vii", "viii", "ix", "xi", "xii", "un", "eu", "us", "usa", "uk", "au", "nato",
    ]

    /// First words that do not begin a person's name (`The Conference …`, `In May …`).
    static let nonNameOpeners: Set<String> = [
        "the", "a", "an", "in", "on", "at", "as", "for", "by", "with", "from", "to", "this", "that", "these",
        "those", "it", "its", "he", "she", "they", "we", "i", "our", "their", "his", "her", "there", "today",
        "yesterday", "tomorrow", "after", "before", "during", "following", "while", "when", "although", "but",
        "and", "also", "however", "meanwhile", "speaking", "delegates", "member", "many", "several", "some",
        "other", "others", "each", "every", "all", "one", "two", "three", "both", "if", "since", "under",
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "states", "state", "government",
        "governments", "ladies", "excellencies", "thank", "madam", "mister", "dear", "let", "allow",
    ]

    /// Nouns that a possessive title or lead line attributes (`…'S REMARKS`, `… Guterres' video message`).
    static let speechNouns: Set<String> = [
        "remarks", "remark", "statement", "statements", "message", "messages", "address", "speech", "speeches",
        "briefing", "lecture", "toast", "comments", "keynote", "op-ed", "article", "text", "letter", "appeal",
        "tribute",
    ]

    /// Words that may stand between a possessive and its speech noun (`opening remarks`, `video message`).
    static let speechNounModifiers: Set<String> = [
        "opening", "closing", "video", "keynote", "welcoming", "introductory", "concluding", "prepared",
        "written", "recorded", "press", "joint", "annual", "new", "year", "year's", "inaugural", "virtual",
        "special", "final", "high-level", "farewell", "acceptance",
    ]

    /// Verbs that introduce a speaker in a press release lead line (`Following are …`).
    static let leadOpeners: Set<String> = ["following"]
}
