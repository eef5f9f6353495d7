"""The built-in demo: two loopback sites shaped like Blogger and WordPress, with real articles."""

from __future__ import annotations

import filecmp
import io
import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from lxml import etree, html

from termreader.context import CliEnv
from termreader.demo import DEMO_SITES, SITES_DIR, DemoSites, print_demo, start_demo
from termreader.demo.build import build
from termreader.models import SourceConfig
from termreader.paths import AppPaths

BLOGGER_POSTS = [
    (
        "/2026/10/colour-and-contrast.html",
        "Colour and contrast for long reading sessions",
        "2026-10-02T21:10:00+02:00",
    ),
    (
        "/2026/08/a-reading-pipeline-in-shell.html",
        "A reading pipeline built from shell tools",
        "2026-08-18T07:50:00+02:00",
    ),
    (
        "/2026/06/monospace-typography.html",
        "The typography of monospace reading",
        "2026-06-05T19:45:00+02:00",
    ),
    ("/2026/04/keyboard-first-reading.html", "Keyboard-first reading", "2026-04-22T08:15:00+02:00"),
    ("/2026/03/why-read-in-a-terminal.html", "Why I read the web in a terminal", "2026-03-14T09:30:00+01:00"),
]
WORDPRESS_POSTS = [
    (
        "/polite-polling/",
        "Polite polling: conditional requests for feed readers",
        "2026-09-27T12:15:00+00:00",
    ),
    ("/writing-a-feed-by-hand/", "Writing a feed by hand", "2026-07-11T16:00:00+00:00"),
    ("/offline-reading-that-lasts/", "Offline reading that lasts", "2026-05-20T07:30:00+00:00"),
    (
        "/a-short-history-of-rss/",
        "A short history of RSS, and why it refuses to die",
        "2026-02-09T10:00:00+00:00",
    ),
]
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoSites]:
    with start_demo() as sites:
        yield sites


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10, trust_env=False) as http:
        yield http


def _base(demo: DemoSites, index: int) -> str:
    return demo.sources[index].url.rstrip("/")


def _page(client: httpx.Client, url: str) -> html.HtmlElement:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    return html.fromstring(response.content)


def _css(tree: html.HtmlElement, selector: str) -> list[html.HtmlElement]:
    return list(tree.cssselect(selector))


# --- start/stop ------------------------------------------------------------------------------


def test_start_demo_serves_both_sites_on_loopback(demo: DemoSites, client: httpx.Client) -> None:
    assert [s.name for s in demo.sources] == ["Terminal Hours", "Feed Notes"]
    for source in demo.sources:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", source.url)
        assert source.kind is None  # left to detection, like a source the user adds
    assert demo.sources[0].url != demo.sources[1].url
    assert _page(client, demo.sources[0].url).findtext(".//title") == "Terminal Hours"
    assert _page(client, demo.sources[1].url).findtext(".//title") == (
        "Feed Notes – Syndication, offline reading and the plumbing of the open web."
    )


def test_stop_closes_the_ports() -> None:
    sites = start_demo()
    url = sites.sources[0].url
    assert httpx.get(url, trust_env=False).status_code == 200
    sites.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(url, trust_env=False, timeout=5)


# --- Blogger-shaped site ---------------------------------------------------------------------


def test_blogger_atom_feed(demo: DemoSites, client: httpx.Client) -> None:
    base = _base(demo, 0)
    response = client.get(base + "/feeds/posts/default")
    assert response.headers["content-type"] == "application/atom+xml; charset=UTF-8"
    feed = etree.fromstring(response.content)
    assert feed.findtext(f"{ATOM}title") == "Terminal Hours"
    assert feed.findtext(f"{ATOM}generator") == "Blogger"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) >= 4
    found = [
        (
            entry.find(f"{ATOM}link[@rel='alternate']").get("href"),  # type: ignore[union-attr]
            entry.findtext(f"{ATOM}title"),
            entry.findtext(f"{ATOM}published"),
        )
        for entry in entries
    ]
    assert found == [
        (base + path, title, datetime.fromisoformat(date).isoformat(timespec="milliseconds"))
        for path, title, date in BLOGGER_POSTS
    ]
    content = entries[0].findtext(f"{ATOM}content") or ""
    assert content.startswith("<p>Most terminal colour schemes are tuned for source code.")
    assert "{{BASE}}" not in response.text


def test_blogger_rss_variant(demo: DemoSites, client: httpx.Client) -> None:
    response = client.get(_base(demo, 0) + "/feeds/posts/default?alt=rss")
    assert response.headers["content-type"] == "application/rss+xml; charset=UTF-8"
    rss = etree.fromstring(response.content)
    assert [item.findtext("title") for item in rss.iter("item")] == [title for _, title, _ in BLOGGER_POSTS]


def test_blogger_home_lists_posts_with_2017_markup(demo: DemoSites, client: httpx.Client) -> None:
    base = _base(demo, 0)
    home = _page(client, base + "/")
    assert _css(home, "body")[0].get("class") == "home-view version-1-3-3 variant-indie_light"
    assert _css(home, "meta[name=generator]")[0].get("content") == "blogger"
    links = [
        a.get("href")
        for a in _css(home, ".blog-posts article.post-outer-container h3.post-title.entry-title a")
    ]
    assert links == [base + path for path, _, _ in BLOGGER_POSTS]
    snippet = _css(home, ".snippet-item.r-snippetized")[0].text_content().strip()
    assert snippet.startswith("Most terminal colour schemes")
    assert snippet.endswith("…")
    feeds = [(link.get("type"), link.get("href")) for link in _css(home, "link[rel=alternate]")]
    assert feeds == [
        ("application/atom+xml", base + "/feeds/posts/default"),
        ("application/rss+xml", base + "/feeds/posts/default?alt=rss"),
    ]


def _popular_widget(tree: html.HtmlElement) -> list[tuple[str, str, str]]:
    widgets = _css(tree, "div.widget.PopularPosts")
    assert len(widgets) == 1
    assert widgets[0].get("data-version") == "1"
    assert widgets[0].getparent().get("id") == "sidebar_top"  # type: ignore[union-attr]
    items = []
    for li in _css(widgets[0], ".widget-content.popular-posts > ul > li"):
        link = _css(li, ".item-title a")[0]
        snippet = _css(li, ".item-snippet")[0].text_content()
        items.append((link.get("href") or "", link.text_content(), snippet))
    return items


@pytest.mark.parametrize("path", ["/", *(path for path, _, _ in BLOGGER_POSTS)])
def test_blogger_popular_posts_widget_on_every_page(demo: DemoSites, client: httpx.Client, path: str) -> None:
    base = _base(demo, 0)
    items = _popular_widget(_page(client, base + path))
    assert [(url, title) for url, title, _ in items] == [
        (base + "/2026/04/keyboard-first-reading.html", "Keyboard-first reading"),
        (base + "/2026/03/why-read-in-a-terminal.html", "Why I read the web in a terminal"),
        (base + "/2026/06/monospace-typography.html", "The typography of monospace reading"),
        (base + "/2026/10/colour-and-contrast.html", "Colour and contrast for long reading sessions"),
    ]
    assert items[0][2] == (
        "When I watch people read on a laptop, most of their effort goes into moving a pointer: to the "
        "scroll bar, to the back button, to the tab strip..."
    )
    assert all(snippet.endswith("...") and len(snippet) <= 153 for _, _, snippet in items)


@pytest.mark.parametrize(("path", "title", "date"), BLOGGER_POSTS)
def test_blogger_post_pages(demo: DemoSites, client: httpx.Client, path: str, title: str, date: str) -> None:
    base = _base(demo, 0)
    page = _page(client, base + path)
    assert _css(page, "body")[0].get("class") == "item-view version-1-3-3 variant-indie_light"
    assert page.findtext(".//title") == f"{title} | Terminal Hours"
    assert _css(page, "h3.post-title.entry-title")[0].text_content().strip() == title
    assert _css(page, "time.published")[0].get("datetime") == date
    assert _css(page, ".post-author .fn")[0].text_content().strip() == "Mara Lindqvist"
    body = _css(page, "div.post-body.entry-content")
    assert len(body) == 1
    assert (body[0].get("id") or "").startswith("post-body-")
    ld = json.loads(_css(page, "script[type='application/ld+json']")[0].text_content())
    assert (ld["@type"], ld["headline"], ld["datePublished"], ld["author"]["name"]) == (
        "BlogPosting",
        title,
        date,
        "Mara Lindqvist",
    )
    assert _css(page, "link[rel=canonical]")[0].get("href") == base + path
    assert _css(page, "section#comments h3.title")[0].text_content() == "Comments"


# --- WordPress-shaped site -------------------------------------------------------------------


def test_wordpress_feed_is_rss2_with_full_content(demo: DemoSites, client: httpx.Client) -> None:
    base = _base(demo, 1)
    response = client.get(base + "/feed/")
    assert response.headers["content-type"] == "application/rss+xml; charset=UTF-8"
    rss = etree.fromstring(response.content)
    assert rss.get("version") == "2.0"
    assert rss.findtext("channel/generator") == "https://wordpress.org/?v=6.5.2"
    items = rss.findall("channel/item")
    assert len(items) >= 4
    assert [(i.findtext("link"), i.findtext("title")) for i in items] == [
        (base + path, title) for path, title, _ in WORDPRESS_POSTS
    ]
    assert items[0].findtext("pubDate") == "Sun, 27 Sep 2026 12:15:00 +0000"
    assert items[0].findtext("{http://purl.org/dc/elements/1.1/}creator") == "Tomás Ortega"
    encoded = items[0].findtext(CONTENT_ENCODED) or ""
    assert encoded.startswith("<p>A feed reader is a polling client.")
    assert '<code class="language-python">' in encoded
    redirect = client.get(base + "/feed")
    assert (redirect.status_code, redirect.headers["location"]) == (301, base + "/feed/")


@pytest.mark.parametrize("path", ["/", *(path for path, _, _ in WORDPRESS_POSTS)])
def test_wordpress_wpp_widget_on_every_page(demo: DemoSites, client: httpx.Client, path: str) -> None:
    base = _base(demo, 1)
    page = _page(client, base + path)
    assert _css(page, "meta[name=generator]")[0].get("content") == "WordPress 6.5.2"
    lists = _css(page, "#wpp-2.widget.popular-posts ul.wpp-list")
    assert len(lists) == 1
    assert _css(page, "#wpp-2 h2.widget-title")[0].text_content() == "Most read this week"
    titles = [(a.get("href"), a.text_content()) for a in _css(lists[0], "li a.wpp-post-title")]
    assert titles == [
        (base + "/a-short-history-of-rss/", "A short history of RSS, and why it refuses to die"),
        (base + "/offline-reading-that-lasts/", "Offline reading that lasts"),
        (base + "/writing-a-feed-by-hand/", "Writing a feed by hand"),
    ]
    excerpts = [span.text_content() for span in _css(lists[0], "span.wpp-excerpt")]
    assert (
        excerpts[1]
        == "A bookmark in a browser is a pointer, not a copy. It works as long as the page stays..."
    )
    thumbs = [img.get("src") or "" for img in _css(lists[0], "img.wpp-thumbnail")]
    for thumb in thumbs:
        response = client.get(thumb)
        assert (response.status_code, response.headers["content-type"]) == (200, "image/png")
        assert response.content.startswith(b"\x89PNG\r\n\x1a\n")


@pytest.mark.parametrize(("path", "title", "date"), WORDPRESS_POSTS)
def test_wordpress_post_pages(
    demo: DemoSites, client: httpx.Client, path: str, title: str, date: str
) -> None:
    base = _base(demo, 1)
    page = _page(client, base + path)
    assert _css(page, "h1.entry-title")[0].text_content() == title
    assert _css(page, "time.entry-date.published")[0].get("datetime") == date
    assert _css(page, ".author.vcard .fn")[0].text_content() == "Tomás Ortega"
    assert len(_css(page, "article.post .entry-content")) == 1
    assert _css(page, "meta[property='article:published_time']")[0].get("content") == date
    graph = json.loads(_css(page, "script.yoast-schema-graph")[0].text_content())["@graph"]
    assert (graph[0]["@type"], graph[0]["headline"], graph[0]["author"]["name"]) == (
        "Article",
        title,
        "Tomás Ortega",
    )
    feeds = [link.get("href") for link in _css(page, "link[rel=alternate][type='application/rss+xml']")]
    assert feeds == [base + "/feed/", base + "/comments/feed/", base + path + "feed/"]


# --- the articles themselves -----------------------------------------------------------------


def _article_bodies(demo: DemoSites, client: httpx.Client) -> dict[str, html.HtmlElement]:
    bodies: dict[str, html.HtmlElement] = {}
    for path, _, _ in BLOGGER_POSTS:
        url = _base(demo, 0) + path
        bodies[url] = _css(_page(client, url), "div.post-body.entry-content")[0]
    for path, _, _ in WORDPRESS_POSTS:
        url = _base(demo, 1) + path
        body = _css(_page(client, url), ".entry-content")[0]
        for share in _css(body, ".sharedaddy"):
            share.drop_tree()
        bodies[url] = body
    return bodies


def test_articles_have_substance_and_every_structure(demo: DemoSites, client: httpx.Client) -> None:
    bodies = _article_bodies(demo, client)
    assert len(bodies) >= 8
    for url, body in bodies.items():
        words = len(body.text_content().split())
        assert 300 <= words <= 1500, (url, words)
        assert _css(body, "h2"), url
        assert _css(body, "ul, ol"), url
    every = list(bodies.values())
    languages = {
        code.get("class") for body in every for code in _css(body, "pre > code") if code.get("class")
    }
    assert {"language-python", "language-bash", "language-sql", "language-xml", "language-json"} <= languages
    assert sum(len(_css(body, "li > ul, li > ol")) for body in every) >= 8  # nested lists
    assert sum(len(_css(body, "blockquote")) for body in every) >= 5
    assert sum(len(_css(body, "table thead th")) for body in every) >= 12
    assert sum(len(_css(body, "figure > figcaption")) for body in every) >= 2


def test_images_and_internal_links_resolve(demo: DemoSites, client: httpx.Client) -> None:
    bodies = _article_bodies(demo, client)
    images = {img.get("src") or "" for body in bodies.values() for img in _css(body, "img")}
    assert len(images) == 3
    for src in images:
        response = client.get(src)
        assert (response.status_code, response.headers["content-type"]) == (200, "image/svg+xml"), src
        assert etree.fromstring(response.content).tag == "{http://www.w3.org/2000/svg}svg"
    internal = {
        a.get("href") or ""
        for body in bodies.values()
        for a in _css(body, "a[href]")
        if (a.get("href") or "").startswith("http://127.0.0.1")
    }
    assert len(internal) >= 8
    for href in internal:
        assert href.split("#")[0] in bodies, f"{href} does not point at a demo article"
    banners = [
        _css(_page(client, url), "meta[property='og:image']")[0].get("content") or ""
        for url in list(bodies)[:2]
    ]
    for banner in banners:
        assert client.get(banner).headers["content-type"] == "image/svg+xml"


def test_no_placeholder_and_no_outside_resource_is_loaded(demo: DemoSites, client: httpx.Client) -> None:
    """The demo must work offline: every image, feed and page it points a reader at is on loopback."""
    for index, (_, folder) in enumerate(DEMO_SITES):
        base = _base(demo, index)
        for file in (SITES_DIR / folder).rglob("*.html"):
            path = "/" + file.relative_to(SITES_DIR / folder).as_posix().removesuffix("index.html")
            text = client.get(base + path).text
            assert "{{BASE}}" not in text
            tree = html.fromstring(text)
            for element in _css(tree, "img[src], link[rel=alternate], meta[property='og:image']"):
                target = element.get("src") or element.get("href") or element.get("content") or ""
                assert target.startswith(base), (path, target)


# --- the shipped files match the sources -----------------------------------------------------


def test_shipped_sites_match_a_fresh_build(tmp_path: Path) -> None:
    fresh = tmp_path / "sites"
    build(fresh)

    def differences(compare: filecmp.dircmp[str]) -> list[str]:
        found = [*compare.left_only, *compare.right_only, *compare.diff_files, *compare.funny_files]
        for sub in compare.subdirs.values():
            found.extend(differences(sub))
        return found

    comparison = filecmp.dircmp(fresh, SITES_DIR, ignore=["__pycache__"])
    assert differences(comparison) == [], "run `python -m termreader.demo.build` and commit the result"
    for file in fresh.rglob("*"):
        if file.is_file():
            assert file.read_bytes() == (SITES_DIR / file.relative_to(fresh)).read_bytes(), file


# --- print_demo ------------------------------------------------------------------------------


def test_print_demo_lists_latest_and_popular(isolated_dirs: AppPaths) -> None:
    out, err = io.StringIO(), io.StringIO()
    env = CliEnv(paths=isolated_dirs, stdout=out, stderr=err, color=False)
    assert print_demo(env, limit=2) == 0
    assert err.getvalue() == ""
    text = re.sub(r"http://127\.0\.0\.1:\d+", "BASE", out.getvalue())
    assert text == (
        "Terminal Hours — BASE/\n"
        "  Latest:\n"
        "    2026-10-02  Colour and contrast for long reading sessions\n"
        "                BASE/2026/10/colour-and-contrast.html\n"
        "    2026-08-18  A reading pipeline built from shell tools\n"
        "                BASE/2026/08/a-reading-pipeline-in-shell.html\n"
        "  Popular (Popular Posts):\n"
        "    1. Keyboard-first reading\n"
        "       When I watch people read on a laptop, most of their effort goes into moving a "
        "pointer: to the "
        "scroll bar, to the back button, to the tab strip…\n"
        "       BASE/2026/04/keyboard-first-reading.html\n"
        "    2. Why I read the web in a terminal\n"
        "       For about ten years my reading happened in the same place as my banking, my email "
        "and a dozen "
        "dashboards: a web browser with too many tabs. Last…\n"
        "       BASE/2026/03/why-read-in-a-terminal.html\n"
        "    3. The typography of monospace reading\n"
        "       Typographers have spent five centuries learning how to set text for long reading, "
        "and almost all "
        "of that knowledge assumes proportional type. In a…\n"
        "       BASE/2026/06/monospace-typography.html\n"
        "    4. Colour and contrast for long reading sessions\n"
        "       Most terminal colour schemes are tuned for source code. In code, colour carries "
        "meaning: keywords, "
        "strings and comments look different so you can…\n"
        "       BASE/2026/10/colour-and-contrast.html\n"
        "\n"
        "Feed Notes — BASE/\n"
        "  Latest:\n"
        "    2026-09-27  Polite polling: conditional requests for feed readers\n"
        "                BASE/polite-polling/\n"
        "    2026-07-11  Writing a feed by hand\n"
        "                BASE/writing-a-feed-by-hand/\n"
        "  Popular (Most read this week):\n"
        "    1. A short history of RSS, and why it refuses to die\n"
        "       Every few years someone declares RSS dead, and every few years it turns out that a large…\n"
        "       BASE/a-short-history-of-rss/\n"
        "    2. Offline reading that lasts\n"
        "       A bookmark in a browser is a pointer, not a copy. It works as long as the page stays…\n"
        "       BASE/offline-reading-that-lasts/\n"
        "    3. Writing a feed by hand\n"
        "       Most people never see the feed their blog publishes; a plugin or a static site generator…\n"
        "       BASE/writing-a-feed-by-hand/\n"
    )


def test_demo_sources_are_plain_source_configs(demo: DemoSites) -> None:
    assert all(isinstance(source, SourceConfig) for source in demo.sources)
    assert [s.limit for s in demo.sources] == [None, None]
