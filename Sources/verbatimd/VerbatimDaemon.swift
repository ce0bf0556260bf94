/// `verbatimd`: not yet implemented (issue 3).
@main
struct VerbatimDaemon {
    static func main() {
        print("verbatimd: the daemon is not implemented yet")
    }
}
