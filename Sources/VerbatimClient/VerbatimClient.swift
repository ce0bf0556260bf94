// The client library; see docs/PROTOCOL.md.
