/// The UN General Debate Corpus file name: `ungdc_USA_78_2023.txt` or `USA_78_2023.txt`
/// (country code, session, year). The country code is a code, not a name, so it is not used
/// as the affiliation.
struct GeneralDebateFileName {
    var country: String
    var session: Int
    var year: Int

    init?(_ fileName: String) {
        var name = Substring(fileName)
        if let slash = name.lastIndex(of: "/") { name = name[name.index(after: slash)...] }
        if name.hasSuffix(".txt") { name = name.dropLast(4) }
        if name.hasPrefix("ungdc_") { name = name.dropFirst(6) }
        let parts = name.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, (2...4).contains(parts[0].count),
            parts[0].allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber) }),
            (1...2).contains(parts[1].count), let session = Int(parts[1]),
            parts[2].count == 4, let year = Int(parts[2]), (1945...2100).contains(year)
        else { return nil }
        self.country = String(parts[0])
        self.session = session
        self.year = year
    }
}
