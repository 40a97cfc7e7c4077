"""What the tests share: the loopback HTTP server, hostile feeds, app and CLI helpers."""
