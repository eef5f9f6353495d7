"""Refreshing many sources into the app's cache: real loopback HTTP, real SQLite, the installed command."""

from __future__ import annotations

import hashlib
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from termreader.cache import Cache
from termreader.demo.siteserver import SiteServer
from termreader.errors import (
    ExtractionError,
    FeedError,
    FetchTimeoutError,
    HTTPStatusError,
    NetworkError,
    NotAnArticleError,
    SourceError,
    StoreError,
    TooLargeError,
    UnsupportedContentError,
    error_word,
)
from termreader.fetch import Fetcher
from termreader.models import ArticleRef, SourceConfig
from termreader.paths import AppPaths
from termreader.refresher import (
    ETAG_KEY,
    FEED_KIND_KEY,
    FEED_URL_KEY,
    LAST_MODIFIED_KEY,
    RefreshReport,
    refresh_all,
)

T1 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
T2 = datetime(2026, 3, 1, 11, 30, tzinfo=UTC)
SITE_LAST_MODIFIED = "Tue, 14 Nov 2023 22:13:20 GMT"  # SiteServer's fixed Last-Modified

ServeSite = Callable[..., SiteServer]
Item = tuple[str, str, str, str, str]
"""(title, path, RFC 822 date, author, description) of one generated RSS item."""

HARBOUR: list[Item] = [
    (
        "Tide tables for March",
        "/harbour/2026/02/tides.html",
        "Fri, 27 Feb 2026 08:15:00 +0000",
        "Ines Maro",
        "High water at six, low water at noon, and the ferry waits for neither.",
    ),
    (
        "Painting the hull",
        "/harbour/2026/02/hull.html",
        "Sat, 14 Feb 2026 16:40:00 +0100",
        "Ines Maro",
        "Two coats of red below the line; the third coat is for luck.",
    ),
    (
        "A quiet winter on the quay",
        "/harbour/2026/01/winter.html",
        "Tue, 20 Jan 2026 10:00:00 +0000",
        "Tom Ashe",
        "Nobody fishes in January except the gulls.",
    ),
]
ORCHARD: list[Item] = [
    (
        "Grafting the old pear",
        "/orchard/2026/02/pear.html",
        "Mon, 23 Feb 2026 07:05:00 +0000",
        "Lena Groot",
        "A whip-and-tongue graft, taped tight, before the sap rises.",
    ),
    (
        "Pruning in frost",
        "/orchard/2026/01/frost.html",
        "Thu, 29 Jan 2026 12:00:00 +0000",
        "Lena Groot",
        "Cut on a dry day: frost-split bark lets canker in.",
    ),
]
LANTERN: list[Item] = [
    (
        "Wicks and paraffin",
        "/lantern/2026/02/wicks.html",
        "Wed, 25 Feb 2026 19:30:00 +0000",
        "Ada Vell",
        "Trim the wick square and the flame stops smoking.",
    ),
]


def _rss(title: str, home: str, items: list[Item]) -> str:
    entries = "".join(
        f"""    <item>
      <title>{name}</title>
      <link>{{{{BASE}}}}{path}</link>
      <guid>{{{{BASE}}}}{path}</guid>
      <pubDate>{date}</pubDate>
      <dc:creator>{author}</dc:creator>
      <description>&lt;p&gt;{text}&lt;/p&gt;</description>
    </item>
"""
        for name, path, date, author, text in items
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>{title}</title>
    <link>{{{{BASE}}}}{home}</link>
    <description>Generated for the refresh tests.</description>
{entries}  </channel>
</rss>
"""


def _refs(base: str, items: list[Item]) -> tuple[ArticleRef, ...]:
    """What the cache must hold for `items`: exact titles, absolute URLs, aware dates, authors, snippets."""
    refs = []
    for name, path, date, author, text in items:
        published = datetime.strptime(date, "%a, %d %b %Y %H:%M:%S %z")
        refs.append(ArticleRef(title=name, url=base + path, published=published, author=author, snippet=text))
    return tuple(refs)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """Three feeds, and a blog page that only advertises its feed (so it needs discovery)."""
    root = tmp_path / "site"
    (root / "feeds").mkdir(parents=True)
    (root / "feeds" / "harbour.xml").write_text(_rss("Harbour Notes", "/harbour/", HARBOUR), encoding="utf-8")
    (root / "feeds" / "orchard.xml").write_text(_rss("Orchard Log", "/orchard/", ORCHARD), encoding="utf-8")
    (root / "lantern").mkdir()
    (root / "lantern" / "feed.xml").write_text(_rss("Lantern", "/lantern/", LANTERN), encoding="utf-8")
    (root / "lantern" / "index.html").write_text(
        """<!doctype html><html><head><meta charset="utf-8"><title>Lantern</title>
<link rel="alternate" type="application/rss+xml" title="Lantern" href="/lantern/feed.xml">
</head><body><h1>Lantern</h1><p>Notes on lamps.</p></body></html>
""",
        encoding="utf-8",
    )
    return root


def _sources(server: SiteServer) -> list[SourceConfig]:
    return [
        SourceConfig(name="Harbour", url=server.url("/feeds/harbour.xml")),
        SourceConfig(name="Orchard", url=server.url("/feeds/orchard.xml")),
        SourceConfig(name="Lantern", url=server.url("/lantern/")),
    ]


def _etag(server: SiteServer, file: Path) -> str:
    """The ETag SiteServer gives `file`: the first 16 hex digits of the SHA-1 of the body it serves."""
    body = file.read_text(encoding="utf-8").replace("{{BASE}}", server.base_url).encode("utf-8")
    return '"' + hashlib.sha1(body).hexdigest()[:16] + '"'


def _free_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


async def _refresh(
    paths: AppPaths, sources: list[SourceConfig], at: datetime, progress: list[tuple[int, int]] | None = None
) -> RefreshReport:
    """One refresh as a fresh process would run it: a new Fetcher and Cache on the same files."""
    cache = Cache.open(paths.cache_db)
    try:
        async with Fetcher(cache_dir=paths.http_cache_dir) as fetcher:
            return await refresh_all(
                sources,
                fetcher=fetcher,
                cache=cache,
                clock=lambda: at,
                concurrency=4,
                on_progress=(lambda done, total: progress.append((done, total)))
                if progress is not None
                else None,
            )
    finally:
        cache.close()


async def test_refresh_fills_the_cache_with_exact_items(
    site: Path, serve_site: ServeSite, isolated_dirs: AppPaths
) -> None:
    server = serve_site(site)
    progress: list[tuple[int, int]] = []
    report = await _refresh(isolated_dirs, _sources(server), T1, progress)

    assert (report.ok, report.failed, report.not_modified, report.total) == (3, (), 0, 3)
    assert progress == [(1, 3), (2, 3), (3, 3)]
    cache = Cache.open(isolated_dirs.cache_db)
    try:
        harbour = cache.get_list("Harbour", "latest")
        orchard = cache.get_list("Orchard", "latest")
        lantern = cache.get_list("Lantern", "latest")
    finally:
        cache.close()
    assert harbour is not None and orchard is not None and lantern is not None
    assert harbour.items == _refs(server.base_url, HARBOUR)
    assert orchard.items == _refs(server.base_url, ORCHARD)
    assert lantern.items == _refs(server.base_url, LANTERN)
    assert harbour.fetched_at == T1
    # The resolved feed is remembered beside the list (the page's advertised feed, not the page), with the
    # validators of the feed it was read from when the refresher fetched that feed itself.
    assert harbour.meta == {
        FEED_URL_KEY: server.url("/feeds/harbour.xml"),
        FEED_KIND_KEY: "rss",
        ETAG_KEY: _etag(server, site / "feeds" / "harbour.xml"),
        LAST_MODIFIED_KEY: SITE_LAST_MODIFIED,
    }
    assert lantern.meta == {FEED_URL_KEY: server.url("/lantern/feed.xml"), FEED_KIND_KEY: "rss"}
    # Those validators live in the list: the feeds and the page fetched directly left no files in the HTTP
    # cache; only Lantern's feed, found by discovery, went through it (as for `termreader latest`).
    assert len(list(isolated_dirs.http_cache_dir.glob("*.body"))) == 1
    assert len(list(isolated_dirs.http_cache_dir.glob("*.json"))) == 1


async def test_second_refresh_is_conditional_and_keeps_the_lists(
    site: Path, serve_site: ServeSite, isolated_dirs: AppPaths
) -> None:
    server = serve_site(site)
    sources = _sources(server)
    await _refresh(isolated_dirs, sources, T1)
    page_hits = server.hits["/lantern/"]
    # The page is read once (discovery reuses it); the feed it advertises is read once and that body
    # parsed, not asked for a second time.
    assert server.answers == {
        ("/feeds/harbour.xml", 200): 1,
        ("/feeds/orchard.xml", 200): 1,
        ("/lantern/", 200): 1,
        ("/lantern/feed.xml", 200): 1,
    }

    report = await _refresh(isolated_dirs, sources, T2)

    assert (report.ok, report.failed, report.not_modified) == (3, (), 3)
    # Every feed was asked "changed since?" and answered 304; the page was not rediscovered.
    for path in ("/feeds/harbour.xml", "/feeds/orchard.xml", "/lantern/feed.xml"):
        assert server.answers[(path, 304)] == 1, path
    assert server.hits["/lantern/"] == page_hits
    cache = Cache.open(isolated_dirs.cache_db)
    try:
        harbour = cache.get_list("Harbour", "latest")
        lantern = cache.get_list("Lantern", "latest")
    finally:
        cache.close()
    assert harbour is not None and lantern is not None
    assert harbour.items == _refs(server.base_url, HARBOUR)
    assert harbour.fetched_at == T2  # confirmed fresh at the second refresh
    # Lantern's feed was revalidated through the HTTP cache (its list had no validators): now it has them.
    assert lantern.meta == {
        FEED_URL_KEY: server.url("/lantern/feed.xml"),
        FEED_KIND_KEY: "rss",
        ETAG_KEY: _etag(server, site / "lantern" / "feed.xml"),
        LAST_MODIFIED_KEY: SITE_LAST_MODIFIED,
    }
    assert harbour.meta[ETAG_KEY] == _etag(server, site / "feeds" / "harbour.xml")


async def test_a_changed_feed_is_parsed_again(
    site: Path, serve_site: ServeSite, isolated_dirs: AppPaths
) -> None:
    server = serve_site(site)
    sources = _sources(server)
    await _refresh(isolated_dirs, sources, T1)
    newer: Item = (
        "Storm warning",
        "/orchard/2026/03/storm.html",
        "Sun, 01 Mar 2026 06:00:00 +0000",
        "Lena Groot",
        "Stake the young trees before Thursday.",
    )
    (site / "feeds" / "orchard.xml").write_text(
        _rss("Orchard Log", "/orchard/", [newer, *ORCHARD]), encoding="utf-8"
    )

    report = await _refresh(isolated_dirs, sources, T2)

    assert (report.ok, report.not_modified) == (3, 2)
    assert server.answers[("/feeds/orchard.xml", 200)] == 2
    cache = Cache.open(isolated_dirs.cache_db)
    try:
        orchard = cache.get_list("Orchard", "latest")
    finally:
        cache.close()
    assert orchard is not None
    assert orchard.items == _refs(server.base_url, [newer, *ORCHARD])


async def test_item_limit_of_the_source_and_the_default(
    site: Path, serve_site: ServeSite, isolated_dirs: AppPaths
) -> None:
    server = serve_site(site)
    sources = [
        SourceConfig(name="Harbour", url=server.url("/feeds/harbour.xml"), limit=1),
        SourceConfig(name="Orchard", url=server.url("/feeds/orchard.xml")),
    ]
    cache = Cache.open(isolated_dirs.cache_db)
    try:
        async with Fetcher(cache_dir=isolated_dirs.http_cache_dir) as fetcher:
            report = await refresh_all(
                sources, fetcher=fetcher, cache=cache, clock=lambda: T1, concurrency=2, item_limit=1
            )
        harbour = cache.get_list("Harbour", "latest")
        orchard = cache.get_list("Orchard", "latest")
    finally:
        cache.close()
    assert report.ok == 2
    assert harbour is not None and orchard is not None
    assert harbour.items == _refs(server.base_url, HARBOUR[:1])
    assert orchard.items == _refs(server.base_url, ORCHARD[:1])


async def test_failures_are_reported_and_do_not_stop_the_others(
    site: Path, serve_site: ServeSite, isolated_dirs: AppPaths
) -> None:
    server = serve_site(site)
    port = _free_port()
    sources = [
        SourceConfig(name="Missing", url=server.url("/feeds/missing.xml")),
        *_sources(server),
        SourceConfig(name="Nobody home", url=f"http://127.0.0.1:{port}/feed.xml"),
    ]

    report = await _refresh(isolated_dirs, sources, T1)

    assert report.ok == 3
    assert report.failed == (
        (
            "Missing",
            f"127.0.0.1:{urlsplit(server.base_url).port} answered 404 Not Found for /feeds/missing.xml",
        ),
        ("Nobody home", f"could not connect to 127.0.0.1:{port}: connection refused"),
    )
    # The app's one-word reason comes from the error's type, not from guessing at the message.
    assert report.failure_words == (("Missing", "HTTP 404"), ("Nobody home", "offline"))
    cache = Cache.open(isolated_dirs.cache_db)
    try:
        assert cache.get_list("Missing", "latest") is None
        orchard = cache.get_list("Orchard", "latest")
    finally:
        cache.close()
    assert orchard is not None and orchard.items == _refs(server.base_url, ORCHARD)


async def test_a_page_without_a_feed_is_listed_from_its_html(
    serve_site: ServeSite, isolated_dirs: AppPaths
) -> None:
    server = serve_site("plain-index")
    sources = [SourceConfig(name="Allotment", url=server.url("/"))]

    first = await _refresh(isolated_dirs, sources, T1)
    after_first = sum(server.hits.values())
    second = await _refresh(isolated_dirs, sources, T2)

    assert (first.ok, first.failed, first.not_modified) == (1, (), 0)
    # Known to have no feed: the second refresh asks the page "changed since?" and probes nothing.
    assert (second.ok, second.failed, second.not_modified) == (1, (), 1)
    assert sum(server.hits.values()) == after_first + 1
    assert server.answers[("/", 304)] >= 1
    cache = Cache.open(isolated_dirs.cache_db)
    try:
        listed = cache.get_list("Allotment", "latest")
    finally:
        cache.close()
    assert listed is not None
    # The page's validators are kept beside its list: the second refresh sent them (the 304 above).
    assert listed.meta == {
        FEED_URL_KEY: None,
        FEED_KIND_KEY: "html",
        ETAG_KEY: _etag(server, server.root / "index.html"),
        LAST_MODIFIED_KEY: SITE_LAST_MODIFIED,
    }
    assert [item.title for item in listed.items] == [
        "Onions, & why they bolt",
        "Slugs: a truce",
        "Compost temperatures",
    ]
    assert listed.items[0].url == server.url("/letters/2024-06-onions.html")
    assert listed.items[0].author == "Gwen Hale"
    assert listed.fetched_at == T2


# --- the command --------------------------------------------------------------------------------


def _write_config(paths: AppPaths, server: SiteServer, extra: str = "") -> None:
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text(
        f"""[settings]
max_connections = 8
per_host_connections = 4

[[sources]]
name = "Harbour"
url = "{server.url("/feeds/harbour.xml")}"

[[sources]]
name = "Orchard"
url = "{server.url("/feeds/orchard.xml")}"

[[sources]]
name = "Lantern"
url = "{server.url("/lantern/")}"
{extra}""",
        encoding="utf-8",
    )


def _termreader(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "termreader", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ),
        check=False,
    )


_TOTAL = re.compile(r"^refreshed (\d+) of (\d+) sources \((\d+) unchanged\) in \d+\.\d\d s(; (\d+) failed)?$")


def test_cli_prints_failures_and_the_total(
    site: Path, serve_site: ServeSite, isolated_dirs: AppPaths
) -> None:
    server = serve_site(site)
    port = _free_port()
    _write_config(
        isolated_dirs,
        server,
        f"""
[[sources]]
name = "Nobody home"
url = "http://127.0.0.1:{port}/feed.xml"
""",
    )

    first = _termreader("refresh")
    second = _termreader("refresh")

    assert first.returncode == 1, first.stderr
    assert (
        first.stderr
        == f"termreader: Nobody home: could not connect to 127.0.0.1:{port}: connection refused\n"
    )
    total = _TOTAL.match(first.stdout.strip())
    assert total is not None, first.stdout
    assert total.group(1, 2, 3, 5) == ("3", "4", "0", "1")
    assert second.returncode == 1
    total = _TOTAL.match(second.stdout.strip())
    assert total is not None, second.stdout
    assert total.group(1, 2, 3, 5) == ("3", "4", "3", "1")
    cache = Cache.open(isolated_dirs.cache_db)
    try:
        harbour = cache.get_list("Harbour", "latest")
    finally:
        cache.close()
    assert harbour is not None and harbour.items == _refs(server.base_url, HARBOUR)


def test_cli_refreshes_only_the_named_sources(
    site: Path, serve_site: ServeSite, isolated_dirs: AppPaths
) -> None:
    server = serve_site(site)
    _write_config(isolated_dirs, server)
    feed_url = server.url("/lantern/feed.xml")

    result = _termreader("refresh", "orchard", feed_url)

    assert (result.returncode, result.stderr) == (0, "")
    total = _TOTAL.match(result.stdout.strip())
    assert total is not None and total.group(1, 2, 3, 4) == ("2", "2", "0", None), result.stdout
    assert server.hits["/feeds/harbour.xml"] == 0
    cache = Cache.open(isolated_dirs.cache_db)
    try:
        assert cache.get_list("Harbour", "latest") is None
        orchard = cache.get_list("Orchard", "latest")  # stored under the configured name, as the app reads it
        by_url = cache.get_list(feed_url, "latest")
    finally:
        cache.close()
    assert orchard is not None and orchard.items == _refs(server.base_url, ORCHARD)
    assert by_url is not None and by_url.items == _refs(server.base_url, LANTERN)


def test_cli_with_no_sources_says_how_to_add_one(isolated_dirs: AppPaths) -> None:
    result = _termreader("refresh")

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "no sources to refresh: add one with 'termreader sources add URL'\n"


def test_cli_unknown_source_name_is_one_line(
    site: Path, serve_site: ServeSite, isolated_dirs: AppPaths
) -> None:
    server = serve_site(site)
    _write_config(isolated_dirs, server)

    result = _termreader("refresh", "Nonesuch")

    assert result.returncode == 1
    assert result.stderr == "termreader: 'Nonesuch' is not a configured source, a URL or an existing file\n"
    assert result.stdout == ""


def test_refresh_never_imports_textual(site: Path, serve_site: ServeSite, isolated_dirs: AppPaths) -> None:
    server = serve_site(site)
    _write_config(isolated_dirs, server)
    code = (
        "import sys\n"
        "from termreader.cli import main\n"
        "status = main(['refresh'])\n"
        "print(status, 'textual' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )

    assert result.stdout.splitlines()[-1] == "0 False", result.stdout + result.stderr


def test_a_refresh_of_feeds_imports_neither_discovery_nor_the_charset_detector(
    site: Path, serve_site: ServeSite, isolated_dirs: AppPaths
) -> None:
    server = serve_site(site)
    paths = isolated_dirs
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text(
        f"""[[sources]]
name = "Harbour"
url = "{server.url("/feeds/harbour.xml")}"

[[sources]]
name = "Orchard"
url = "{server.url("/feeds/orchard.xml")}"
""",
        encoding="utf-8",
    )
    code = (
        "import sys\n"
        "from termreader.cli import main\n"
        "status = main(['refresh'])\n"
        "print(status, *(name in sys.modules for name in ('termreader.sources', 'charset_normalizer')))\n"
    )
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
        for _ in range(2)
    ]

    # Cold (the feeds are fetched and parsed) and warm (304s): neither needs discovery's imports.
    assert [run.stdout.splitlines()[-1] for run in runs] == ["0 False False", "0 False False"], runs
    assert runs[1].stdout.splitlines()[0].startswith("refreshed 2 of 2 sources (2 unchanged)")


def test_the_feed_accept_header_is_the_one_discovery_sends() -> None:
    from termreader import fetch, sources

    assert sources.FEED_ACCEPT is fetch.FEED_ACCEPT
    assert fetch.FEED_ACCEPT.startswith("application/rss+xml,application/atom+xml,application/feed+json,")


class _CountingServer(ThreadingHTTPServer):
    """Feeds on one loopback host that record how many requests were in flight at once (at most `hold`)."""

    daemon_threads = True
    request_queue_size = 64

    def __init__(self, hold: int) -> None:
        super().__init__(("127.0.0.1", 0), _CountingHandler)
        self.hold = hold
        self.in_flight = 0
        self.most = 0
        self.changed = threading.Condition()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _CountingHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _CountingServer

    def log_message(self, format: str, *args: object) -> None:
        return

    def do_GET(self) -> None:
        server = self.server
        with server.changed:
            server.in_flight += 1
            server.most = max(server.most, server.in_flight)
            server.changed.notify_all()
            # Hold every answer until `hold` requests have been in flight together (bounded: 10 s), so the
            # maximum seen is what the client allows, not what the timing happened to give.
            server.changed.wait_for(lambda: server.most >= server.hold, timeout=10.0)
            server.in_flight -= 1
        number = self.path.rsplit("/", 1)[-1].removesuffix(".xml")
        body = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Feed '
            f"{number}</title><item><title>Post {number}</title>"
            f"<link>http://127.0.0.1/posts/{number}.html</link></item></channel></rss>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_the_default_settings_keep_20_requests_in_flight_on_one_host(isolated_dirs: AppPaths) -> None:
    server = _CountingServer(hold=20)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        isolated_dirs.config_file.parent.mkdir(parents=True, exist_ok=True)
        isolated_dirs.config_file.write_text(  # no [settings]: the defaults a user gets
            "".join(
                f'[[sources]]\nname = "Feed {number:02d}"\n'
                f'url = "{server.base_url}/feeds/{number:02d}.xml"\n\n'
                for number in range(30)
            ),
            encoding="utf-8",
        )

        result = _termreader("refresh")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)

    assert result.returncode == 0, result.stderr
    total = _TOTAL.match(result.stdout.strip())
    assert total is not None and total.group(1, 2, 3) == ("30", "30", "0"), result.stdout
    # Twenty at once on a single host (the per-host limit no longer caps it lower), and never more.
    assert server.most == 20
    cache = Cache.open(isolated_dirs.cache_db)
    try:
        last = cache.get_list("Feed 29", "latest")
    finally:
        cache.close()
    assert last is not None
    assert [(item.title, item.url) for item in last.items] == [("Post 29", "http://127.0.0.1/posts/29.html")]


async def test_a_list_with_damaged_items_is_fetched_whole_again(
    site: Path, serve_site: ServeSite, isolated_dirs: AppPaths
) -> None:
    server = serve_site(site)
    sources = _sources(server)[:2]
    await _refresh(isolated_dirs, sources, T1)
    # Harbour's stored items are cut short (a crash, a hand edit): its validators must not be trusted.
    with sqlite3.connect(isolated_dirs.cache_db) as db:
        db.execute("UPDATE lists SET items = substr(items, 1, 40) WHERE source = 'Harbour'")
    db.close()

    report = await _refresh(isolated_dirs, sources, T2)

    assert (report.ok, report.failed, report.not_modified) == (2, (), 1)
    assert server.answers[("/feeds/harbour.xml", 200)] == 2  # asked again without validators
    assert server.answers[("/feeds/orchard.xml", 304)] == 1
    cache = Cache.open(isolated_dirs.cache_db)
    try:
        harbour = cache.get_list("Harbour", "latest")
        orchard = cache.get_list("Orchard", "latest")
    finally:
        cache.close()
    assert harbour is not None and orchard is not None
    assert (harbour.items, harbour.fetched_at) == (_refs(server.base_url, HARBOUR), T2)
    assert harbour.meta[ETAG_KEY] == _etag(server, site / "feeds" / "harbour.xml")
    # The unchanged feed kept its items, stamped fresh.
    assert (orchard.items, orchard.fetched_at) == (_refs(server.base_url, ORCHARD), T2)


@pytest.mark.parametrize(
    ("error", "word"),
    [
        (HTTPStatusError("http://x/feed", "answered 503", 503), "HTTP 503"),
        (FetchTimeoutError("http://x/feed", "timed out after 20 s"), "timeout"),
        (NetworkError("http://x/feed", "connection refused"), "offline"),
        (TooLargeError("http://x/feed", "larger than 10 MB"), "too-large"),
        (UnsupportedContentError("http://x/feed", "an image"), "bad-feed"),
        (FeedError("not well-formed"), "bad-feed"),
        (SourceError("no feed found"), "no-feed"),
        (NotAnArticleError("a list of articles"), "no-article"),
        (ExtractionError("empty"), "no-article"),
        (StoreError(Path("/x/cache.sqlite3"), "the disk is full"), "error"),
        (ValueError("a bug"), "error"),
    ],
)
def test_error_word_names_the_kind_of_failure(error: BaseException, word: str) -> None:
    assert error_word(error) == word
