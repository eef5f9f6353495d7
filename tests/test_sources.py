"""Source resolution end to end through real loopback sites: discovery, probing, listings, popular."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from termreader.demo.siteserver import SiteServer
from termreader.errors import FeedError, HTTPStatusError, SourceError
from termreader.fetch import Fetcher
from termreader.models import FeedLink, SourceConfig
from termreader.sources import latest, popular, resolve_source

Serve = Callable[..., SiteServer]


async def test_hugo_page_without_link_is_probed_until_index_xml(serve_site: Serve) -> None:
    site = serve_site("hugo-nofeedlink")
    async with Fetcher() as fetcher:
        resolved = await resolve_source(fetcher, site.url("/"))
    assert resolved.kind == "hugo"
    assert resolved.feed == FeedLink(url=site.url("/index.xml"), kind="rss", title="Slow Lanes")
    assert resolved.title == "Slow Lanes"
    # Probing stops at the first real feed: /feed.xml and /rss.xml were never asked for.
    assert {path: site.hits[path] for path in ("/feed", "/rss", "/atom.xml", "/index.xml")} == {
        "/feed": 1,
        "/rss": 1,
        "/atom.xml": 1,
        "/index.xml": 1,
    }
    assert site.hits["/feed.xml"] == 0
    assert site.hits["/feeds/posts/default"] == 0


async def test_hugo_latest_items(serve_site: Serve) -> None:
    site = serve_site("hugo-nofeedlink")
    async with Fetcher() as fetcher:
        items = await latest(fetcher, site.url("/"))
    assert [(i.title, i.url, i.published) for i in items] == [
        (
            "Climbing the Col de la Croix",
            site.url("/posts/col-de-la-croix/"),
            datetime(2024, 4, 14, 18, tzinfo=UTC),
        ),
        ("Tubeless, one year on", site.url("/posts/tubeless/"), datetime(2024, 3, 30, 9, tzinfo=UTC)),
    ]
    assert (
        items[0].snippet == "Twelve kilometres at seven percent, and a café at the top that only takes cash."
    )


async def test_jekyll_link_says_rss_but_serves_atom_and_comment_feed_is_ignored(serve_site: Serve) -> None:
    site = serve_site("jekyll-mislabelled")
    async with Fetcher() as fetcher:
        resolved = await resolve_source(fetcher, site.url("/"))
        items = await latest(fetcher, site.url("/"))
    assert resolved.kind == "jekyll"
    assert resolved.feed == FeedLink(url=site.url("/atom.xml"), kind="atom", title="RSS")
    assert site.hits["/comments.xml"] == 0
    assert [(i.title, i.url, i.author, i.snippet) for i in items] == [
        (
            "Generics without tears",
            site.url("/2024/05/generics.html"),
            "Rosa Lindqvist",
            "A type variable is a promise: whatever goes in comes back out.",
        )
    ]


async def test_page_without_feed_falls_back_to_its_listing(serve_site: Serve) -> None:
    site = serve_site("plain-index")
    async with Fetcher() as fetcher:
        resolved = await resolve_source(fetcher, site.url("/"))
        items = await latest(fetcher, site.url("/"), limit=2)
    assert (resolved.kind, resolved.feed, resolved.title) == ("html", None, "The Allotment Letter")
    assert len(resolved.notes) == 7  # every probe path was tried and reported
    assert [(i.title, i.url, i.author) for i in items] == [
        ("Onions, & why they bolt", site.url("/letters/2024-06-onions.html"), "Gwen Hale"),
        ("Slugs: a truce", site.url("/letters/2024-05-slugs.html"), "Gwen Hale"),
    ]


async def test_feed_url_given_directly(serve_site: Serve) -> None:
    site = serve_site("feedsite")
    async with Fetcher() as fetcher:
        resolved = await resolve_source(fetcher, site.url("/feed.xml"))
        items = await latest(fetcher, SourceConfig(name="trains", url=site.url("/feed.xml"), limit=2))
    assert resolved.kind == "feed"
    assert resolved.feed == FeedLink(url=site.url("/feed.xml"), kind="rss", title="Night Train Diaries")
    assert resolved.home_url == site.url("/")
    assert [(i.title, i.author) for i in items] == [
        ("Vienna to Hamburg, couchette six", "Karel Novak"),
        ("Brussels to Berlin, the new line", "Karel Novak"),
    ]
    assert items[0].snippet == "The attendant brought coffee at Hannover, forty minutes before anyone asked."
    assert site.hits["/"] == 0


async def test_feed_url_now_serving_html_is_discovered_again(serve_site: Serve) -> None:
    site = serve_site("feedsite")
    async with Fetcher() as fetcher:
        resolved = await resolve_source(fetcher, site.url("/old-feed.xml"))
        items = await latest(fetcher, site.url("/old-feed.xml"))
    assert resolved.kind == "html"
    assert resolved.feed is not None and resolved.feed.url == site.url("/feed.xml")
    assert [i.title for i in items] == [
        "Vienna to Hamburg, couchette six",
        "Brussels to Berlin, the new line",
        "Packing for a sleeper",
    ]


async def test_feed_404_but_site_fine_falls_back_to_the_home_page(serve_site: Serve) -> None:
    site = serve_site("feedsite")
    async with Fetcher() as fetcher:
        resolved = await resolve_source(fetcher, site.url("/gone.xml"))
        items = await latest(fetcher, site.url("/gone.xml"), limit=1)
    assert resolved.feed is not None and resolved.feed.url == site.url("/feed.xml")
    assert resolved.notes == (
        f"{site.url('/gone.xml')}: 127.0.0.1:{site.url().split(':')[2].rstrip('/')} "
        "answered 404 Not Found for /gone.xml",
    )
    assert [i.url for i in items] == [site.url("/2024/02/vienna-hamburg.html")]


async def test_home_page_404_is_an_error(serve_site: Serve, tmp_path: Path) -> None:
    empty = tmp_path / "empty-site"
    empty.mkdir()
    site = serve_site(empty)
    async with Fetcher() as fetcher:
        with pytest.raises(HTTPStatusError) as caught:
            await resolve_source(fetcher, site.url("/"))
    assert caught.value.status == 404


async def test_page_with_nothing_raises_source_error(serve_site: Serve, tmp_path: Path) -> None:
    folder = tmp_path / "bare"
    folder.mkdir()
    (folder / "index.html").write_text("<html><head><title>Bare</title></head><body><p>Hi.</p></body></html>")
    site = serve_site(folder)
    async with Fetcher() as fetcher:
        with pytest.raises(SourceError) as caught:
            await latest(fetcher, site.url("/"))
    assert str(caught.value) == f"no feed or article list found at {site.url('/')}"


async def test_wordpress_comment_feed_skipped_and_popular_found(serve_site: Serve) -> None:
    site = serve_site("wordpress-basic")
    async with Fetcher() as fetcher:
        resolved = await resolve_source(fetcher, site.url("/"))
        items = await latest(fetcher, site.url("/"))
        result = await popular(fetcher, site.url("/"))
    assert resolved.kind == "wordpress"
    assert resolved.feed == FeedLink(url=site.url("/feed/"), kind="rss", title="Tidewater Kitchen » Feed")
    assert site.hits["/comments/feed/"] == 0
    assert [(i.title, i.published, i.author) for i in items] == [
        ("Mussels in cider", datetime(2024, 4, 20, 12, tzinfo=UTC), "Ellen Marsh"),
        ("Samphire, briefly", datetime(2024, 4, 6, 12, tzinfo=UTC), "Ellen Marsh"),
    ]
    assert items[0].snippet == (
        "A kilo of mussels, a bottle of dry cider and twenty minutes. Shallots first, then garlic, "
        "then the cider goes in hot…"
    )
    assert result.found
    assert result.widget == "wpp"
    assert [(i.title, i.url) for i in result.items] == [
        ("Crab cakes without fuss", site.url("/2023/09/crab-cakes/")),
        ("Mussels in cider", site.url("/2024/04/mussels-in-cider/")),
        ("Making sea salt at home", site.url("/2023/07/sea-salt/")),
    ]


async def test_popular_none_on_a_site_without_widget(serve_site: Serve) -> None:
    site = serve_site("hugo-nofeedlink")
    async with Fetcher() as fetcher:
        result = await popular(fetcher, site.url("/"))
    assert (result.found, result.items, result.page_url) == (False, (), site.url("/"))


async def test_popular_from_a_feed_url_reads_the_site_home(serve_site: Serve) -> None:
    site = serve_site("wordpress-basic")
    async with Fetcher() as fetcher:
        result = await popular(fetcher, site.url("/feed/"))
    assert result.widget == "wpp"
    assert len(result.items) == 3
    assert site.hits["/"] == 1


BLOGGER_HOME = """<!DOCTYPE html><html><head><meta content='blogger' name='generator'/>
<title>Quiet Stitches</title>
<link rel="alternate" type="application/atom+xml" title="Quiet Stitches - Atom"
 href="{{BASE}}/feeds/posts/default" />
</head><body><div class='blog-posts hfeed'><p>Posts load here.</p></div></body></html>"""

BLOGGER_POST = """<!DOCTYPE html><html><head><meta content='blogger' name='generator'/>
<title>Hems</title></head>
<body class='item'><div class='post hentry'><h3 class='post-title entry-title'>Hems</h3></div>
<div class='widget PopularPosts' data-version='1' id='PopularPosts1'><h2>Popular Posts</h2>
<div class='widget-content popular-posts'><ul>
<li><div class='item-title'><a href='{{BASE}}/2024/01/buttons.html'>Sewing on buttons</a></div>
<div class='item-snippet'>Four holes, two threads...</div></li>
<li><div class='item-title'><a href='{{BASE}}/2023/11/darning.html'>Darning socks</a></div>
<div class='item-snippet'>A mushroom helps.</div></li>
</ul></div></div></body></html>"""

BLOGGER_FEED = """<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom'>
<title type='text'>Quiet Stitches</title><link rel='alternate' type='text/html' href='{{BASE}}/'/>
<entry><id>p2</id><published>2024-02-01T10:00:00Z</published><title type='text'>Hems</title>
<link rel='alternate' type='text/html' href='{{BASE}}/2024/02/hems.html'/></entry>
<entry><id>p1</id><published>2024-01-01T10:00:00Z</published><title type='text'>Sewing on buttons</title>
<link rel='alternate' type='text/html' href='{{BASE}}/2024/01/buttons.html'/></entry></feed>"""


async def test_blogger_home_without_widget_checks_the_newest_post(serve_site: Serve, tmp_path: Path) -> None:
    root = tmp_path / "blogger-nowidget"
    (root / "2024" / "02").mkdir(parents=True)
    (root / "feeds" / "posts").mkdir(parents=True)
    (root / "index.html").write_text(BLOGGER_HOME, encoding="utf-8")
    (root / "2024" / "02" / "hems.html").write_text(BLOGGER_POST, encoding="utf-8")
    (root / "feeds" / "posts" / "default.xml").write_text(BLOGGER_FEED, encoding="utf-8")
    (root / "_routes.json").write_text(
        '{"/feeds/posts/default": {"file": "feeds/posts/default.xml", "type": "application/atom+xml"}}'
    )
    site = serve_site(root)
    async with Fetcher() as fetcher:
        result = await popular(fetcher, site.url("/"))
    assert result.page_url == site.url("/2024/02/hems.html")
    assert [(i.title, i.url, i.snippet) for i in result.items] == [
        ("Sewing on buttons", site.url("/2024/01/buttons.html"), "Four holes, two threads…"),
        ("Darning socks", site.url("/2023/11/darning.html"), "A mushroom helps."),
    ]


async def test_local_feed_file(tmp_path: Path) -> None:
    feed = tmp_path / "saved.xml"
    feed.write_bytes(
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Saved</title>'
        b"<item><title>Offline item</title><link>https://saved.example/1</link></item></channel></rss>"
    )
    async with Fetcher() as fetcher:
        resolved = await resolve_source(fetcher, str(feed))
        items = await latest(fetcher, str(feed))
    assert resolved.kind == "feed"
    assert [(i.title, i.url) for i in items] == [("Offline item", "https://saved.example/1")]


async def test_popular_with_widget_on_the_page_costs_one_request(serve_site: Serve) -> None:
    site = serve_site("wordpress-basic")
    async with Fetcher() as fetcher:
        result = await popular(fetcher, site.url("/"))
    assert result.heading == "Most read"
    assert dict(site.hits) == {"/": 1}


async def test_json_feed_discovered_from_its_link(serve_site: Serve, tmp_path: Path) -> None:
    root = tmp_path / "json-site"
    root.mkdir()
    (root / "index.html").write_text(
        '<html><head><meta name="generator" content="Hugo 0.120">'
        '<link rel="alternate" type="application/feed+json" title="JSON" href="/feed.json"></head>'
        "<body></body></html>",
        encoding="utf-8",
    )
    (root / "feed.json").write_text(
        '{"version": "https://jsonfeed.org/version/1.1", "title": "J", "home_page_url": "{{BASE}}/",'
        ' "items": [{"id": "1", "url": "/one", "title": "One", "date_published": "2024-07-01T10:00:00Z"}]}',
        encoding="utf-8",
    )
    site = serve_site(root)
    async with Fetcher() as fetcher:
        resolved = await resolve_source(fetcher, site.url("/"))
        items = await latest(fetcher, site.url("/"))
    assert (resolved.kind, resolved.feed) == (
        "hugo",
        FeedLink(url=site.url("/feed.json"), kind="json", title="JSON"),
    )
    assert [(i.title, i.url, i.published) for i in items] == [
        ("One", site.url("/one"), datetime(2024, 7, 1, 10, tzinfo=UTC))
    ]


def test_source_argument_url_name_file_or_error(tmp_path: Path) -> None:
    from termreader.sources import source_from_argument

    config = tmp_path / "config.toml"
    config.write_text('[[sources]]\nname = "Bells"\nurl = "https://bells.example/"\nlimit = 5\n')
    assert source_from_argument("https://x.example/feed", config) == SourceConfig(
        name="https://x.example/feed", url="https://x.example/feed"
    )
    assert source_from_argument("  bells ", config) == SourceConfig(
        name="Bells", url="https://bells.example/", limit=5
    )
    saved = tmp_path / "saved.xml"
    saved.write_text("<rss/>")
    assert source_from_argument(str(saved), config).url == str(saved)
    with pytest.raises(SourceError) as caught:
        source_from_argument("bells.example.org", config)
    assert str(caught.value) == (
        "'bells.example.org' is not a configured source, a URL or an existing file "
        "(did you mean https://bells.example.org?)"
    )
    assert not (tmp_path / "absent.toml").exists()
    with pytest.raises(SourceError):
        source_from_argument("bells", tmp_path / "absent.toml")
    assert not (tmp_path / "absent.toml").exists()  # looking a name up never creates the config file


async def test_resolve_and_list_fetches_each_document_once(serve_site: Serve) -> None:
    from termreader.sources import resolve_and_list

    site = serve_site("plain-index")
    async with Fetcher() as fetcher:
        resolved, items = await resolve_and_list(fetcher, site.url("/"))
    assert (resolved.kind, resolved.feed) == ("html", None)
    assert [i.title for i in items] == ["Onions, & why they bolt", "Slugs: a truce", "Compost temperatures"]
    assert site.hits["/"] == 1
    assert site.hits["/feed"] == 1


async def test_configured_kind_feed_skips_detection(serve_site: Serve) -> None:
    site = serve_site("feedsite")
    source = SourceConfig(name="trains", url=site.url("/feed.xml"), kind="feed", limit=1)
    async with Fetcher() as fetcher:
        items = await latest(fetcher, source)
    assert [i.title for i in items] == ["Vienna to Hamburg, couchette six"]
    assert site.hits["/"] == 0


async def test_configured_kind_feed_on_a_page_says_so(serve_site: Serve) -> None:
    site = serve_site("plain-index")
    source = SourceConfig(name="letters", url=site.url("/"), kind="feed")
    async with Fetcher() as fetcher:
        with pytest.raises(FeedError, match=r'configured as a feed .kind = "feed". but does not serve one'):
            await latest(fetcher, source)


async def test_configured_kind_html_uses_the_page_listing_without_probing(serve_site: Serve) -> None:
    site = serve_site("plain-index")
    source = SourceConfig(name="letters", url=site.url("/"), kind="html")
    async with Fetcher() as fetcher:
        items = await latest(fetcher, source)
    assert items[0].title == "Onions, & why they bolt"
    assert sum(site.hits.values()) == 1  # the page only: no probe of /feed, /rss, …


async def test_resolve_latest_reuses_a_page_already_fetched_and_keeps_the_limit(serve_site: Serve) -> None:
    from termreader.sources import resolve_latest

    site = serve_site("plain-index")
    source = SourceConfig(name="letters", url=site.url("/"), limit=2)
    async with Fetcher() as fetcher:
        page = await fetcher.fetch(site.url("/"))
        resolved, items = await resolve_latest(fetcher, source, page=page)
    assert (resolved.kind, resolved.feed, resolved.title) == ("html", None, "The Allotment Letter")
    assert [(i.title, i.url) for i in items] == [
        ("Onions, & why they bolt", site.url("/letters/2024-06-onions.html")),
        ("Slugs: a truce", site.url("/letters/2024-05-slugs.html")),
    ]
    assert site.hits["/"] == 1  # discovery read the page handed to it instead of asking again
    assert site.hits["/feed"] == 1


async def test_resolve_latest_of_a_discovered_feed(serve_site: Serve) -> None:
    from termreader.sources import resolve_latest

    site = serve_site("hugo-nofeedlink")
    async with Fetcher() as fetcher:
        resolved, items = await resolve_latest(fetcher, site.url("/"), limit=1)
    assert resolved.feed == FeedLink(url=site.url("/index.xml"), kind="rss", title="Slow Lanes")
    assert [(i.title, i.url) for i in items] == [
        ("Climbing the Col de la Croix", site.url("/posts/col-de-la-croix/"))
    ]
    assert site.hits["/index.xml"] == 1
