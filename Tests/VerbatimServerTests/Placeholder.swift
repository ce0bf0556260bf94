// End-to-end tests of the daemon and client.
