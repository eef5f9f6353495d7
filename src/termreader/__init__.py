"""termreader: read blogs and feeds in the terminal, keep bookmarks offline."""

__version__ = "0.1.0"
