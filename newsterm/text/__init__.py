"""Pure text helpers every layer may use: dates and zones, clocks, charsets, sanitising, URLs."""
