"""Which articles the user has read, per source: user state that must survive a cache wipe."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Final

from termreader.errors import StoreError
from termreader.textutil import normalize_url

_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS read (
    source TEXT NOT NULL,
    url TEXT NOT NULL,
    read_at TEXT NOT NULL,
    PRIMARY KEY (source, url)
);
"""


class ReadState:
    """Read/unread marks in SQLite (WAL, busy timeout: several termreader processes may share it)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, check_same_thread=False, timeout=5.0)
            self._db.execute("PRAGMA busy_timeout = 5000")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as error:
            raise StoreError(path, f"cannot open the read-state database: {error}") from error

    @classmethod
    def open(cls, path: Path) -> ReadState:
        return cls(path)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def read_urls(self, source: str) -> set[str]:
        """Normalized URLs read in `source`."""
        with self._lock:
            rows = self._db.execute("SELECT url FROM read WHERE source = ?", (source,)).fetchall()
        return {row[0] for row in rows}

    def read_all(self) -> dict[str, set[str]]:
        """Normalized read URLs of every source, keyed by source."""
        with self._lock:
            rows = self._db.execute("SELECT source, url FROM read").fetchall()
        found: dict[str, set[str]] = {}
        for source, url in rows:
            found.setdefault(source, set()).add(url)
        return found

    def is_read(self, source: str, url: str) -> bool:
        with self._lock:
            row = self._db.execute(
                "SELECT 1 FROM read WHERE source = ? AND url = ?", (source, normalize_url(url))
            ).fetchone()
        return row is not None

    def mark_read(self, source: str, urls: Iterable[str], when: datetime) -> None:
        rows = [(source, normalize_url(url), when.isoformat()) for url in urls]
        with self._lock, self._db:
            self._db.executemany("INSERT OR IGNORE INTO read (source, url, read_at) VALUES (?, ?, ?)", rows)

    def mark_unread(self, source: str, urls: Iterable[str]) -> None:
        rows = [(source, normalize_url(url)) for url in urls]
        with self._lock, self._db:
            self._db.executemany("DELETE FROM read WHERE source = ? AND url = ?", rows)

    def forget_source(self, source: str) -> None:
        with self._lock, self._db:
            self._db.execute("DELETE FROM read WHERE source = ?", (source,))
