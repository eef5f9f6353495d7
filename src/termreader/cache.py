"""The local cache of article lists and extracted articles, so the app starts offline and instantly.

Everything here can be rebuilt from the network: a corrupt file is renamed aside and a fresh one created,
with a notice for the user. Config and user data (bookmarks, read state) live elsewhere and are never touched.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from termreader.errors import StoreError
from termreader.models import Article, ArticleRef, PopularResult
from termreader.textutil import normalize_url, parse_date

SCHEMA_VERSION: Final = 1
"""Bumped when the tables change; an older or newer cache is simply rebuilt."""

_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS lists (
    source TEXT NOT NULL,
    tab TEXT NOT NULL,
    items TEXT NOT NULL,
    meta TEXT NOT NULL DEFAULT '{}',
    fetched_at TEXT NOT NULL,
    PRIMARY KEY (source, tab)
);
CREATE TABLE IF NOT EXISTS articles (
    url TEXT PRIMARY KEY,
    article TEXT NOT NULL,
    fetched_at TEXT NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class CachedList:
    """One cached list (a source's Latest or Popular tab) and when it was fetched."""

    items: tuple[ArticleRef, ...]
    fetched_at: datetime
    meta: dict[str, Any]


@dataclass(frozen=True, slots=True)
class CachedArticle:
    """An extracted article kept for offline reading."""

    article: Article
    fetched_at: datetime


def ref_from_json(data: dict[str, Any]) -> ArticleRef:
    """Rebuild an ArticleRef from `ArticleRef.to_json()` output."""
    return ArticleRef(
        title=str(data.get("title") or ""),
        url=str(data.get("url") or ""),
        published=parse_date(data.get("published")),
        author=data.get("author"),
        snippet=data.get("snippet"),
        thumbnail=data.get("thumbnail"),
    )


def article_from_json(data: dict[str, Any]) -> Article:
    """Rebuild an Article from `Article.to_json()` output."""
    return Article(
        title=str(data.get("title") or ""),
        markdown=str(data.get("markdown") or ""),
        url=data.get("url"),
        byline=data.get("byline"),
        published=parse_date(data.get("published")),
        site_name=data.get("site_name"),
        canonical_url=data.get("canonical_url"),
        language=data.get("language"),
        lead_image=data.get("lead_image"),
        excerpt=data.get("excerpt"),
        word_count=int(data.get("word_count") or 0),
    )


def _parse_time(value: str) -> datetime:
    parsed = parse_date(value)
    return parsed if parsed is not None else datetime.fromtimestamp(0, UTC)


def _is_environment_error(error: sqlite3.DatabaseError) -> bool:
    """True for failures of the disk or permissions rather than of the file's contents."""
    text = str(error).lower()
    if "malformed" in text or "not a database" in text:
        return False
    return isinstance(error, sqlite3.OperationalError) and any(
        word in text for word in ("full", "disk i/o", "readonly", "read-only", "unable to open", "locked")
    )


def _environment_message(error: sqlite3.DatabaseError) -> str:
    text = str(error).lower()
    if "full" in text:
        return "the disk is full; the cache was left as it is (free some space and try again)"
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return f"cannot write the cache here ({error}); check the folder's permissions"
    return f"the cache could not be opened ({error})"


class Cache:
    """SQLite-backed cache; safe to call from worker threads (one connection behind a lock)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.notice: str | None = None
        """Set when the file was unusable and rebuilt; the UI shows it once."""
        self._lock = threading.Lock()
        self._db = self._open()

    @classmethod
    def open(cls, path: Path) -> Cache:
        return cls(path)

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, check_same_thread=False, timeout=5.0)
        db.execute("PRAGMA busy_timeout = 5000")
        db.execute("PRAGMA journal_mode = WAL")
        # Everything here can be rebuilt: with WAL, NORMAL only risks the last commits on power loss, and
        # saves an fsync per commit (several ms each on a busy disk).
        db.execute("PRAGMA synchronous = NORMAL")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA_VERSION):
            db.executescript("DROP TABLE IF EXISTS lists; DROP TABLE IF EXISTS articles;")
        db.executescript(_SCHEMA)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.execute("SELECT count(*) FROM lists").fetchone()
        db.execute("SELECT count(*) FROM articles").fetchone()
        return db

    def _open(self) -> sqlite3.Connection:
        try:
            return self._connect()
        except sqlite3.DatabaseError as error:
            if _is_environment_error(error):
                # A full disk or an unwritable folder says nothing about the file: keep it as it is.
                raise StoreError(self.path, _environment_message(error)) from error
            stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
            aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
            for suffix in ("", "-wal", "-shm"):
                part = Path(str(self.path) + suffix)
                if part.exists():
                    part.rename(Path(str(aside) + suffix))
            self.notice = (
                f"The cache was unreadable ({error}); moved it to {aside.name} and started a new one."
            )
            return self._connect()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # --- lists ------------------------------------------------------------------------------

    def put_list(
        self,
        source: str,
        tab: str,
        items: tuple[ArticleRef, ...] | list[ArticleRef],
        fetched_at: datetime,
        meta: dict[str, Any] | None = None,
    ) -> None:
        """Replace the cached `tab` ('latest' or 'popular') of `source`."""
        payload = json.dumps([item.to_json() for item in items], ensure_ascii=False)
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO lists (source, tab, items, meta, fetched_at) VALUES (?, ?, ?, ?, ?)",
                (source, tab, payload, json.dumps(meta or {}), fetched_at.isoformat()),
            )

    def put_lists(
        self,
        rows: list[tuple[str, str, tuple[ArticleRef, ...], datetime, dict[str, Any] | None]],
        touched: list[tuple[str, str, datetime, dict[str, Any]]] | None = None,
    ) -> None:
        """Like put_list for many (source, tab, items, fetched_at, meta) rows in one transaction.

        A refresh of 200 sources otherwise pays 200 commits, each a WAL fsync (~6 ms on a busy disk).
        `touched` (source, tab, fetched_at, meta) rows keep their stored items and get a new `fetched_at`
        and meta, in the same transaction: an unchanged feed need not have its items encoded again.
        """
        values = [
            (
                source,
                tab,
                json.dumps([item.to_json() for item in items], ensure_ascii=False),
                json.dumps(meta or {}),
                fetched_at.isoformat(),
            )
            for source, tab, items, fetched_at, meta in rows
        ]
        touches = [
            (json.dumps(meta), fetched_at.isoformat(), source, tab)
            for source, tab, fetched_at, meta in touched or ()
        ]
        with self._lock, self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO lists (source, tab, items, meta, fetched_at) VALUES (?, ?, ?, ?, ?)",
                values,
            )
            if touches:
                self._db.executemany(
                    "UPDATE lists SET meta = ?, fetched_at = ? WHERE source = ? AND tab = ?", touches
                )

    def list_metas(self, tab: str) -> dict[str, dict[str, Any]]:
        """The meta of every cached `tab` list whose items are readable, by source, without decoding items.

        A refresh needs only what each list came from (its feed URL and validators): one query instead of
        decoding 200 lists of items. A list whose items are not valid JSON is left out, so it is rebuilt.
        """
        with self._lock:
            try:
                rows = self._db.execute(
                    "SELECT source, meta FROM lists WHERE tab = ? AND json_valid(items)", (tab,)
                ).fetchall()
            except sqlite3.OperationalError:  # an SQLite without JSON functions (before 3.38, or built so)
                rows = self._db.execute("SELECT source, meta FROM lists WHERE tab = ?", (tab,)).fetchall()
        metas: dict[str, dict[str, Any]] = {}
        for source, raw in rows:
            try:
                meta = json.loads(raw)
            except (ValueError, TypeError):
                continue
            if isinstance(meta, dict):
                metas[source] = meta
        return metas

    def get_list(self, source: str, tab: str) -> CachedList | None:
        with self._lock:
            row = self._db.execute(
                "SELECT items, meta, fetched_at FROM lists WHERE source = ? AND tab = ?", (source, tab)
            ).fetchone()
        if row is None:
            return None
        try:
            items = tuple(ref_from_json(entry) for entry in json.loads(row[0]))
            meta = json.loads(row[1])
        except (ValueError, TypeError, AttributeError):
            return None
        return CachedList(
            items=items, fetched_at=_parse_time(row[2]), meta=meta if isinstance(meta, dict) else {}
        )

    def put_popular(self, source: str, result: PopularResult, fetched_at: datetime) -> None:
        meta = {"page_url": result.page_url, "widget": result.widget, "heading": result.heading}
        self.put_list(source, "popular", result.items, fetched_at, meta)

    def get_popular(self, source: str) -> tuple[PopularResult, datetime] | None:
        cached = self.get_list(source, "popular")
        if cached is None:
            return None
        meta = cached.meta
        result = PopularResult(
            page_url=str(meta.get("page_url") or ""),
            items=cached.items,
            widget=meta.get("widget"),
            heading=meta.get("heading"),
        )
        return result, cached.fetched_at

    def forget_source(self, source: str) -> None:
        with self._lock, self._db:
            self._db.execute("DELETE FROM lists WHERE source = ?", (source,))

    # --- articles ---------------------------------------------------------------------------

    def put_article(self, url: str, article: Article, fetched_at: datetime) -> None:
        """Keep `article` under the normalized `url` it was opened from (and its canonical URL)."""
        payload = json.dumps(article.to_json(), ensure_ascii=False)
        keys = {normalize_url(url)}
        if article.url:
            keys.add(normalize_url(article.url))
        with self._lock, self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO articles (url, article, fetched_at) VALUES (?, ?, ?)",
                [(key, payload, fetched_at.isoformat()) for key in keys],
            )

    def get_article(self, url: str) -> CachedArticle | None:
        with self._lock:
            row = self._db.execute(
                "SELECT article, fetched_at FROM articles WHERE url = ?", (normalize_url(url),)
            ).fetchone()
        if row is None:
            return None
        try:
            article = article_from_json(json.loads(row[0]))
        except (ValueError, TypeError, AttributeError):
            return None
        return CachedArticle(article=article, fetched_at=_parse_time(row[1]))
