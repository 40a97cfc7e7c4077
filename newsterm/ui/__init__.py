"""The Textual face of newsterm: the app, its widgets and screens; it talks only to the library."""
