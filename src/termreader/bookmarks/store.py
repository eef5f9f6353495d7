"""The bookmark library: one SQLite file (WAL, versioned schema) with a full-text index kept by triggers."""

from __future__ import annotations

import builtins
import re
import shutil
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit, urlunsplit

from termreader.bookmarks import query as fts_query
from termreader.bookmarks.schema import FTS_TABLE, FTS_WEIGHTS, MIGRATIONS, SCHEMA_VERSION, TAG_SEPARATOR
from termreader.errors import StoreError, TermreaderError
from termreader.models import Article
from termreader.textutil import clean_text, normalize_url, strip_unsafe, word_count

BUSY_TIMEOUT_MS: Final = 5000
"""How long a writer waits for another process's transaction; ours last milliseconds, so 5 s is ample."""
FULL_DISK_BYTES: Final = 256 * 1024
"""Below this much free space, SQLite's bare "disk I/O error" is reported as a full disk."""

RANK_WINDOW: Final = 2000
"""Most matches ranked by bm25 for one query. A term found in every one of 100k bookmarks would otherwise
score 100k rows (~100-175 ms); beyond this many matches only the newest RANK_WINDOW are ranked (2-3.5 ms)."""

MAX_SEARCH_RESULTS: Final = 1000
"""Cap on one search's page (each hit costs a snippet; SQLite also limits bound parameters)."""
MAX_TAGS: Final = 64
MAX_TAG_CHARS: Final = 100
"""Caps for tags from imported files: a hostile TAGS="a,a,…" attribute must not make 100k tags."""

SNIPPET_TOKENS: Final = 14
_MARK_OPEN: Final = "\x02"
_MARK_CLOSE: Final = "\x03"
# strip_unsafe() removes C0 controls from stored text, so these markers can only come from snippet().

_COLUMNS: Final = (
    "id, url, title, byline, site, published, saved_at, source, tags, note, read, markdown, word_count"
)
_SQLITE_MAGIC: Final = b"SQLite format 3\x00"
_WS = re.compile(r"\s+")


class BookmarkInputError(TermreaderError):
    """A bookmark cannot be made from what was given (not a web URL, unknown id)."""


@dataclass(frozen=True, slots=True)
class Bookmark:
    """A saved article: metadata, the user's tags, note and read state, and the cleaned Markdown body."""

    id: int
    url: str
    title: str
    byline: str | None
    site: str | None
    published: datetime | None
    saved_at: datetime
    source: str | None
    tags: tuple[str, ...]
    note: str
    read: bool
    markdown: str
    word_count: int

    @property
    def has_body(self) -> bool:
        """False for a link saved without its article (to fetch later)."""
        return bool(self.markdown.strip())

    def to_article(self) -> Article:
        """The reader shows bookmarks through the same value as fetched articles (no network needed)."""
        return Article(
            title=self.title,
            markdown=self.markdown,
            url=self.url,
            byline=self.byline,
            published=self.published,
            site_name=self.site,
            word_count=self.word_count,
        )


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A bookmark found by a search, with a snippet of the best-matching text and where the terms are."""

    bookmark: Bookmark
    snippet: str
    highlights: tuple[tuple[int, int], ...]
    """(start, end) offsets of matched terms inside `snippet`."""


@dataclass(frozen=True, slots=True)
class BookmarkDraft:
    """A bookmark to import: everything but the id, which the store assigns (or keeps, when free)."""

    url: str
    title: str = ""
    byline: str | None = None
    site: str | None = None
    published: datetime | None = None
    saved_at: datetime | None = None
    source: str | None = None
    tags: tuple[str, ...] = ()
    note: str = ""
    read: bool = False
    markdown: str = ""
    word_count: int = 0
    id: int | None = None


@dataclass(frozen=True, slots=True)
class ImportCounts:
    """What one batch did to the library."""

    added: int = 0
    updated: int = 0
    skipped: tuple[str, ...] = field(default=())
    """URLs left out (not http/https), for the report."""


def bookmark_url(url: str) -> str:
    """The unique key of a bookmark: normalize_url() plus tracking parameters (utm_*) removed."""
    url = clean_text(url)
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise BookmarkInputError(f"not a web address: {url[:200]!r}")
    query = "&".join(p for p in parts.query.split("&") if p and not p.lower().startswith("utm_"))
    return normalize_url(urlunsplit((parts.scheme, parts.netloc, parts.path, query, "")))


def clean_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags as stored: single-spaced, no control characters, no empties, no case-insensitive duplicates."""
    out: list[str] = []
    seen: set[str] = set()
    for raw in tags:
        if len(out) >= MAX_TAGS:
            break
        tag = clean_text(raw)[:MAX_TAG_CHARS]
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            out.append(tag)
    return tuple(out)


def _clean_body(markdown: str) -> str:
    return strip_unsafe(markdown.replace("\r\n", "\n"))


def _optional(text: str | None) -> str | None:
    cleaned = clean_text(text)
    return cleaned or None


def _to_db_time(value: datetime) -> str:
    # Fixed-width UTC text sorts in time order, so ORDER BY saved_at works on the index.
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _published_to_db(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


def _from_db_time(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _row_to_bookmark(row: sqlite3.Row | tuple[object, ...]) -> Bookmark:
    (bid, url, title, byline, site, published, saved_at, source, tags, note, read, markdown, words) = row
    saved = _from_db_time(str(saved_at))
    assert saved is not None
    return Bookmark(
        id=int(str(bid)),
        url=str(url),
        title=str(title),
        byline=None if byline is None else str(byline),
        site=None if site is None else str(site),
        published=_from_db_time(None if published is None else str(published)),
        saved_at=saved,
        source=None if source is None else str(source),
        tags=tuple(t for t in str(tags).split(TAG_SEPARATOR) if t),
        note=str(note),
        read=bool(read),
        markdown=str(markdown),
        word_count=int(str(words)),
    )


def parse_snippet(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Turn snippet() output with marker characters into plain text plus highlight offsets."""
    text: list[str] = []
    highlights: list[tuple[int, int]] = []
    length = 0
    start: int | None = None
    for piece in re.split(f"([{_MARK_OPEN}{_MARK_CLOSE}])", marked):
        if piece == _MARK_OPEN:
            start = length
        elif piece == _MARK_CLOSE:
            if start is not None and length > start:
                highlights.append((start, length))
            start = None
        elif piece:
            collapsed = _WS.sub(" ", piece)
            if not text and start is None:
                collapsed = collapsed.lstrip()
            text.append(collapsed)
            length += len(collapsed)
    return "".join(text), tuple(highlights)


def _check_header(path: Path) -> None:
    """Refuse a file that is not SQLite or is shorter than its header says, before SQLite touches it."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
        size = path.stat().st_size
    except OSError as error:
        raise StoreError(path, f"cannot read the bookmarks database: {error.strerror or error}") from error
    if not header:
        return  # an empty file is a new database
    if len(header) < 100 or not header.startswith(_SQLITE_MAGIC):
        raise StoreError(path, "not a termreader bookmarks database (not SQLite, or corrupt); left untouched")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    header_valid = header[24:28] == header[92:96]
    # A checkpoint killed halfway can leave page 1 written before the file grew; SQLite replays it from
    # the WAL, so a short file is only corrupt when no WAL is waiting beside it.
    wal = path.with_name(path.name + "-wal")
    wal_pending = wal.exists() and wal.stat().st_size > 0
    if header_valid and pages and size < page_size * pages and not wal_pending:
        raise StoreError(path, "the bookmarks database is truncated (corrupt); left untouched")


def _disk_nearly_full(path: Path) -> bool:
    """True when the database's disk has almost no room left: SQLite reports a failed grow of its -shm or
    -wal file as a bare "disk I/O error", which alone would not tell the user what to do."""
    try:
        return shutil.disk_usage(path.parent).free < FULL_DISK_BYTES
    except OSError:
        return False


class BookmarkStore:
    """Thread-safe access to the bookmarks database; every write is one short IMMEDIATE transaction."""

    def __init__(self, path: Path, db: sqlite3.Connection) -> None:
        self.path = path
        self._db = db
        self._lock = threading.RLock()

    # --- opening ------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path) -> BookmarkStore:
        """Open (or create) the database, upgrading an old schema in place; refuse newer or corrupt files."""
        path = Path(path)
        if path.exists():
            if not path.is_file():
                raise StoreError(path, "the bookmarks database path is not a file")
            _check_header(path)
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(path, f"cannot create the data folder: {error.strerror or error}") from error
        try:
            db = sqlite3.connect(
                path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
            )
        except sqlite3.Error as error:
            raise StoreError(path, f"cannot open the bookmarks database: {error}") from error
        store = cls(path, db)
        try:
            store._prepare()
        except BaseException:
            db.close()
            raise
        return store

    def _prepare(self) -> None:
        db = self._db
        with self._guard("open"):
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            # Read the version before anything that writes (journal_mode=WAL rewrites the header).
            version = int(db.execute("PRAGMA user_version").fetchone()[0])
            if version > SCHEMA_VERSION:
                raise StoreError(
                    self.path,
                    f"the bookmarks database has schema version {version}, newer than this termreader "
                    f"understands ({SCHEMA_VERSION}); upgrade termreader (the file was left untouched)",
                )
            if version > 0 and not self._has_table("bookmarks"):
                raise StoreError(self.path, "not a termreader bookmarks database; left untouched")
            if version == 0 and self._has_any_table():
                raise StoreError(self.path, "not a termreader bookmarks database; left untouched")
            mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise StoreError(self.path, f"cannot switch the bookmarks database to WAL mode ({mode})")
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute("PRAGMA foreign_keys = ON")
            self._migrate(version)

    def _has_table(self, name: str) -> bool:
        row = self._db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
        return row.fetchone() is not None

    def _has_any_table(self) -> bool:
        return self._db.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is not None

    def _migrate(self, version: int) -> None:
        while version < SCHEMA_VERSION:
            with self._write() as db:
                # Re-read inside the write lock: another process may have migrated meanwhile.
                current = int(db.execute("PRAGMA user_version").fetchone()[0])
                if current > version:
                    version = current
                    continue
                MIGRATIONS[version](db)
                version += 1
                db.execute(f"PRAGMA user_version = {version}")

    # --- plumbing -----------------------------------------------------------------------------

    @contextmanager
    def _guard(self, what: str) -> Iterator[None]:
        """Turn SQLite failures into StoreError naming the file (a locked or corrupt database)."""
        try:
            yield
        except sqlite3.DatabaseError as error:
            message = str(error)
            if "locked" in message or "busy" in message:
                message = "the bookmarks database is busy (another termreader is writing); try again"
            elif "Could not decode" in message:  # text pages overwritten with garbage
                message = "the bookmarks database is corrupt (text that is not UTF-8); left untouched"
            elif "malformed" in message or "not a database" in message:
                message = f"the bookmarks database is corrupt ({message[:200]}); left untouched"
            elif "full" in message or ("disk I/O error" in message and _disk_nearly_full(self.path)):
                message = f"the disk is full ({message[:200]}); nothing was saved"
            else:
                message = message[:200]
            raise StoreError(self.path, f"{what}: {message}") from error

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One IMMEDIATE transaction: take the write lock up front so a busy wait never ends in deadlock."""
        with self._lock, self._guard("write"):
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._lock, self._guard("read"):
            yield self._db

    @contextmanager
    def _snapshot(self, db: sqlite3.Connection) -> Iterator[None]:
        """A read transaction, so the statements of one search see the same state of the library."""
        db.execute("BEGIN")
        try:
            yield
        finally:
            db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> BookmarkStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- lookups ------------------------------------------------------------------------------

    def _where_key(self, id_or_url: int | str) -> tuple[str, object]:
        if isinstance(id_or_url, int) or (isinstance(id_or_url, str) and id_or_url.strip().isdigit()):
            return "id = ?", int(id_or_url)
        return "url = ?", bookmark_url(id_or_url)

    def _get(self, db: sqlite3.Connection, id_or_url: int | str) -> Bookmark | None:
        where, value = self._where_key(id_or_url)
        row = db.execute(f"SELECT {_COLUMNS} FROM bookmarks WHERE {where}", (value,)).fetchone()
        return None if row is None else _row_to_bookmark(row)

    def _require(self, db: sqlite3.Connection, id_or_url: int | str) -> Bookmark:
        found = self._get(db, id_or_url)
        if found is None:
            raise BookmarkInputError(f"no bookmark {str(id_or_url)[:200]!r}")
        return found

    def get(self, id_or_url: int | str) -> Bookmark | None:
        with self._read() as db:
            return self._get(db, id_or_url)

    def is_saved(self, url: str) -> bool:
        try:
            key = bookmark_url(url)
        except BookmarkInputError:
            return False
        with self._read() as db:
            return db.execute("SELECT 1 FROM bookmarks WHERE url = ?", (key,)).fetchone() is not None

    def saved_urls(self, urls: Iterable[str]) -> set[str]:
        """Which of these URLs are saved (as given), in one pass for a whole article list."""
        keys: dict[str, list[str]] = {}
        for url in urls:
            try:
                keys.setdefault(bookmark_url(url), []).append(url)
            except BookmarkInputError:
                continue
        found: set[str] = set()
        key_list = list(keys)
        with self._read() as db:
            for start in range(0, len(key_list), 500):
                chunk = key_list[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for (url,) in db.execute(f"SELECT url FROM bookmarks WHERE url IN ({marks})", chunk):
                    found.update(keys[str(url)])
        return found

    def count(self) -> int:
        with self._read() as db:
            return int(db.execute("SELECT count(*) FROM bookmarks").fetchone()[0])

    def list(
        self, *, tag: str | None = None, source: str | None = None, limit: int | None = None
    ) -> builtins.list[Bookmark]:
        """Bookmarks newest first, optionally only one tag or one source."""
        where, params = self._filters(tag, source, "id")
        sql = f"SELECT {_COLUMNS} FROM bookmarks {('WHERE ' + where) if where else ''}"
        sql += " ORDER BY saved_at DESC, id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(max(0, limit))
        with self._read() as db:
            return [_row_to_bookmark(row) for row in db.execute(sql, params)]

    def _filters(
        self, tag: str | None, source: str | None, id_column: str
    ) -> tuple[str, builtins.list[object]]:
        clauses: builtins.list[str] = []
        params: builtins.list[object] = []
        if tag:
            clauses.append(f"{id_column} IN (SELECT bookmark_id FROM bookmark_tags WHERE tag = ?)")
            params.append(clean_text(tag))
        if source:
            clauses.append(f"{id_column} IN (SELECT id FROM bookmarks WHERE source = ?)")
            params.append(source)
        return " AND ".join(clauses), params

    def tags(self) -> builtins.list[tuple[str, int]]:
        """Every tag with its number of bookmarks, most used first."""
        with self._read() as db:
            rows = db.execute(
                "SELECT tag, count(*) AS n FROM bookmark_tags GROUP BY tag COLLATE NOCASE "
                "ORDER BY n DESC, tag COLLATE NOCASE"
            ).fetchall()
        return [(str(tag), int(n)) for tag, n in rows]

    def sources(self) -> builtins.list[tuple[str, int]]:
        with self._read() as db:
            rows = db.execute(
                "SELECT source, count(*) AS n FROM bookmarks WHERE source IS NOT NULL "
                "GROUP BY source ORDER BY n DESC, source"
            ).fetchall()
        return [(str(source), int(n)) for source, n in rows]

    def without_body(self) -> builtins.list[Bookmark]:
        """Link-only bookmarks (saved offline or imported), oldest first, to fetch and extract."""
        with self._read() as db:
            rows = db.execute(
                f"SELECT {_COLUMNS} FROM bookmarks WHERE markdown = '' ORDER BY saved_at, id"
            ).fetchall()
        return [_row_to_bookmark(row) for row in rows]

    # --- search -------------------------------------------------------------------------------

    def search(
        self, query: str, *, tag: str | None = None, source: str | None = None, limit: int = 50
    ) -> builtins.list[SearchHit]:
        """Best matches first (bm25, title weighted most) with highlighted snippets; any text is safe."""
        match = fts_query.build_match(query)
        if match is None or limit <= 0:
            return []
        limit = min(limit, MAX_SEARCH_RESULTS)
        where, params = self._filters(tag, source, "rowid")
        extra = f" AND {where}" if where else ""
        weights = ", ".join(str(w) for w in FTS_WEIGHTS)
        with self._read() as db, self._snapshot(db):
            # The newest RANK_WINDOW matches bound the bm25 work; rowid order is cheap to walk in FTS5.
            floor_row = db.execute(
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?{extra} "
                "ORDER BY rowid DESC LIMIT 1 OFFSET ?",
                [match, *params, RANK_WINDOW - 1],
            ).fetchone()
            floor = int(floor_row[0]) if floor_row is not None else 0
            ranked = db.execute(
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? AND rowid >= ?{extra} "
                f"ORDER BY bm25({FTS_TABLE}, {weights}) LIMIT ?",
                [match, floor, *params, limit],
            ).fetchall()
            ids = [int(rowid) for (rowid,) in ranked]
            marks = ",".join("?" * len(ids))
            rows = db.execute(f"SELECT {_COLUMNS} FROM bookmarks WHERE id IN ({marks})", ids).fetchall()
            by_id = {bookmark.id: bookmark for bookmark in map(_row_to_bookmark, rows)}
            hits: builtins.list[SearchHit] = []
            for rowid in ids:
                # snippet() tokenizes the whole body again, so it runs only for the page of hits returned.
                row = db.execute(
                    f"SELECT snippet({FTS_TABLE}, -1, ?, ?, '…', {SNIPPET_TOKENS}) FROM {FTS_TABLE} "
                    f"WHERE {FTS_TABLE} MATCH ? AND rowid = ?",
                    (_MARK_OPEN, _MARK_CLOSE, match, rowid),
                ).fetchone()
                bookmark = by_id.get(rowid)
                if bookmark is None or row is None:
                    continue
                snippet, highlights = parse_snippet(str(row[0] or ""))
                hits.append(SearchHit(bookmark=bookmark, snippet=snippet, highlights=highlights))
        return hits

    # --- writes -------------------------------------------------------------------------------

    def _set_tags(self, db: sqlite3.Connection, bookmark_id: int, tags: tuple[str, ...]) -> None:
        db.execute("UPDATE bookmarks SET tags = ? WHERE id = ?", (TAG_SEPARATOR.join(tags), bookmark_id))
        db.execute("DELETE FROM bookmark_tags WHERE bookmark_id = ?", (bookmark_id,))
        db.executemany(
            "INSERT INTO bookmark_tags(bookmark_id, tag) VALUES (?, ?)", [(bookmark_id, t) for t in tags]
        )

    def _insert(self, db: sqlite3.Connection, draft: BookmarkDraft, *, keep_id: bool) -> int:
        tags = clean_tags(draft.tags)
        markdown = _clean_body(draft.markdown)
        words = draft.word_count or word_count(markdown)
        use_id = draft.id if keep_id and draft.id is not None else None
        if use_id is not None and db.execute("SELECT 1 FROM bookmarks WHERE id = ?", (use_id,)).fetchone():
            use_id = None
        cursor = db.execute(
            "INSERT INTO bookmarks(id, url, title, byline, site, published, saved_at, source, tags, note, "
            "read, markdown, word_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                use_id,
                bookmark_url(draft.url),
                clean_text(draft.title) or bookmark_url(draft.url),
                _optional(draft.byline),
                _optional(draft.site),
                _published_to_db(draft.published),
                _to_db_time(draft.saved_at or datetime.now(UTC)),
                _optional(draft.source),
                TAG_SEPARATOR.join(tags),
                strip_unsafe(draft.note),
                int(draft.read),
                markdown,
                words if markdown else 0,
            ),
        )
        new_id = int(cursor.lastrowid or 0)
        db.executemany(
            "INSERT INTO bookmark_tags(bookmark_id, tag) VALUES (?, ?)", [(new_id, t) for t in tags]
        )
        return new_id

    def _merge(
        self, db: sqlite3.Connection, old: Bookmark, draft: BookmarkDraft, *, replace_body: bool
    ) -> None:
        """Fold new information into an existing bookmark: never lose the user's tags, note or body."""
        markdown = _clean_body(draft.markdown)
        take_body = bool(markdown.strip()) and (replace_body or not old.has_body)
        fields: dict[str, object] = {}
        if take_body:
            fields.update(
                markdown=markdown,
                word_count=draft.word_count or word_count(markdown),
                title=clean_text(draft.title) or old.title,
                byline=_optional(draft.byline) or old.byline,
                site=_optional(draft.site) or old.site,
                published=_published_to_db(draft.published) or _published_to_db(old.published),
            )
        elif not old.has_body and clean_text(draft.title) and old.title == old.url:
            fields["title"] = clean_text(draft.title)
        if draft.source and not old.source:
            fields["source"] = _optional(draft.source)
        if draft.note and not old.note:
            fields["note"] = strip_unsafe(draft.note)
        if draft.read and not old.read:
            fields["read"] = 1
        if fields:
            assignments = ", ".join(f"{name} = ?" for name in fields)
            db.execute(f"UPDATE bookmarks SET {assignments} WHERE id = ?", (*fields.values(), old.id))
        merged = clean_tags((*old.tags, *draft.tags))
        if merged != old.tags:
            self._set_tags(db, old.id, merged)

    def save_article(
        self, article: Article, *, source: str | None = None, tags: Sequence[str] = ()
    ) -> Bookmark:
        """Save (or refresh) an extracted article; an existing bookmark keeps its tags, note, read state."""
        url = article.canonical_url or article.url
        if not url:
            raise BookmarkInputError("the article has no URL to save it under")
        draft = BookmarkDraft(
            url=article.url or url,
            title=article.title,
            byline=article.byline,
            site=article.site_name,
            published=article.published,
            source=source,
            tags=tuple(tags),
            markdown=article.markdown,
            word_count=article.word_count,
        )
        with self._write() as db:
            old = self._get(db, draft.url)
            if old is None:
                new_id = self._insert(db, draft, keep_id=False)
            else:
                self._merge(db, old, draft, replace_body=True)
                new_id = old.id
            return self._require(db, new_id)

    def save_link(
        self,
        url: str,
        *,
        title: str | None = None,
        tags: Sequence[str] = (),
        saved_at: datetime | None = None,
        note: str = "",
    ) -> Bookmark:
        """Save a link whose article is fetched later (offline saves, imports)."""
        draft = BookmarkDraft(url=url, title=title or "", tags=tuple(tags), saved_at=saved_at, note=note)
        with self._write() as db:
            old = self._get(db, url)
            if old is None:
                return self._require(db, self._insert(db, draft, keep_id=False))
            self._merge(db, old, draft, replace_body=False)
            return self._require(db, old.id)

    def fill_body(self, id_or_url: int | str, article: Article) -> Bookmark:
        """Give a link-only bookmark the article fetched for it (metadata from the page wins)."""
        draft = BookmarkDraft(
            url=article.url or "",
            title=article.title,
            byline=article.byline,
            site=article.site_name,
            published=article.published,
            markdown=article.markdown,
            word_count=article.word_count,
        )
        with self._write() as db:
            old = self._require(db, id_or_url)
            self._merge(db, old, draft, replace_body=True)
            return self._require(db, old.id)

    def import_many(self, drafts: Sequence[BookmarkDraft], *, keep_ids: bool = False) -> ImportCounts:
        """Import a batch in ONE transaction: a failure or a kill leaves none of it behind."""
        added = updated = 0
        skipped: builtins.list[str] = []
        with self._write() as db:
            for draft in drafts:
                try:
                    key = bookmark_url(draft.url)
                except BookmarkInputError:
                    skipped.append(draft.url)
                    continue
                old = self._get(db, key)
                if old is None:
                    self._insert(db, draft, keep_id=keep_ids)
                    added += 1
                else:
                    self._merge(db, old, draft, replace_body=False)
                    updated += 1
        return ImportCounts(added=added, updated=updated, skipped=tuple(skipped))

    def remove(self, id_or_url: int | str) -> Bookmark | None:
        """Delete a bookmark and return it (keep it to undo with restore())."""
        with self._write() as db:
            old = self._get(db, id_or_url)
            if old is not None:
                db.execute("DELETE FROM bookmarks WHERE id = ?", (old.id,))
            return old

    def restore(self, bookmark: Bookmark) -> Bookmark:
        """Put a removed bookmark back as it was (same id when still free)."""
        draft = BookmarkDraft(
            id=bookmark.id,
            url=bookmark.url,
            title=bookmark.title,
            byline=bookmark.byline,
            site=bookmark.site,
            published=bookmark.published,
            saved_at=bookmark.saved_at,
            source=bookmark.source,
            tags=bookmark.tags,
            note=bookmark.note,
            read=bookmark.read,
            markdown=bookmark.markdown,
            word_count=bookmark.word_count,
        )
        with self._write() as db:
            old = self._get(db, bookmark.url)
            if old is not None:
                self._merge(db, old, draft, replace_body=False)
                return self._require(db, old.id)
            return self._require(db, self._insert(db, draft, keep_id=True))

    def set_tags(self, id_or_url: int | str, tags: Sequence[str]) -> Bookmark:
        with self._write() as db:
            old = self._require(db, id_or_url)
            self._set_tags(db, old.id, clean_tags(tags))
            return self._require(db, old.id)

    def add_tags(self, id_or_url: int | str, tags: Sequence[str]) -> Bookmark:
        with self._write() as db:
            old = self._require(db, id_or_url)
            merged = clean_tags((*old.tags, *tags))
            if merged != old.tags:
                self._set_tags(db, old.id, merged)
            return self._require(db, old.id)

    def set_note(self, id_or_url: int | str, note: str) -> Bookmark:
        with self._write() as db:
            old = self._require(db, id_or_url)
            db.execute("UPDATE bookmarks SET note = ? WHERE id = ?", (strip_unsafe(note).strip(), old.id))
            return self._require(db, old.id)

    def set_read(self, id_or_url: int | str, read: bool = True) -> Bookmark:
        with self._write() as db:
            old = self._require(db, id_or_url)
            db.execute("UPDATE bookmarks SET read = ? WHERE id = ?", (int(read), old.id))
            return self._require(db, old.id)
