"""The bookmarks schema and its migrations, applied in order on open (`PRAGMA user_version` counts them)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Final

FTS_TABLE: Final = "bookmarks_fts"
FTS_COLUMNS: Final = ("title", "byline", "site", "tags", "note", "markdown")
FTS_WEIGHTS: Final = (10.0, 2.0, 2.0, 4.0, 3.0, 1.0)
"""bm25 weights in FTS_COLUMNS order: a hit in the title counts ten times one in the body."""

TAG_SEPARATOR: Final = "\t"
"""Tags are kept in one column (for the search index) joined by a tab, which tags never contain."""

V1: Final = """
CREATE TABLE bookmarks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    url TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    byline TEXT,
    site TEXT,
    published TEXT,
    saved_at TEXT NOT NULL,
    source TEXT,
    tags TEXT NOT NULL DEFAULT '',
    markdown TEXT NOT NULL DEFAULT '',
    word_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX bookmarks_saved_at ON bookmarks(saved_at);
"""
"""The first released schema (kept verbatim: tests build a v1 file from it and check the upgrade)."""

_V2_TABLES: Final = f"""
ALTER TABLE bookmarks ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE bookmarks ADD COLUMN read INTEGER NOT NULL DEFAULT 0;
CREATE INDEX bookmarks_source ON bookmarks(source);
CREATE TABLE bookmark_tags (
    bookmark_id INTEGER NOT NULL REFERENCES bookmarks(id) ON DELETE CASCADE,
    tag TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (bookmark_id, tag)
) WITHOUT ROWID;
CREATE INDEX bookmark_tags_tag ON bookmark_tags(tag, bookmark_id);
CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
    {", ".join(FTS_COLUMNS)},
    content='bookmarks', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);
CREATE TRIGGER bookmarks_ai AFTER INSERT ON bookmarks BEGIN
    INSERT INTO {FTS_TABLE}(rowid, {", ".join(FTS_COLUMNS)})
    VALUES (new.id, {", ".join("new." + c for c in FTS_COLUMNS)});
END;
CREATE TRIGGER bookmarks_ad AFTER DELETE ON bookmarks BEGIN
    INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {", ".join(FTS_COLUMNS)})
    VALUES ('delete', old.id, {", ".join("old." + c for c in FTS_COLUMNS)});
    DELETE FROM bookmark_tags WHERE bookmark_id = old.id;
END;
CREATE TRIGGER bookmarks_au AFTER UPDATE OF {", ".join(FTS_COLUMNS)} ON bookmarks BEGIN
    INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {", ".join(FTS_COLUMNS)})
    VALUES ('delete', old.id, {", ".join("old." + c for c in FTS_COLUMNS)});
    INSERT INTO {FTS_TABLE}(rowid, {", ".join(FTS_COLUMNS)})
    VALUES (new.id, {", ".join("new." + c for c in FTS_COLUMNS)});
END;
"""


def _v1(db: sqlite3.Connection) -> None:
    for statement in V1.split(";"):
        if statement.strip():
            db.execute(statement)


def _v2(db: sqlite3.Connection) -> None:
    """Notes, read state, a tag table for filtering, and the full-text index over existing rows."""
    for statement in _split_script(_V2_TABLES):
        db.execute(statement)
    rows = db.execute("SELECT id, tags FROM bookmarks WHERE tags != ''").fetchall()
    for bookmark_id, tags in rows:
        seen: set[str] = set()
        for tag in str(tags).split(TAG_SEPARATOR):
            if tag and tag.casefold() not in seen:
                seen.add(tag.casefold())
                db.execute("INSERT INTO bookmark_tags(bookmark_id, tag) VALUES (?, ?)", (bookmark_id, tag))
    db.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def _split_script(script: str) -> list[str]:
    """Statements of a script; trigger bodies hold `;` so split on `END;` boundaries too."""
    statements: list[str] = []
    buffer = ""
    for part in script.split(";"):
        buffer += part + ";"
        if sqlite3.complete_statement(buffer):
            if buffer.strip(" \n;"):
                statements.append(buffer.strip())
            buffer = ""
    return statements


MIGRATIONS: Final[tuple[Callable[[sqlite3.Connection], None], ...]] = (_v1, _v2)
"""MIGRATIONS[n] takes a version-n database to version n+1."""

SCHEMA_VERSION: Final = len(MIGRATIONS)
