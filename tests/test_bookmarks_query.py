"""User text to FTS5 queries: the expressions we build, and that no text ever makes SQLite raise."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from termreader.bookmarks.query import ParsedQuery, build_match, parse, tokens
from termreader.bookmarks.store import BookmarkStore
from termreader.models import Article
from termreader.paths import AppPaths


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("harbour", '"harbour"*'),
        ("harbour ", '"harbour"'),
        ("quiet harbour", '"quiet" "harbour"*'),
        ("h", '"h"'),  # one letter: a whole word, not a prefix over the entire vocabulary
        ("the -harbour", '("the") NOT "harbour"'),
        ('"brass compass" tide', '"brass compass" "tide"*'),
        ('"brass compass"', '"brass compass"'),
        ('"brass comp', '"brass comp"'),  # an unclosed quote is a phrase still being typed: no prefix
        ("don't", '"don t"'),  # the last token is one letter
        ("dont", '"dont"*'),
        ("title:harbour", '"title harbour"*'),
        ("AND OR NEAR", '"AND" "OR" "NEAR"*'),
        ("NEAR(a b, 2)", '"NEAR a" "b" "2"'),
        ("c++ (", '"c"'),
        ('* - ( ) : ^ "', None),
        ("-harbour", None),  # only exclusions: nothing to look for
        ("", None),
        ("   ", None),
        ("Pastéis", '"Pastéis"*'),
        ("東京 タワー", '"東京" "タワー"*'),
        ("snake_case", '"snake case"*'),
    ],
)
def test_build_match(text: str, expected: str | None) -> None:
    assert build_match(text) == expected


def test_parse_keeps_phrases_and_exclusions_apart() -> None:
    assert parse('-"tide table" harbour -gulls "brass compass"') == ParsedQuery(
        include=(("harbour",), ("brass", "compass")),
        exclude=(("tide", "table"), ("gulls",)),
        prefix_last=False,
    )


def test_tokens_split_like_unicode61() -> None:
    assert tokens("Café-au-lait, 3½ cups; naïve_été") == ("Café", "au", "lait", "3½", "cups", "naïve", "été")


@pytest.fixture(scope="module")
def fts() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE VIRTUAL TABLE t USING fts5(a, b, tokenize='unicode61 remove_diacritics 2', prefix='2 3')"
    )
    db.execute("INSERT INTO t VALUES ('the quiet harbour', 'café au lait AND near or not')")
    return db


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=60))
def test_any_text_is_a_valid_fts5_query(fts: sqlite3.Connection, text: str) -> None:
    match = build_match(text)
    if match is not None:
        fts.execute("SELECT rowid FROM t WHERE t MATCH ?", (match,)).fetchall()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab \"-*():^+ANDORNEAR\\'\t")), max_size=30))
def test_operator_soup_is_a_valid_fts5_query(fts: sqlite3.Connection, text: str) -> None:
    match = build_match(text)
    if match is not None:
        fts.execute("SELECT rowid FROM t WHERE t MATCH ?", (match,)).fetchall()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=40))
def test_store_search_never_raises(isolated_dirs: AppPaths, text: str) -> None:
    with BookmarkStore.open(isolated_dirs.bookmarks_db) as store:
        if store.count() == 0:
            store.save_article(
                Article(
                    title="Near the harbour", markdown='AND or NOT "quoted" text', url="https://a.example/"
                )
            )
        hits = store.search(text)
        assert all(h.bookmark.url == "https://a.example/" for h in hits)
