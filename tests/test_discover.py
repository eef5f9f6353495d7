"""Feed autodiscovery from <link rel=alternate> and platform detection."""

from __future__ import annotations

import pytest

from termreader.discover import PROBE_PATHS, detect_platform, find_feed_links
from termreader.models import FeedLink
from tests.conftest import SITES, shared_path


def test_links_resolved_against_base_href_and_page_order_kept() -> None:
    html = """<html><head>
    <base href="https://cdn.example.org/blog/">
    <link rel="alternate" type="application/atom+xml" title="Posts (Atom)" href="atom.xml">
    <link rel="alternate" type="application/rss+xml" title="Posts (RSS)" href="/rss.xml">
    <link rel="alternate" type="application/feed+json" title="JSON" href="feed.json">
    <link rel="alternate" type="application/rss+xml" href="https://cdn.example.org/blog/atom.xml#dup">
    </head><body></body></html>"""
    assert find_feed_links(html, "https://www.example.org/blog/page.html") == [
        FeedLink(url="https://cdn.example.org/blog/atom.xml", kind="atom", title="Posts (Atom)"),
        FeedLink(url="https://cdn.example.org/rss.xml", kind="rss", title="Posts (RSS)"),
        FeedLink(url="https://cdn.example.org/blog/feed.json", kind="json", title="JSON"),
    ]


def test_comment_feeds_rest_and_oembed_links_are_skipped() -> None:
    html = (SITES / "wordpress-basic" / "index.html").read_text(encoding="utf-8")
    html = html.replace("{{BASE}}", "https://kitchen.example.com")
    assert find_feed_links(html, "https://kitchen.example.com/") == [
        FeedLink(url="https://kitchen.example.com/feed/", kind="rss", title="Tidewater Kitchen » Feed"),
    ]


@pytest.mark.parametrize(
    "comment_link",
    [
        '<link rel="alternate" type="application/atom+xml" title="Blog - Atom" '
        'href="https://b.example/feeds/123/comments/default">',
        '<link rel="alternate" type="application/rss+xml" title="Blog &raquo; Kommentar-Feed" href="/k.xml">',
        '<link rel="alternate" type="application/rss+xml" title="Comentarios" href="/c.xml">',
    ],
)
def test_localized_and_blogger_comment_feeds_are_skipped(comment_link: str) -> None:
    html = (
        f'<html><head>{comment_link}<link rel="alternate" type="application/rss+xml" href="/f"></head></html>'
    )
    assert find_feed_links(html, "https://b.example/") == [FeedLink(url="https://b.example/f", kind="rss")]


def test_vague_types_are_kept_as_unknown_and_translations_ignored() -> None:
    html = """<head>
    <link rel="alternate" type="text/xml" href="/feed.rdf">
    <link rel="alternate" hreflang="de" href="/de/">
    <link rel="alternate" type="text/html" href="/print/">
    <link rel="alternate" href="/rss">
    <link rel="alternate stylesheet" href="/dark.css">
    <link rel="alternate" type="application/json" href="/wp-json/wp/v2/posts/9">
    </head>"""
    assert find_feed_links(html, "https://v.example/x") == [
        FeedLink(url="https://v.example/feed.rdf", kind="unknown"),
        FeedLink(url="https://v.example/rss", kind="unknown"),
    ]


def test_no_links_and_broken_input() -> None:
    assert find_feed_links("", "https://x.example/") == []
    assert find_feed_links("<html><body>nothing</body></html>", "https://x.example/") == []
    assert find_feed_links("\x00\x01<<<", "https://x.example/") == []


def test_probe_paths_cover_the_common_platforms() -> None:
    assert PROBE_PATHS[:5] == ("/feed", "/rss", "/atom.xml", "/index.xml", "/feeds/posts/default")


@pytest.mark.parametrize(
    ("html", "platform"),
    [
        ("<meta content='blogger' name='generator'/>", "blogger"),
        ('<meta name="generator" content="WordPress 6.3.2">', "wordpress"),
        ('<meta name="generator" content="WordPress.com">', "wordpress"),
        ('<meta name="generator" content="Ghost 5.80">', "ghost"),
        ('<meta name="generator" content="Hugo 0.74.1">', "hugo"),
        ('<meta name="generator" content="Jekyll v3.8.5">', "jekyll"),
        ('<link rel="stylesheet" href="https://substackcdn.com/bundle/main.css">', "substack"),
        ('<img src="https://miro.medium.com/max/700/1*abc.png">', "medium"),
        ("<link rel='stylesheet' href='/wp-content/themes/x/style.css'>", "wordpress"),
        ("<script>_WidgetManager._Init('//www.blogger.com/rearrange?blogID=1')</script>", "blogger"),
        ("<p>Just a page</p>", "html"),
        ("", "html"),
    ],
)
def test_detect_platform(html: str, platform: str) -> None:
    assert detect_platform(f"<html><head>{html}</head><body></body></html>") == platform


@pytest.mark.parametrize(
    ("folder", "name", "platform", "feeds"),
    [
        ("blogger", "classic-python-insider-post-no-popularposts.html", "blogger", 2),
        ("wordpress", "jetpack-top-posts-and-popular-news.html", "wordpress", 2),
        ("other", "ghost-post.html", "ghost", 1),
        ("other", "hugo-post.html", "hugo", 1),
        ("other", "hugo-post-2.html", "hugo", 0),
        ("other", "jekyll-post.html", "jekyll", 1),
        ("other", "substack-post.html", "substack", 1),
        ("other", "medium-post.html", "medium", 0),
    ],
)
def test_corpus_pages(folder: str, name: str, platform: str, feeds: int) -> None:
    html = shared_path("corpus", folder, name).read_bytes().decode("utf-8", "replace")
    links = find_feed_links(html, "https://site.example/2024/post.html")
    assert detect_platform(html) == platform
    assert len(links) == feeds
    assert all("/comments/" not in link.url for link in links)


def test_corpus_jekyll_relative_mislabelled_link() -> None:
    html = shared_path("corpus", "other", "jekyll-post.html").read_text(encoding="utf-8")
    assert find_feed_links(html, "https://pythonspeed.com/articles/docker/") == [
        FeedLink(url="https://pythonspeed.com/atom.xml", kind="rss", title="RSS")
    ]
