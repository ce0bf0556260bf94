import ArgumentParser

/// `verbatim`: the admin CLI of a Verbatim store.
@main
struct VerbatimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verbatim",
        abstract: "Ingest, inspect and look after a Verbatim store of speeches and meeting records.",
        discussion: """
            The store is a directory: --db PATH, else $VERBATIM_DB, else \
            $XDG_DATA_HOME/verbatim/store (default ~/.local/share/verbatim/store).
            """,
        subcommands: [
            Ingest.self, Docs.self, Get.self, Speakers.self, SpeakerCommand.self, Stats.self, Verify.self,
            Backup.self, Delete.self, Cite.self, Quote.self, CitedByCommand.self, Refs.self,
        ]
    )
}
