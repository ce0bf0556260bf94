// The daemon library; see docs/PROTOCOL.md.
