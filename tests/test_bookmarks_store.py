"""The bookmark store on real SQLite files: saving, merging, tags, search, migrations, refusals."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from termreader.bookmarks.schema import SCHEMA_VERSION, V1
from termreader.bookmarks.store import (
    Bookmark,
    BookmarkDraft,
    BookmarkInputError,
    BookmarkStore,
    bookmark_url,
    parse_snippet,
)
from termreader.errors import StoreError
from termreader.models import Article
from termreader.paths import AppPaths

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)

HARBOUR = Article(
    title="The quiet harbour at dawn",
    markdown="Before the first ferry leaves, the harbour belongs to the gulls.\n\n"
    "## What the tide brings in\n\nLow tide uncovers weed, shell and a brass compass.",
    url="https://harbour-notes.example/posts/quiet-harbour/?utm_source=feed&utm_medium=rss",
    byline="Maren Holt",
    published=datetime(2024, 4, 2, 6, 30, tzinfo=UTC),
    site_name="Harbour Notes",
    word_count=27,
)
CAFE = Article(
    title="Pastéis de nata, ranked",
    markdown="We tasted twelve custard tarts across Lisbon. The café near the tram stop won.",
    url="https://cafe-lisboa.example/pasteis",
    byline="Rui Costa",
    site_name="Café Lisboa",
)


@pytest.fixture
def store(isolated_dirs: AppPaths) -> Iterator[BookmarkStore]:
    opened = BookmarkStore.open(isolated_dirs.bookmarks_db)
    yield opened
    opened.close()


def test_open_creates_the_folder_and_a_wal_database(isolated_dirs: AppPaths) -> None:
    path = isolated_dirs.bookmarks_db
    assert not path.parent.exists()
    BookmarkStore.open(path).close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2


def test_save_article_keeps_every_field(store: BookmarkStore) -> None:
    saved = store.save_article(HARBOUR, source="Harbour Notes", tags=["sea", "Mornings"])
    assert saved == Bookmark(
        id=1,
        url="https://harbour-notes.example/posts/quiet-harbour/",
        title="The quiet harbour at dawn",
        byline="Maren Holt",
        site="Harbour Notes",
        published=datetime(2024, 4, 2, 6, 30, tzinfo=UTC),
        saved_at=saved.saved_at,
        source="Harbour Notes",
        tags=("sea", "Mornings"),
        note="",
        read=False,
        markdown=HARBOUR.markdown,
        word_count=27,
    )
    assert store.get(1) == saved
    assert store.get("https://HARBOUR-notes.example/posts/quiet-harbour/#top") == saved
    assert store.get("1") == saved
    article = saved.to_article()
    assert (article.title, article.url, article.site_name, article.word_count) == (
        "The quiet harbour at dawn",
        "https://harbour-notes.example/posts/quiet-harbour/",
        "Harbour Notes",
        27,
    )


def test_resaving_refreshes_the_body_and_keeps_user_data(store: BookmarkStore) -> None:
    first = store.save_article(HARBOUR, tags=["sea"])
    store.set_note(first.id, "read aloud to Ida")
    store.set_read(first.id)
    newer = Article(title="The quiet harbour at dawn (updated)", markdown="New text.", url=HARBOUR.url)
    again = store.save_article(newer, tags=["SEA", "travel"])
    assert again.id == first.id
    assert (again.title, again.markdown, again.word_count) == (
        "The quiet harbour at dawn (updated)",
        "New text.",
        2,
    )
    assert (again.tags, again.note, again.read, again.saved_at) == (
        ("sea", "travel"),
        "read aloud to Ida",
        True,
        first.saved_at,
    )
    assert store.count() == 1


def test_bookmark_url_normalises_and_refuses_non_web_addresses() -> None:
    assert (
        bookmark_url("HTTPS://Example.COM/a?utm_source=x&b=2&UTM_Medium=y#frag")
        == "https://example.com/a?b=2"
    )
    assert bookmark_url("http://example.com") == "http://example.com/"
    for bad in ("javascript:alert(1)", "file:///etc/passwd", "not a url", "ftp://example.com/x"):
        with pytest.raises(BookmarkInputError):
            bookmark_url(bad)


def test_save_link_then_fill_body(store: BookmarkStore) -> None:
    link = store.save_link(
        "https://cafe-lisboa.example/pasteis", tags=["travel"], saved_at=T0, note="for May"
    )
    assert (link.title, link.markdown, link.word_count, link.saved_at) == (
        "https://cafe-lisboa.example/pasteis",
        "",
        0,
        T0,
    )
    assert [b.id for b in store.without_body()] == [link.id]
    filled = store.fill_body(link.id, CAFE)
    assert (filled.title, filled.byline, filled.site, filled.tags, filled.note, filled.saved_at) == (
        "Pastéis de nata, ranked",
        "Rui Costa",
        "Café Lisboa",
        ("travel",),
        "for May",
        T0,
    )
    assert filled.word_count == 14
    assert store.without_body() == []


def test_list_newest_first_with_tag_and_source_filters(store: BookmarkStore) -> None:
    store.import_many(
        [
            BookmarkDraft(url="https://a.example/1", title="One", saved_at=T0, tags=("x",), source="A"),
            BookmarkDraft(
                url="https://a.example/2", title="Two", saved_at=T0.replace(day=3), tags=("x", "y")
            ),
            BookmarkDraft(url="https://a.example/3", title="Three", saved_at=T0.replace(day=2), source="A"),
        ]
    )
    assert [b.title for b in store.list()] == ["Two", "Three", "One"]
    assert [b.title for b in store.list(tag="X")] == ["Two", "One"]
    assert [b.title for b in store.list(source="A")] == ["Three", "One"]
    assert [b.title for b in store.list(tag="x", source="A")] == ["One"]
    assert [b.title for b in store.list(limit=1)] == ["Two"]
    assert store.tags() == [("x", 2), ("y", 1)]
    assert store.sources() == [("A", 2)]


def test_saved_urls_answers_for_a_whole_list(store: BookmarkStore) -> None:
    store.save_article(HARBOUR)
    urls = [
        "https://harbour-notes.example/posts/quiet-harbour/?utm_source=x",
        "https://cafe-lisboa.example/pasteis",
        "mailto:someone@example.com",
    ]
    assert store.saved_urls(urls) == {"https://harbour-notes.example/posts/quiet-harbour/?utm_source=x"}
    assert store.is_saved("https://harbour-notes.example/posts/quiet-harbour/")
    assert not store.is_saved("javascript:void(0)")


def test_remove_and_restore_keep_the_same_bookmark(store: BookmarkStore) -> None:
    saved = store.save_article(HARBOUR, tags=["sea"])
    store.set_note(saved.id, "a note")
    before = store.get(saved.id)
    assert before is not None
    removed = store.remove(saved.id)
    assert removed == before
    assert store.get(saved.id) is None
    assert store.search("harbour") == []
    assert store.tags() == []
    assert store.restore(before) == before
    assert [h.bookmark.id for h in store.search("harbour")] == [saved.id]
    assert store.tags() == [("sea", 1)]
    assert store.remove(999) is None


def test_tags_are_cleaned_and_deduplicated(store: BookmarkStore) -> None:
    saved = store.save_article(HARBOUR, tags=["  sea  ", "Sea", "", "long\twalks\x1b[31m", "sea"])
    assert saved.tags == ("sea", "long walks[31m")
    assert store.add_tags(saved.id, ["NEW", "sea"]).tags == ("sea", "long walks[31m", "NEW")
    assert store.set_tags(saved.id, ["only"]).tags == ("only",)
    assert store.tags() == [("only", 1)]
    with pytest.raises(BookmarkInputError):
        store.set_tags(42, ["x"])


def test_search_ranks_title_first_folds_diacritics_and_highlights(store: BookmarkStore) -> None:
    store.save_article(CAFE)
    body_only = Article(
        title="Tram lines of the old town",
        markdown="Line 28 climbs past a pastelaria; pasteis come warm from the oven.",
        url="https://trams.example/28",
    )
    store.save_article(body_only)
    hits = store.search("pasteis")
    assert [h.bookmark.title for h in hits] == ["Pastéis de nata, ranked", "Tram lines of the old town"]
    assert hits[0].snippet == "Pastéis de nata, ranked"
    assert [hits[0].snippet[s:e] for s, e in hits[0].highlights] == ["Pastéis"]
    second = hits[1]
    assert [second.snippet[s:e] for s, e in second.highlights] == ["pasteis"]
    assert "pastelaria; pasteis come warm" in second.snippet
    # prefix as you type, accents typed or not
    assert [h.bookmark.title for h in store.search("pasté")] == [h.bookmark.title for h in hits]
    assert [h.bookmark.title for h in store.search("CAF")] == ["Pastéis de nata, ranked"]


def test_search_filters_excludes_and_phrases(store: BookmarkStore) -> None:
    store.save_article(HARBOUR, tags=["sea"], source="Harbour Notes")
    store.save_article(CAFE, tags=["food"])
    assert [h.bookmark.title for h in store.search("the")] == [
        "The quiet harbour at dawn",
        "Pastéis de nata, ranked",
    ]
    assert [h.bookmark.title for h in store.search("the -harbour")] == ["Pastéis de nata, ranked"]
    assert [h.bookmark.title for h in store.search("the", tag="food")] == ["Pastéis de nata, ranked"]
    assert [h.bookmark.title for h in store.search("the", source="Harbour Notes")] == [
        "The quiet harbour at dawn"
    ]
    assert [h.bookmark.title for h in store.search('"brass compass"')] == ["The quiet harbour at dawn"]
    assert store.search('"compass brass"') == []
    assert [h.bookmark.title for h in store.search("maren")] == ["The quiet harbour at dawn"]  # byline
    assert [h.bookmark.title for h in store.search("food")] == ["Pastéis de nata, ranked"]  # tags
    store.set_note(2, "bring Ida")
    assert [h.bookmark.title for h in store.search("ida")] == ["Pastéis de nata, ranked"]  # note


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '""',
        "AND",
        "OR",
        "NOT",
        "NEAR(a b)",
        "*",
        "-",
        "--",
        "(",
        "a)",
        "title:harbour",
        "^x",
        "a + b",
        "\x00",
    ],
)
def test_hostile_queries_never_raise(store: BookmarkStore, text: str) -> None:
    store.save_article(HARBOUR)
    assert isinstance(store.search(text), list)


def test_parse_snippet_turns_markers_into_offsets() -> None:
    assert parse_snippet("…the \x02harbour\x03\n\nbelongs to \x02the\x03 gulls…") == (
        "…the harbour belongs to the gulls…",
        ((5, 12), (24, 27)),
    )


def test_a_v1_database_upgrades_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(V1)
    db.execute(
        "INSERT INTO bookmarks(url, title, byline, site, published, saved_at, source, tags, markdown, "
        "word_count) "
        "VALUES ('https://old.example/a', 'An old lighthouse post', 'Keeper', 'Old Site', "
        "'2019-03-01T10:00:00+01:00', '2019-03-02T08:00:00.000000+00:00', 'old', 'sea\tlights', "
        "'The keeper rowed ashore with a cat.', 7)"
    )
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    store = BookmarkStore.open(path)
    (bookmark,) = store.list()
    assert bookmark == Bookmark(
        id=1,
        url="https://old.example/a",
        title="An old lighthouse post",
        byline="Keeper",
        site="Old Site",
        published=datetime.fromisoformat("2019-03-01T10:00:00+01:00"),
        saved_at=datetime(2019, 3, 2, 8, 0, tzinfo=UTC),
        source="old",
        tags=("sea", "lights"),
        note="",
        read=False,
        markdown="The keeper rowed ashore with a cat.",
        word_count=7,
    )
    assert [h.bookmark.id for h in store.search("rowed ashore")] == [1]
    assert store.tags() == [("lights", 1), ("sea", 1)]
    store.close()
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_newer_database_is_refused_and_left_byte_identical(tmp_path: Path) -> None:
    path = tmp_path / "data" / "future.sqlite3"
    path.parent.mkdir()
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE bookmarks (id INTEGER PRIMARY KEY, url TEXT, hologram BLOB)")
    db.execute("PRAGMA user_version = 99")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError) as caught:
        BookmarkStore.open(path)
    assert str(caught.value) == (
        f"{path}: the bookmarks database has schema version 99, newer than this termreader understands (2); "
        "upgrade termreader (the file was left untouched)"
    )
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["future.sqlite3"]


def test_another_programs_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE places (id INTEGER PRIMARY KEY)")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a termreader bookmarks database"):
        BookmarkStore.open(path)
    assert path.read_bytes() == before


def test_import_many_keeps_ids_when_free_and_merges_duplicates(store: BookmarkStore) -> None:
    store.save_link("https://a.example/taken", saved_at=T0)
    counts = store.import_many(
        [
            BookmarkDraft(id=1, url="https://a.example/x", title="X", saved_at=T0),
            BookmarkDraft(id=7, url="https://a.example/y", title="Y", saved_at=T0),
            BookmarkDraft(url="https://a.example/taken", title="Taken", tags=("t",), read=True),
            BookmarkDraft(url="place:sort=8", title="Smart folder"),
        ],
        keep_ids=True,
    )
    assert (counts.added, counts.updated, counts.skipped) == (2, 1, ("place:sort=8",))
    by_url = {b.url: b for b in store.list()}
    assert by_url["https://a.example/y"].id == 7
    assert by_url["https://a.example/x"].id not in (1, 7)
    taken = by_url["https://a.example/taken"]
    assert (taken.id, taken.title, taken.tags, taken.read) == (1, "Taken", ("t",), True)


def test_a_failed_batch_leaves_nothing_behind(store: BookmarkStore) -> None:
    drafts = [
        BookmarkDraft(url=f"https://a.example/{n}", title=f"Tide table {n}", markdown="tides")
        for n in range(5)
    ]
    # The fourth row cannot be stored (SQLite integers are 64-bit): the whole batch must roll back.
    drafts[3] = BookmarkDraft(url="https://a.example/3", title="Overflow", markdown="tides", word_count=2**70)
    with pytest.raises(OverflowError):
        store.import_many(drafts)
    assert store.count() == 0
    assert store.search("tide") == []
    assert store.import_many(drafts[:3]).added == 3


def test_tag_count_and_length_are_capped(store: BookmarkStore) -> None:
    saved = store.save_article(HARBOUR, tags=[f"t{n}" for n in range(10_000)] + ["x" * 500])
    assert saved.tags == tuple(f"t{n}" for n in range(64))
    assert store.set_tags(saved.id, ["y" * 500]).tags == ("y" * 100,)


def test_search_limit_is_capped(store: BookmarkStore) -> None:
    store.import_many(
        [BookmarkDraft(url=f"https://a.example/{n}", title="tide", markdown="tide") for n in range(1200)]
    )
    assert len(store.search("tide", limit=50_000)) == 1000
