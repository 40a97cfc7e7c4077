"""Files in and out: OPML source lists, exported articles."""
