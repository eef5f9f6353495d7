"""Text attacks (escape sequences, controls, bidi, markup) in every field the core reads: shown as text.

Each attack is put into titles, authors, snippets, bodies and link texts of generated feeds and pages; the
core must return values holding no control character or bidi override, and the attack's plain words
(`survivor`) must still be there, proof that the field was cleaned and not dropped or interpreted.
"""

from __future__ import annotations

import pytest

from termreader.discover import find_feed_links
from termreader.errors import TermreaderError
from termreader.extract import extract_article
from termreader.feeds import parse_feed
from termreader.listing import extract_listing
from termreader.markdown_convert import html_to_markdown
from termreader.models import Article, ArticleRef, ParsedFeed
from termreader.popular import find_popular
from tests.hostile.conftest import assert_safe, outcome
from tests.hostile.generators import (
    TEXT_ATTACKS,
    TextAttack,
    article_page,
    atom_feed,
    attack_ids,
    blogger_popular_page,
    feed_links_page,
    html_text,
    items_with,
    json_feed,
    listing_page,
    raw_xml_text,
    rss_feed,
)

ATTACKS = pytest.mark.parametrize("attack", TEXT_ATTACKS, ids=attack_ids())


def _plain(markdown: str) -> str:
    """Markdown with its escapes removed, to find the attack's words in a body."""
    return markdown.replace("\\", "")


def _feed(value: ParsedFeed | TermreaderError) -> ParsedFeed:
    assert isinstance(value, ParsedFeed), f"feed refused: {value}"
    return value


def _check_items(feed: ParsedFeed, attack: TextAttack) -> None:
    assert_safe(feed)
    assert len(feed.items) == 3
    for n, item in enumerate(feed.items, 1):
        assert item.url == f"https://blog.example.com/2026/03/post-{n}.html"
        assert attack.survivor in item.title, item.title
        assert item.snippet is not None and attack.survivor[:10] in item.snippet, item.snippet


@ATTACKS
def test_rss_fields_escaped_as_references(attack: TextAttack) -> None:
    """Controls as numeric references (&#27;) make the XML invalid: the recovery path must clean too."""
    feed = _feed(outcome(parse_feed, rss_feed(items_with(attack.payload)), "https://blog.example.com/feed"))
    _check_items(feed, attack)


@ATTACKS
def test_rss_fields_raw_controls(attack: TextAttack) -> None:
    """Controls written raw into the document bytes, as a broken CMS would."""
    body = rss_feed(items_with(attack.payload), channel_title=attack.payload, esc=raw_xml_text)
    feed = _feed(outcome(parse_feed, body, "https://blog.example.com/feed"))
    _check_items(feed, attack)
    assert feed.title is not None and attack.survivor[:10] in feed.title


@ATTACKS
def test_atom_fields(attack: TextAttack) -> None:
    body = atom_feed(items_with(attack.payload), feed_title=attack.payload)
    feed = _feed(outcome(parse_feed, body, "https://blog.example.com/atom"))
    _check_items(feed, attack)
    assert all(item.author is not None and attack.survivor[:10] in item.author for item in feed.items)


@ATTACKS
def test_json_feed_fields(attack: TextAttack) -> None:
    body = json_feed(items_with(attack.payload), title=attack.payload)
    feed = _feed(outcome(parse_feed, body, "https://blog.example.com/feed.json"))
    _check_items(feed, attack)
    assert feed.title is not None and attack.survivor[:10] in feed.title
    assert all(item.author is not None and attack.survivor[:10] in item.author for item in feed.items)


@ATTACKS
def test_article_title_byline_body_links(attack: TextAttack) -> None:
    html = article_page(attack.payload, attack.payload, attack.payload, attack.payload)
    article = outcome(extract_article, html, "https://blog.example.com/2026/03/hostile-post.html")
    assert isinstance(article, Article), f"article refused: {article}"
    assert_safe(article)
    assert attack.survivor[:10] in article.title
    assert "Paragraph 5 carries on about walking the ridge" in article.markdown
    assert attack.survivor[:10] in _plain(article.markdown)


@ATTACKS
def test_markdown_fragment(attack: TextAttack) -> None:
    text = html_text(attack.payload)
    fragment = (
        f"<h2>{text}</h2><p>{text}</p><ul><li>{text}</li></ul><blockquote>{text}</blockquote>"
        f'<p><a href="https://a.example/">{text}</a></p><pre><code>{text}</code></pre>'
    )
    markdown = outcome(html_to_markdown, fragment)
    assert isinstance(markdown, str)
    # The bare converter is not the safety net (extract_article strips its output, tested above): the
    # attack's words must come through in each block, and the blocks must stay blocks.
    plain = _plain(markdown)
    assert plain.count(attack.survivor[:10]) >= 5, markdown
    assert markdown.startswith("## ")
    assert "\n* " in markdown or "\n- " in markdown
    assert "\n> " in markdown
    assert "](https://a.example/)" in markdown
    assert "\n```" in markdown


@ATTACKS
def test_listing_titles_and_snippets(attack: TextAttack) -> None:
    titles = [f"{attack.payload} post {n}" for n in range(1, 5)]
    refs = outcome(extract_listing, listing_page(titles, attack.payload), "https://blog.example.com/")
    assert isinstance(refs, list)
    assert_safe(refs)
    assert [ref.url for ref in refs] == [
        f"https://blog.example.com/2026/03/post-{n}.html" for n in range(1, 5)
    ]
    for n, ref in enumerate(refs, 1):
        assert attack.survivor[:10] in ref.title and ref.title.endswith(f"post {n}")


@ATTACKS
def test_popular_titles_snippets_heading(attack: TextAttack) -> None:
    titles = [f"{attack.payload} popular {n}" for n in range(1, 4)]
    scan = outcome(
        find_popular, blogger_popular_page(titles, attack.payload), "https://hostile-test.blogspot.com/"
    )
    assert not isinstance(scan, TermreaderError)
    assert_safe(scan)
    assert scan.widget == "blogger-popularposts"
    assert len(scan.items) == 3
    for n, ref in enumerate(scan.items, 1):
        assert isinstance(ref, ArticleRef)
        assert attack.survivor[:10] in ref.title and ref.title.endswith(f"popular {n}")


@ATTACKS
def test_feed_link_titles(attack: TextAttack) -> None:
    links = outcome(find_feed_links, feed_links_page(attack.payload), "https://blog.example.com/")
    assert isinstance(links, list)
    assert_safe(links)
    assert [link.url for link in links] == [
        "https://blog.example.com/feed.xml",
        "https://blog.example.com/atom.xml",
        "https://blog.example.com/feed.json",
    ]
    assert all(link.title is not None and attack.survivor[:10] in link.title for link in links)
