"""Property-based tests: arbitrary bytes, text and generated HTML/XML/TOML never make a core parser raise
anything but our typed errors, and what they return is safe to print.

Derandomized (the same examples on every run, so CI is stable) and modest in size; `deadline=None` because
a parse time is not what is under test here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from termreader.config import parse_config
from termreader.discover import find_feed_links
from termreader.extract import extract_article
from termreader.feeds import parse_feed
from termreader.listing import extract_listing
from termreader.markdown_convert import html_to_markdown
from termreader.opml import read_opml
from termreader.popular import find_popular
from termreader.textdecode import decode_text
from termreader.textutil import clean_text, strip_unsafe
from tests.hostile.conftest import assert_safe, outcome
from tests.hostile.generators import unsafe_in_line

PROPERTY: Final = settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

HOSTILE_CHARS: Final = st.sampled_from(
    [
        "\x1b",
        "\x1b[31m",
        "\x1b]0;t\x07",
        "\x9b",
        "\x00",
        "\r",
        "\u202e",
        "\u2066",
        "\ufeff",
        "\u200b",
        "&",
        "<",
        ">",
        '"',
        "'",
        "]]>",
        "&#27;",
        "&lol;",
        "[@click=app.quit]",
        "[/]",
        "`",
        "*",
        "\\",
        "\ud800",
    ]
)
TEXT: Final = st.lists(st.one_of(st.text(max_size=12), HOSTILE_CHARS), max_size=8).map("".join)
"""Short text mixing arbitrary Unicode with the characters attacks are made of."""

XML_TAGS: Final = [
    "rss",
    "channel",
    "item",
    "title",
    "link",
    "description",
    "guid",
    "pubDate",
    "feed",
    "entry",
    "summary",
    "content",
    "author",
    "name",
    "id",
    "updated",
    "rdf:RDF",
    "dc:creator",
    "opml",
    "body",
    "outline",
    "media:thumbnail",
    "enclosure",
    "x",
]
HTML_TAGS: Final = [
    "html",
    "head",
    "body",
    "title",
    "meta",
    "link",
    "base",
    "div",
    "article",
    "main",
    "p",
    "a",
    "h1",
    "h2",
    "h3",
    "ul",
    "ol",
    "li",
    "table",
    "tr",
    "td",
    "th",
    "pre",
    "code",
    "blockquote",
    "img",
    "span",
    "time",
    "script",
    "style",
    "section",
    "aside",
    "nav",
    "br",
    "hr",
    "em",
]
ATTRS: Final = [
    "href",
    "src",
    "class",
    "id",
    "rel",
    "type",
    "title",
    "content",
    "property",
    "name",
    "datetime",
    "xmlUrl",
    "text",
    "data-src",
    "srcset",
    "charset",
    "version",
]
ATTR_VALUES: Final = st.one_of(
    TEXT,
    st.sampled_from(
        [
            "alternate",
            "application/rss+xml",
            "PopularPosts",
            "widget PopularPosts",
            "post hentry",
            "og:title",
            "author",
            "https://a.example/2026/01/x.html",
            "/2026/02/y.html",
            "javascript:x",
            "//cdn.example/i.png",
            "file:///etc/passwd",
            "2.0",
            "canonical",
            "popular-posts",
        ]
    ),
)


def _markup(tags: list[str]) -> st.SearchStrategy[str]:
    attribute = st.tuples(st.sampled_from(ATTRS), ATTR_VALUES).map(
        lambda pair: f' {pair[0]}="{pair[1].replace(chr(34), "&quot;")}"'
    )
    leaf = TEXT

    def element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.tuples(
            st.sampled_from(tags),
            st.lists(attribute, max_size=3),
            st.lists(children, max_size=4),
            st.booleans(),
        ).map(lambda t: f"<{t[0]}{''.join(t[1])}>{''.join(t[2])}" + (f"</{t[0]}>" if t[3] else ""))

    return st.recursive(leaf, element, max_leaves=30)


XMLISH: Final = _markup(XML_TAGS)
HTMLISH: Final = _markup(HTML_TAGS)
PROLOG: Final = st.sampled_from(
    [
        "",
        '<?xml version="1.0"?>',
        '<?xml version="1.0" encoding="iso-8859-1"?>',
        "\ufeff",
        '<!DOCTYPE rss [<!ENTITY a "x">]>',
        "<!DOCTYPE html>",
        '<rss version="2.0"><channel>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
    ]
)
URL: Final = "https://blog.example.com/2026/03/page.html"


@PROPERTY
@given(st.binary(max_size=3000))
def test_parse_feed_arbitrary_bytes(body: bytes) -> None:
    assert_safe(outcome(parse_feed, body, URL))


@PROPERTY
@given(PROLOG, XMLISH)
def test_parse_feed_xmlish(prolog: str, text: str) -> None:
    body = (prolog + text).encode("utf-8", "surrogatepass")
    assert_safe(outcome(parse_feed, body, URL))


@PROPERTY
@given(
    st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), TEXT),
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(
                st.sampled_from(
                    [
                        "title",
                        "url",
                        "id",
                        "items",
                        "authors",
                        "author",
                        "name",
                        "summary",
                        "content_html",
                        "date_published",
                        "image",
                        "home_page_url",
                        "external_url",
                    ]
                ),
                children,
                max_size=5,
            ),
        ),
        max_leaves=25,
    )
)
def test_parse_json_feed_any_shape(items: object) -> None:
    data = {"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": items}
    assert_safe(outcome(parse_feed, json.dumps(data).encode(), URL))


@PROPERTY
@given(PROLOG, HTMLISH)
def test_find_popular(prolog: str, html: str) -> None:
    assert_safe(outcome(find_popular, prolog + html, URL))


@PROPERTY
@given(HTMLISH)
def test_extract_listing(html: str) -> None:
    assert_safe(outcome(extract_listing, html, URL))


@PROPERTY
@given(HTMLISH)
def test_find_feed_links(html: str) -> None:
    links = outcome(find_feed_links, html, URL)
    assert_safe(links)
    assert isinstance(links, list)
    assert all(link.url.startswith(("http://", "https://", "file:")) for link in links)


@PROPERTY
@given(PROLOG, HTMLISH)
def test_extract_article(prolog: str, html: str) -> None:
    assert_safe(outcome(extract_article, prolog + html, URL))


@PROPERTY
@given(HTMLISH)
def test_html_to_markdown(html: str) -> None:
    markdown = outcome(html_to_markdown, html)
    assert isinstance(markdown, str)
    assert markdown == "" or markdown.endswith("\n")


@pytest.mark.parametrize("html", ["\ud800", '<p title="\udfff">x</p>'])
def test_html_to_markdown_lone_surrogate(html: str) -> None:
    """Unreachable through extract_article (lxml never yields surrogates), but the function is public."""
    assert isinstance(outcome(html_to_markdown, html), str)


@PROPERTY
@given(st.one_of(st.binary(max_size=2000), XMLISH.map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_read_opml(data: bytes) -> None:
    assert_safe(outcome(read_opml, data, "any.opml"))


TOML_LINE: Final = st.one_of(
    st.sampled_from(["[settings]", "[[sources]]", "[sources]", "[x.y]", "", "# comment", '"""', "[", "]]"]),
    st.tuples(
        st.sampled_from(
            ["name", "url", "kind", "limit", "theme", "item_limit", "timeout_seconds", "x", '"q"']
        ),
        st.one_of(
            st.integers().map(str),
            st.floats().map(str),
            TEXT.map(lambda t: json.dumps(t)),
            st.sampled_from(
                [
                    '"https://a.example/"',
                    "[1, [2]]",
                    "{a = 1}",
                    "true",
                    "1979-05-27",
                    "inf",
                    "nan",
                    '"""x"""',
                    "'lit'",
                    '"\\u001b"',
                ]
            ),
        ),
    ).map(lambda kv: f"{kv[0]} = {kv[1]}"),
    TEXT,
)


@PROPERTY
@given(st.lists(TOML_LINE, max_size=12).map("\n".join))
def test_parse_config(text: str) -> None:
    value = outcome(parse_config, text, Path("/tmp/config.toml"))
    assert_safe(value)


@PROPERTY
@given(
    st.binary(max_size=3000),
    st.one_of(
        st.none(),
        TEXT,
        st.sampled_from(
            [
                "text/html; charset=utf-8",
                "text/html; charset=x-nope",
                "application/xml; charset=utf-16",
                "text/html; charset=utf-7",
                "text/html; charset=\x00",
            ]
        ),
    ),
)
def test_decode_text(body: bytes, content_type: str | None) -> None:
    text, encoding = decode_text(body, content_type)
    assert isinstance(text, str) and isinstance(encoding, str) and encoding
    text.encode("utf-8")


@PROPERTY
@given(st.text(max_size=200))
def test_clean_text_is_one_safe_line(text: str) -> None:
    cleaned = clean_text(text)
    assert unsafe_in_line(cleaned) == []
    assert cleaned == cleaned.strip()
    assert clean_text(cleaned) == cleaned


@PROPERTY
@given(st.text(max_size=200))
def test_strip_unsafe_is_idempotent(text: str) -> None:
    once = strip_unsafe(text)
    assert strip_unsafe(once) == once
    once.encode("utf-8")
