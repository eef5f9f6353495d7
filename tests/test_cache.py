"""The list/article cache: round trips, per-source lists, and rebuilding a corrupt file."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from termreader.cache import Cache
from termreader.models import Article, ArticleRef, PopularResult

WHEN = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
REFS = (
    ArticleRef(
        title="Tending a Winter Garden",
        url="https://hearth.example/2026/11/tending-a-winter-garden/",
        published=datetime(2026, 11, 20, 8, 0, tzinfo=UTC),
        author="Mara Quill",
        snippet="Cold frames, mulch and patience…",
    ),
    ArticleRef(title="[@click=app.quit]x[/]", url="https://hearth.example/odd/"),
)


def test_list_round_trip_keeps_every_field(tmp_path: Path) -> None:
    cache = Cache.open(tmp_path / "cache.sqlite3")
    cache.put_list("Hearth", "latest", REFS, WHEN)
    cached = cache.get_list("Hearth", "latest")
    assert cached is not None
    assert cached.items == REFS
    assert cached.fetched_at == WHEN
    assert cache.get_list("Hearth", "popular") is None
    assert cache.get_list("Other", "latest") is None


def test_popular_keeps_widget_heading_and_order(tmp_path: Path) -> None:
    cache = Cache.open(tmp_path / "cache.sqlite3")
    result = PopularResult(
        page_url="https://hearth.example/", items=REFS[::-1], widget="wpp", heading="Most read"
    )
    cache.put_popular("Hearth", result, WHEN)
    got = cache.get_popular("Hearth")
    assert got == (result, WHEN)
    none_found = PopularResult(page_url="https://plain.example/")
    cache.put_popular("Plain", none_found, WHEN)
    plain = cache.get_popular("Plain")
    assert plain is not None
    assert plain[0].found is False
    assert plain[0].items == ()


def test_articles_by_normalized_and_canonical_url(tmp_path: Path) -> None:
    cache = Cache.open(tmp_path / "cache.sqlite3")
    article = Article(
        title="Tending a Winter Garden",
        markdown="# Tending\n\nCold frames.",
        url="https://hearth.example/2026/11/tending-a-winter-garden/",
        byline="Mara Quill",
        published=datetime(2026, 11, 20, 8, 0, tzinfo=UTC),
        site_name="Hearth & Field",
        word_count=4,
    )
    cache.put_article("https://HEARTH.example/2026/11/tending-a-winter-garden/?m=1#top", article, WHEN)
    got = cache.get_article("https://hearth.example/2026/11/tending-a-winter-garden/")
    assert got is not None
    assert got.article == article
    assert got.fetched_at == WHEN
    assert cache.get_article("https://hearth.example/elsewhere/") is None


def test_lists_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    first = Cache.open(path)
    first.put_list("Hearth", "latest", REFS, WHEN)
    first.close()
    again = Cache.open(path)
    cached = again.get_list("Hearth", "latest")
    assert cached is not None and cached.items == REFS
    assert again.notice is None


def test_forget_source_drops_its_lists(tmp_path: Path) -> None:
    cache = Cache.open(tmp_path / "cache.sqlite3")
    cache.put_list("Hearth", "latest", REFS, WHEN)
    cache.put_list("Other", "latest", REFS[:1], WHEN)
    cache.forget_source("Hearth")
    assert cache.get_list("Hearth", "latest") is None
    assert cache.get_list("Other", "latest") is not None


def test_corrupt_file_is_moved_aside_and_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    path.write_bytes(b"this is not a database, it is a shopping list\n" * 200)
    cache = Cache.open(path)
    assert cache.notice is not None and "moved it to cache.sqlite3.corrupt-" in cache.notice
    aside = [p.name for p in tmp_path.iterdir() if p.name.startswith("cache.sqlite3.corrupt-")]
    assert len(aside) == 1
    assert (tmp_path / aside[0]).read_bytes().startswith(b"this is not a database")
    cache.put_list("Hearth", "latest", REFS, WHEN)
    cached = cache.get_list("Hearth", "latest")
    assert cached is not None and cached.items == REFS


def test_cache_uses_wal_with_normal_sync(tmp_path: Path) -> None:
    cache = Cache.open(tmp_path / "cache.sqlite3")
    try:
        assert cache._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert cache._db.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    finally:
        cache.close()


def test_touched_lists_keep_their_items_with_a_new_stamp_and_meta(tmp_path: Path) -> None:
    cache = Cache.open(tmp_path / "cache.sqlite3")
    later = datetime(2026, 11, 28, 15, 30, tzinfo=UTC)
    first_meta = {"feed_url": "https://hearth.example/feed/", "etag": '"v1"'}
    cache.put_lists([("Hearth", "latest", REFS, WHEN, first_meta), ("Quay", "latest", REFS[:1], WHEN, None)])
    cache.put_lists(
        [("Quay", "latest", REFS[1:], later, {"feed_url": "https://quay.example/rss"})],
        touched=[
            ("Hearth", "latest", later, {"feed_url": "https://hearth.example/feed/", "etag": '"v2"'}),
            ("Never stored", "latest", later, {}),  # nothing to touch: no list appears
        ],
    )
    hearth = cache.get_list("Hearth", "latest")
    quay = cache.get_list("Quay", "latest")
    assert hearth is not None and quay is not None
    assert (hearth.items, hearth.fetched_at) == (REFS, later)
    assert hearth.meta == {"feed_url": "https://hearth.example/feed/", "etag": '"v2"'}
    assert (quay.items, quay.fetched_at, quay.meta) == (
        REFS[1:],
        later,
        {"feed_url": "https://quay.example/rss"},
    )
    assert cache.get_list("Never stored", "latest") is None


def test_list_metas_without_the_items_and_not_for_damaged_lists(tmp_path: Path) -> None:
    cache = Cache.open(tmp_path / "cache.sqlite3")
    cache.put_list(
        "Hearth", "latest", REFS, WHEN, {"feed_url": "https://hearth.example/feed/", "etag": '"v1"'}
    )
    cache.put_list("Plain", "latest", REFS[:1], WHEN)
    cache.put_list("Hearth", "popular", REFS, WHEN, {"page_url": "https://hearth.example/"})
    cache.put_list("Broken", "latest", REFS, WHEN, {"feed_url": "https://broken.example/feed"})
    cache.put_list("Odd meta", "latest", REFS, WHEN)
    cache.close()
    # Damage one list's items and another's meta, as a crash or a hand edit could.
    with sqlite3.connect(tmp_path / "cache.sqlite3") as db:
        db.execute("UPDATE lists SET items = '[{\"title\": ' WHERE source = 'Broken'")
        db.execute("UPDATE lists SET meta = '[1, 2]' WHERE source = 'Odd meta'")
    db.close()

    cache = Cache.open(tmp_path / "cache.sqlite3")
    assert cache.list_metas("latest") == {
        "Hearth": {"feed_url": "https://hearth.example/feed/", "etag": '"v1"'},
        "Plain": {},
    }
    assert cache.list_metas("popular") == {"Hearth": {"page_url": "https://hearth.example/"}}
    assert cache.get_list("Broken", "latest") is None  # rebuilt by the next refresh, as it is left out above
