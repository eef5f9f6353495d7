"""Hostile feeds: XML bombs, external entities, 100k items, JSON Feed with wrong types and broken JSON."""

from __future__ import annotations

import json
from typing import Final

import pytest

from termreader.errors import FeedError
from termreader.feeds import parse_feed
from termreader.models import ParsedFeed
from tests.hostile.conftest import Secret, assert_safe, outcome, run_bounded
from tests.hostile.generators import JSON_RAW_HOSTILE, JSON_WRONG_TYPES

URL: Final = "https://blog.example.com/feed"

ITEM_CAP_CEILING: Final = 5_000
"""No list a person reads needs more items than this; a feed of 100k must be cut, not parsed whole."""

KINDS: Final = ("rss", "atom", "rdf")


# --- XML bombs and external entities ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("bomb", ["laughs_feed", "quadratic_feed"])
def test_entity_expansion_bomb_is_bounded(bomb: str, kind: str) -> None:
    code = f"""
from termreader.feeds import parse_feed
from tests.hostile.generators import {bomb}
body = {bomb}({kind!r})
value = call(parse_feed, body, "https://blog.example.com/feed")
longest = max((len(i.title) + len(i.snippet or "") for i in getattr(value, "items", ())), default=0)
finish(value, longest=longest)
"""
    result = run_bounded(code)
    # Whatever is kept, an expanded entity never lands in a title or snippet at full size.
    assert result.data.get("longest", 0) <= 2_000


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("attack", ["xxe_feed", "xxe_parameter_feed", "xinclude_feed"])
def test_external_entity_never_reads_local_file(attack: str, kind: str, secret: Secret) -> None:
    code = f"""
from termreader.feeds import parse_feed
from tests.hostile.generators import {attack}
value = call(parse_feed, {attack}({kind!r}, {secret.url!r}), "https://blog.example.com/feed")
finish(value, text=repr(value))
"""
    result = run_bounded(code, secret=secret.marker)
    assert secret.marker not in result.data.get("text", "")


# --- floods -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("builder", ["big_rss", "big_json_feed"])
def test_hundred_thousand_items_are_capped(builder: str) -> None:
    code = f"""
from termreader.feeds import parse_feed
from tests.hostile.generators import {builder}
value = call(parse_feed, {builder}(100_000), "https://blog.example.com/feed")
finish(value, count=len(getattr(value, "items", ())), first=getattr(value, "items", ())[0].title)
"""
    result = run_bounded(code)
    assert result.outcome == "result"
    assert result.data["first"] == "Item number 0"
    assert 0 < result.data["count"] <= ITEM_CAP_CEILING


def test_huge_single_title_is_capped() -> None:
    body = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>'
        + "A" * 2_000_000
        + "</title><link>https://blog.example.com/1</link><description>"
        + "B " * 1_000_000
        + "</description></item></channel></rss>"
    ).encode()
    feed = outcome(parse_feed, body, URL)
    assert isinstance(feed, ParsedFeed)
    assert_safe(feed)
    assert len(feed.items) == 1
    assert len(feed.items[0].title) <= 300
    assert feed.items[0].snippet is not None and len(feed.items[0].snippet) <= 201


def test_deeply_nested_feed_elements_are_bounded() -> None:
    code = """
from termreader.feeds import parse_feed
inner = "<div>" * 100_000 + "deep" + "</div>" * 100_000
body = ('<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>Deep</title>'
        '<link>https://blog.example.com/1</link><description>' + inner
        + '</description></item></channel></rss>')
finish(call(parse_feed, body.encode(), "https://blog.example.com/feed"))
"""
    run_bounded(code)


# --- JSON Feed ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "data"), JSON_WRONG_TYPES, ids=[name for name, _ in JSON_WRONG_TYPES])
def test_json_feed_wrong_types(name: str, data: object) -> None:
    value = outcome(parse_feed, json.dumps(data).encode(), "https://blog.example.com/feed.json")
    assert_safe(value)
    if isinstance(value, ParsedFeed):
        for item in value.items:
            assert item.url.startswith("https://"), item.url
            assert isinstance(item.title, str) and item.title


def test_json_feed_wrong_types_keeps_what_is_readable() -> None:
    data = dict(JSON_WRONG_TYPES)["dates-garbage"]
    feed = outcome(parse_feed, json.dumps(data).encode(), "https://blog.example.com/feed.json")
    assert isinstance(feed, ParsedFeed)
    assert [(item.title, item.published) for item in feed.items] == [("A", None), ("B", None), ("C", None)]


def test_json_feed_javascript_links_dropped() -> None:
    data = dict(JSON_WRONG_TYPES)["home-javascript"]
    feed = outcome(parse_feed, json.dumps(data).encode(), "https://blog.example.com/feed.json")
    assert isinstance(feed, ParsedFeed)
    assert all(not item.url.startswith("javascript:") for item in feed.items)
    assert feed.site_url is None or not feed.site_url.startswith("javascript:")


@pytest.mark.parametrize(("name", "body"), JSON_RAW_HOSTILE, ids=[name for name, _ in JSON_RAW_HOSTILE])
def test_json_feed_raw_hostile(name: str, body: bytes) -> None:
    value = outcome(parse_feed, body, "https://blog.example.com/feed.json")
    assert_safe(value)


def test_json_feed_control_escapes_cleaned() -> None:
    feed = outcome(parse_feed, dict(JSON_RAW_HOSTILE)["nul-escapes"], "https://blog.example.com/feed.json")
    assert isinstance(feed, ParsedFeed)
    assert feed.title is not None and "[31m" in feed.title and "\x1b" not in feed.title
    assert [item.title for item in feed.items] == ["]0;tT"]


def test_not_a_feed_is_a_feed_error() -> None:
    with pytest.raises(FeedError, match="looks like an HTML page"):
        parse_feed(b"<!DOCTYPE html><html><body>x</body></html>", URL)


def test_control_characters_in_item_urls_are_percent_encoded() -> None:
    data = {
        "version": "https://jsonfeed.org/version/1.1",
        "items": [
            {"url": "https://a.example/x\x1b[31m\u202e", "title": "Escaped"},
            {"url": "https://a.example/\ty\n\r", "title": "Spaced"},
            {"url": "\x7f", "title": "Deleted"},
        ],
    }
    feed = outcome(parse_feed, json.dumps(data).encode(), "https://a.example/feed.json")
    assert isinstance(feed, ParsedFeed)
    assert_safe(feed)
    assert [item.url for item in feed.items] == [
        "https://a.example/x%1B[31m%E2%80%AE",
        "https://a.example/y",
        "https://a.example/%7F",
    ]


def test_lone_surrogates_are_dropped_from_json_feed_text() -> None:
    feed = outcome(parse_feed, dict(JSON_RAW_HOSTILE)["lone-surrogate"], "https://a.example/feed.json")
    assert isinstance(feed, ParsedFeed)
    assert feed.title == "x"
    assert [item.title for item in feed.items] == ["bad pair"]
