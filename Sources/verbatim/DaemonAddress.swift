/// A daemon's `HOST:PORT`, as given to `--connect` or in `$VERBATIM_CONNECT`.
struct DaemonAddress: Hashable, CustomStringConvertible {
    var host: String
    var port: Int

    /// Parses `HOST:PORT`, `[IPv6]:PORT` or `IPv6` with a port after its last colon.
    /// - Parameter origin: what gave the text (`--connect`), for the error.
    /// - Throws: `CLIError` naming `origin` when the text is not a host and a port 1-65535.
    init(parsing text: String, from origin: String) throws {
        let bad = CLIError("\(origin) wants HOST:PORT (e.g. 127.0.0.1:7450), not \"\(text)\"")
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (1...65535).contains(port)
        else { throw bad }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, !host.contains(where: \.isWhitespace) else { throw bad }
        self.host = host
        self.port = port
    }

    var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
