"""Saved articles kept offline: the SQLite store, safe full-text queries, import and export."""

from __future__ import annotations

from termreader.bookmarks.store import Bookmark, BookmarkDraft, BookmarkStore, SearchHit

__all__ = ["Bookmark", "BookmarkDraft", "BookmarkStore", "SearchHit"]
