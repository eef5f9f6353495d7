"""Read/unread marks persist per source, compare normalized URLs, and share the file across processes."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from termreader.errors import StoreError
from termreader.readstate import ReadState

WHEN = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def test_mark_read_and_unread_per_source(tmp_path: Path) -> None:
    state = ReadState.open(tmp_path / "state.sqlite3")
    state.mark_read("Hearth", ["https://hearth.example/a/", "https://hearth.example/b/"], WHEN)
    assert state.read_urls("Hearth") == {"https://hearth.example/a/", "https://hearth.example/b/"}
    assert state.read_urls("Other") == set()
    assert state.is_read("Hearth", "https://HEARTH.example/a/#comments")
    state.mark_unread("Hearth", ["https://hearth.example/a/"])
    assert state.read_urls("Hearth") == {"https://hearth.example/b/"}


def test_marks_survive_reopening_and_use_wal(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    state = ReadState.open(path)
    state.mark_read("Hearth", ["https://hearth.example/a/?m=1"], WHEN)
    state.close()
    again = ReadState.open(path)
    assert again.read_urls("Hearth") == {"https://hearth.example/a/"}
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT read_at FROM read").fetchone()[0] == WHEN.isoformat()


def test_forget_source(tmp_path: Path) -> None:
    state = ReadState.open(tmp_path / "state.sqlite3")
    state.mark_read("Hearth", ["https://hearth.example/a/"], WHEN)
    state.mark_read("Other", ["https://other.example/a/"], WHEN)
    state.forget_source("Hearth")
    assert state.read_urls("Hearth") == set()
    assert state.read_urls("Other") == {"https://other.example/a/"}


def test_unreadable_file_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    path.write_bytes(b"not sqlite at all\n" * 300)
    with pytest.raises(StoreError, match="cannot open the read-state database"):
        ReadState.open(path)


def test_read_all_groups_every_source(tmp_path: Path) -> None:
    state = ReadState.open(tmp_path / "state.sqlite3")
    when = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    try:
        state.mark_read("Hearth", ["https://hearth.example/a/", "https://hearth.example/b/"], when)
        state.mark_read("Plain", ["https://plain.example/x/"], when)
        assert state.read_all() == {
            "Hearth": {"https://hearth.example/a/", "https://hearth.example/b/"},
            "Plain": {"https://plain.example/x/"},
        }
    finally:
        state.close()
