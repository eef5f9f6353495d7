"""Page metadata: each source (JSON-LD, OpenGraph, Dublin Core, microdata, the page) and their order."""

from __future__ import annotations

from datetime import UTC, datetime

import lxml.html
import pytest

from termreader.metadata import PageMetadata, article_title_from_document, read_metadata, tidy_byline


def meta_of(head: str, body: str = "<p>text</p>", url: str | None = None, lang: str = "") -> PageMetadata:
    html = f"<!DOCTYPE html><html{lang}><head>{head}</head><body>{body}</body></html>"
    return read_metadata(lxml.html.document_fromstring(html), url)


def ld(data: str) -> str:
    return f'<script type="application/ld+json">{data}</script>'


def test_jsonld_beats_opengraph_and_meta() -> None:
    found = meta_of(
        ld(
            '{"@context":"https://schema.org","@type":"NewsArticle","headline":"From JSON-LD",'
            '"author":{"@type":"Person","name":"Ada Lovelace"},"datePublished":"2023-04-05T06:07:08Z",'
            '"publisher":{"@type":"Organization","name":"The Engine Gazette"}}'
        )
        + '<meta property="og:title" content="From OpenGraph"><meta name="author" content="Meta Author">'
        + '<meta property="og:site_name" content="Engine Gazette Online">'
        + '<meta property="article:published_time" content="2020-01-01T00:00:00Z">'
    )
    assert found.title == "From JSON-LD"
    assert found.byline == "Ada Lovelace"
    assert found.published == datetime(2023, 4, 5, 6, 7, 8, tzinfo=UTC)
    # og:site_name names the site; the JSON-LD publisher is often the company behind it.
    assert found.site_name == "Engine Gazette Online"
    assert found.page_type == "article"


def test_jsonld_graph_with_author_references_and_lists() -> None:
    found = meta_of(
        ld(
            '{"@context":"https://schema.org","@graph":['
            '{"@type":"WebSite","@id":"#site","name":"Site"},'
            '{"@type":["BlogPosting"],"@id":"#post","headline":"Graph headline",'
            '"author":[{"@id":"#p1"},{"@id":"#p2"},"https://example.org/people/3"],'
            '"publisher":{"@id":"#org"},"datePublished":"2022-02-03"},'
            '{"@type":"Person","@id":"#p1","name":"Grace Hopper"},'
            '{"@type":"Person","@id":"#p2","name":"Katherine Johnson"},'
            '{"@type":"Organization","@id":"#org","name":"Compiler Weekly"}]}'
        )
    )
    assert found.title == "Graph headline"
    assert found.byline == "Grace Hopper, Katherine Johnson"
    assert found.published == datetime(2022, 2, 3, tzinfo=UTC)
    assert found.site_name == "Compiler Weekly"


def test_jsonld_top_level_list_and_string_authors() -> None:
    found = meta_of(
        ld('[{"@type":"BreadcrumbList"},{"@type":"Article","name":"Listed","author":["Ann Lee","Bo Chen"]}]')
    )
    assert found.title == "Listed"
    assert found.byline == "Ann Lee, Bo Chen"


def test_broken_jsonld_is_ignored() -> None:
    found = meta_of(
        ld('{"@type": "Article", "headline": "unterminated') + "<title>Fallback title here ok</title>"
    )
    assert found.title == "Fallback title here ok"


def test_jsonld_name_that_is_the_publisher_loses_to_headline() -> None:
    found = meta_of(
        ld(
            '{"@type":"NewsArticle","name":"Daily Bugle","headline":"Spider sighted downtown again",'
            '"publisher":{"@type":"Organization","name":"Daily Bugle"}}'
        )
        + "<title>Spider sighted downtown again - Daily Bugle</title>"
    )
    assert found.title == "Spider sighted downtown again"


def test_platform_publisher_is_not_the_site_name() -> None:
    found = meta_of(
        ld(
            '{"@type":"BlogPosting","headline":"Seed swaps",'
            '"publisher":{"@type":"Organization","name":"Blogger"}}'
        )
        + "<title>Garden Diary: Seed swaps</title>"
    )
    assert found.site_name == "Garden Diary"


def test_opengraph_and_article_tags() -> None:
    found = meta_of(
        '<meta property="og:title" content="OG title"><meta property="og:type" content="article">'
        '<meta property="og:site_name" content="OG Site"><meta property="og:image" content="/img/lead.png">'
        '<meta property="article:published_time" content="2021-07-08T09:10:11+02:00">'
        '<meta property="article:author" content="https://facebook.example/someone">'
        '<meta property="og:description" content="A short description.">',
        url="https://og.example/post/1",
    )
    assert found.title == "OG title"
    assert found.site_name == "OG Site"
    assert found.lead_image == "https://og.example/img/lead.png"
    assert found.published is not None and found.published.isoformat() == "2021-07-08T09:10:11+02:00"
    assert found.byline is None  # article:author holding a URL is not a name
    assert found.description == "A short description."
    assert found.canonical_url is None  # the page names none; we do not invent one


def test_dublin_core_before_opengraph() -> None:
    found = meta_of(
        '<meta name="DC.title" content="Dublin Core title"><meta property="og:title" content="OG title">'
        '<meta name="dc.creator" content="Dublin Author"><meta name="DC.date" content="2019-12-31">'
    )
    assert found.title == "Dublin Core title"
    assert found.byline == "Dublin Author"
    assert found.published == datetime(2019, 12, 31, tzinfo=UTC)


def test_microdata_author_and_date() -> None:
    found = meta_of(
        "<title>Micro</title>",
        '<div itemscope itemtype="http://schema.org/BlogPosting"><span itemprop="author" itemscope>'
        '<a href="/me"><span itemprop="name">Mia Data</span></a></span>'
        '<time itemprop="datePublished" datetime="2018-05-06T07:08:09-04:00">May 6</time></div>',
    )
    assert found.byline == "Mia Data"
    assert found.published is not None and found.published.isoformat() == "2018-05-06T07:08:09-04:00"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # The page's own byline line keeps its wording, as Reader View shows it; a date after it goes.
        ('<p class="byline">By Jo Marsh</p>', "By Jo Marsh"),
        ('<p class="byline">Written by Jo Marsh, March 25, 2015</p>', "Written by Jo Marsh"),
        ('<p class="byline">By</p>', None),
        ('<a rel="author" href="/a/x">Xavier Ortiz</a>', "Xavier Ortiz"),
        # The name element inside a byline wins over the job title and the relative date.
        (
            '<div class="byline"><span class="author-name fn">Lin Wei</span> Staff writer • 8h</div>',
            "Lin Wei",
        ),
        (
            '<div class="author"><a class="author-link" href="/u">Sam Roe</a><div>Games Editor</div></div>',
            "Sam Roe",
        ),
        # A sidebar widget's author is not the article's.
        (
            '<div class="sidebar"><span class="byline">Wrong Person</span></div>'
            '<p class="byline">Right Person</p>',
            "Right Person",
        ),
        # Comment forms and comment threads never give a byline, even on the lenient pass.
        ('<div id="respond"><label class="comment-author">Name (required)</label></div>', None),
        ('<p class="post-author">Posted by Unknown</p>', None),
        # A dateline comes first in the page, but a date is not who wrote it: the byline after it wins.
        (
            '<div class="articleInner"><span class="dateline"><span>Sunday, Feb 1, 2015 11:57 AM UTC</span>'
            '</span><h1>Headline</h1><span class="byline"><a rel="author" href="/w/rj">Rhea Janssen</a>'
            "</span></div>",
            "Rhea Janssen",
        ),
        # A date glued after the name in the same element is cut off.
        ('<div class="byline">Joss Okafor May 20, 2019</div>', "Joss Okafor"),
        # Only a date anywhere a byline could be: no byline at all.
        ('<div class="author-details"><em>Last Updated:</em> January 7, 2025</div>', None),
    ],
)
def test_byline_from_the_page(body: str, expected: str | None) -> None:
    assert meta_of("<title>t</title>", body).byline == expected


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("By Jane Doe", "Jane Doe"),
        ("by  Jane\n Doe", "Jane Doe"),
        ("Par Jean Dupont", "Jean Dupont"),
        ("Bylines Inc", "Bylines Inc"),
        ("By Jo Marsh May 20, 2019", "Jo Marsh"),
        ("Joe Wee Monday, February 29, 2016 @ 11:10 PM UTC", "Joe Wee"),
        ("Nathan Willis, March 25, 2015", "Nathan Willis"),
        ("May Ellison", "May Ellison"),
        ("Last Updated: January 7, 2025", None),
        ("2024-06-02T10:00:00Z", None),
        ("admin", None),
        ("", None),
    ],
)
def test_tidy_byline(raw: str, clean: str | None) -> None:
    assert tidy_byline(raw) == clean


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("By Jane Doe", "By Jane Doe"),
        ("by  Jane\n Doe", "by Jane Doe"),
        ("Par Jean Dupont", "Par Jean Dupont"),
        ("By Jo Marsh May 20, 2019", "By Jo Marsh"),
        ("By admin", None),
        ("By", None),
        ("Last Updated: January 7, 2025", None),
    ],
)
def test_tidy_byline_keeping_the_pages_wording(raw: str, shown: str | None) -> None:
    assert tidy_byline(raw, keep_by=True) == shown


def test_a_by_prefix_in_metadata_is_dropped_but_the_pages_byline_line_keeps_it() -> None:
    head = '<title>t</title><meta name="author" content="By Ada Quill">'
    assert meta_of(head, '<p class="byline">By Ada Quill</p>').byline == "Ada Quill"
    assert meta_of("<title>t</title>", '<p class="byline">By Ada Quill</p>').byline == "By Ada Quill"


def test_date_from_time_element_when_no_metadata() -> None:
    found = meta_of("<title>t</title>", '<time datetime="2017-03-04T05:06:07Z">March 4</time>')
    assert found.published == datetime(2017, 3, 4, 5, 6, 7, tzinfo=UTC)


def test_canonical_language_and_type() -> None:
    found = meta_of(
        '<link rel="canonical" href="/posts/7"><meta property="og:type" content="website">',
        url="https://lang.example/posts/7?utm=1",
        lang=' lang="pt-BR"',
    )
    assert found.canonical_url == "https://lang.example/posts/7"
    assert found.language == "pt-BR"
    assert found.page_type == "website"


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        (
            "Ferry times announced for the summer season | River News",
            "",
            "Ferry times announced for the summer season",
        ),
        # Two words before the separator are the site: Readability.js drops them.
        (
            "River News | Ferry times announced for the summer season",
            "",
            "Ferry times announced for the summer season",
        ),
        ("Short | Site", "", "Short | Site"),
        ("River News: Ferry times announced for summer", "", "Ferry times announced for summer"),
        ("Short", "<h1>The only headline on this page</h1>", "The only headline on this page"),
    ],
)
def test_title_heuristic_from_document_title(title: str, body: str, expected: str) -> None:
    doc = lxml.html.document_fromstring(
        f"<html><head><title>{title}</title></head><body>{body}<p>x</p></body></html>"
    )
    assert article_title_from_document(doc) == expected
