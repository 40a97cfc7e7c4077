"""newsterm: a terminal news reader with a live ticker, a clean reader and an offline cache."""

__version__ = "0.1.0"
