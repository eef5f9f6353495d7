"""Misbehaving servers through the real source, article and refresh paths (the Fetcher alone is in
tests/test_fetch.py): a typed one-line error, bounded by caps, and the other sources still refreshed."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import pytest

from termreader.cache import Cache
from termreader.errors import FetchError, TermreaderError
from termreader.extract import fetch_article
from termreader.fetch import Fetcher
from termreader.models import SourceConfig
from termreader.paths import AppPaths
from termreader.refresher import refresh_all
from termreader.sources import latest, popular
from tests.hostile.badserver import (
    BadServer,
    Handler,
    bomb,
    drip,
    drip_headers,
    endless,
    lying_length,
    redirect,
    reset_mid_body,
    respond,
)
from tests.hostile.conftest import cases

GOOD_RSS: Final = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Steady Notes</title><link>{{BASE}}/good/</link>
<description>A site that behaves</description>
<item><title>Planting Garlic in November</title><link>{{BASE}}/good/garlic.html</link>
<pubDate>Tue, 24 Nov 2026 08:00:00 +0000</pubDate><description>Cloves, spacing and mulch.</description></item>
<item><title>Sharpening a Spade</title><link>{{BASE}}/good/spade.html</link>
<pubDate>Mon, 23 Nov 2026 08:00:00 +0000</pubDate><description>A file and some patience.</description></item>
</channel></rss>"""

ARTICLE: Final = (
    b"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Planting Garlic in November</title></head>"
    b"<body><article><h1>Planting Garlic in November</h1>"
    + b"".join(
        b"<p>Paragraph %d: break the bulb into cloves, set them a hand apart, pointed end up, and cover "
        b"them with a good layer of straw before the first hard frost arrives.</p>" % n
        for n in range(1, 7)
    )
    + b"</article></body></html>"
)

LISTING_PAGE: Final = b"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Moved Blog</title>
<link rel="alternate" type="application/rss+xml" href="{{BASE}}/moved/feed.xml"></head>
<body><main>
<article class="post"><h2 class="entry-title">
<a href="{{BASE}}/moved/2026/11/first.html">The First Frost</a></h2>
<p>The lawn was white at seven and the pond had a thin skin of ice on it this morning.</p></article>
<article class="post"><h2 class="entry-title">
<a href="{{BASE}}/moved/2026/11/second.html">Logs for Winter</a></h2>
<p>Ash burns green, they say, but oak wants two summers under cover before it is any use.</p></article>
<article class="post"><h2 class="entry-title">
<a href="{{BASE}}/moved/2026/10/third.html">Apple Store</a></h2>
<p>Wrapped in newspaper, the late apples keep in the shed until well after the new year.</p></article>
</main></body></html>"""

ERROR_PAGE: Final = (
    b"<!DOCTYPE html><html><head><title>Service Unavailable</title></head><body>"
    b"<h1>\x1b[31mService Unavailable</h1><p>[@click=app.quit]Try again later[/]</p></body></html>"
)

ROUTES: Final[dict[str, Handler]] = {
    "/good/feed.xml": respond("200 OK", GOOD_RSS, "application/rss+xml"),
    "/good/garlic.html": respond("200 OK", ARTICLE),
    "/drip": drip(),
    "/drip-feed": drip("application/rss+xml"),
    "/drip-headers": drip_headers(),
    "/endless": endless(),
    "/endless-chunked": endless(chunked=True),
    "/endless-feed": endless("application/rss+xml"),
    "/lying-long": lying_length(100_000, ARTICLE[:400]),
    "/lying-short": lying_length(10, ARTICLE),
    "/gzip-bomb": bomb(64),
    "/gzip-bomb-feed": bomb(64, "application/rss+xml"),
    "/loop-a": redirect("/loop-b"),
    "/loop-b": redirect("/loop-a"),
    "/self-loop": redirect("/self-loop", "301 Moved Permanently"),
    "/to-file": redirect("file:///etc/passwd"),
    "/to-ftp": redirect("ftp://127.0.0.1/feed.xml"),
    "/to-javascript": redirect("javascript:alert(1)"),
    "/to-data": redirect("data:text/html,<h1>hi</h1>"),
    "/to-gopher": redirect("gopher://127.0.0.1:70/"),
    "/to-empty": redirect(""),
    "/reset": reset_mid_body(ARTICLE[:600]),
    "/error-404": respond("404 Not Found", ERROR_PAGE),
    "/error-403": respond("403 Forbidden", ERROR_PAGE),
    "/error-410": respond("410 Gone", ERROR_PAGE),
    "/error-429": respond("429 Too Many Requests", ERROR_PAGE, **{"Retry-After": "3600"}),
    "/error-500": respond("500 Internal Server Error", ERROR_PAGE),
    "/error-503": respond("503 Service Unavailable", ERROR_PAGE),
    "/moved/": respond("200 OK", LISTING_PAGE),
    "/moved/feed.xml": respond("404 Not Found", ERROR_PAGE),
    "/feed-now-html": respond("200 OK", LISTING_PAGE),
}

HOSTILE: Final = (
    "/drip",
    "/drip-feed",
    "/drip-headers",
    "/endless",
    "/endless-chunked",
    "/endless-feed",
    "/lying-long",
    "/gzip-bomb",
    "/gzip-bomb-feed",
    "/loop-a",
    "/self-loop",
    "/to-file",
    "/to-ftp",
    "/to-javascript",
    "/to-data",
    "/to-gopher",
    "/reset",
    "/error-404",
    "/error-403",
    "/error-410",
    "/error-429",
    "/error-500",
    "/error-503",
)
"""Targets with nothing readable behind them: every path must end in a typed, one-line error."""

CAPS: Final[dict[str, Any]] = {
    "max_bytes": 2 * 1024 * 1024,
    "read_timeout": 2.5,
    "connect_timeout": 2.0,
    "total_timeout": 2.0,
    "max_redirects": 5,
}
"""The caps these tests run under: small, so a drip or an endless body is cut in seconds. The read
timeout is longer than the total one so that a drip is always cut by the total cap (the one under test),
however loaded the machine is."""


@pytest.fixture(scope="module")
def server() -> Iterator[BadServer]:
    with BadServer(dict(ROUTES)) as running:
        yield running


def one_line(error: TermreaderError) -> str:
    message = str(error)
    assert message.strip() and "\n" not in message and "\x1b" not in message, repr(message)
    assert "Traceback" not in message
    return message


GUARD_SECONDS: Final = 30.0
"""A hang past the caps fails the test here instead of hanging CI (the caps end every case in ~2 s)."""


async def _with_fetcher(coro_fn: Any, *args: Any) -> Any:
    async with Fetcher(**CAPS) as fetcher:
        try:
            async with asyncio.timeout(GUARD_SECONDS):
                return await coro_fn(fetcher, *args)
        except TermreaderError as error:
            return error
        except TimeoutError:
            pytest.fail(f"not bounded: {coro_fn.__name__}{args} still running after {GUARD_SECONDS:.0f} s")


def run(coro_fn: Any, *args: Any) -> Any:
    """The result or our typed error; anything else propagates and fails the test."""
    return asyncio.run(_with_fetcher(coro_fn, *args))


EXPECTED_WORDS: Final[dict[str, str]] = {
    "/drip": "within 2 s",
    "/drip-feed": "within 2 s",
    "/drip-headers": "within 2 s",
    "/endless": "larger than 2 MB",
    "/endless-chunked": "larger than 2 MB",
    "/endless-feed": "larger than 2 MB",
    "/gzip-bomb": "larger than 2 MB",
    "/gzip-bomb-feed": "larger than 2 MB",
    "/loop-a": "redirected more than 5 times",
    "/self-loop": "redirected more than 5 times",
    "/error-404": "404",
    "/error-403": "403",
    "/error-410": "410",
    "/error-429": "429",
    "/error-500": "500",
    "/error-503": "503",
}
"""What the one line must say for the cases whose cause is unambiguous (the rest: any typed error)."""


def hostile_params(targets: tuple[str, ...] | list[str]) -> list[Any]:
    return cases(list(targets), {})


class TestArticlePath:
    @pytest.mark.parametrize("target", hostile_params(HOSTILE))
    def test_fetch_article_fails_typed_and_bounded(self, server: BadServer, target: str) -> None:
        result = run(fetch_article, server.url(target))
        assert isinstance(result, TermreaderError), f"{target} gave {result!r}"
        message = one_line(result)
        assert "[@click" not in message  # the error page's text is not pasted into the message
        if target in EXPECTED_WORDS:
            assert EXPECTED_WORDS[target] in message, message

    def test_lying_short_length_reads_what_was_promised(self, server: BadServer) -> None:
        result = run(fetch_article, server.url("/lying-short"))
        # 10 bytes promised: the client stops there; that is no article, said in one line.
        assert isinstance(result, TermreaderError)
        one_line(result)

    def test_scheme_redirects_never_read_local_files(self, server: BadServer) -> None:
        result = run(fetch_article, server.url("/to-file"))
        assert isinstance(result, FetchError)
        assert "root:" not in str(result)
        assert "file" in str(result).lower()

    def test_good_article_on_the_same_server_still_reads(self, server: BadServer) -> None:
        article = run(fetch_article, server.url("/good/garlic.html"))
        assert not isinstance(article, TermreaderError), article
        assert article.title == "Planting Garlic in November"
        assert "break the bulb into cloves" in article.markdown


class TestSourcePaths:
    @pytest.mark.parametrize("target", hostile_params(HOSTILE))
    def test_latest_fails_typed_and_bounded(self, server: BadServer, target: str) -> None:
        result = run(latest, server.url(target))
        assert isinstance(result, TermreaderError), f"{target} gave {result!r}"
        message = one_line(result)
        assert "[@click" not in message

    @pytest.mark.parametrize(
        "target", ["/drip", "/endless", "/gzip-bomb", "/loop-a", "/to-file", "/error-500"]
    )
    def test_popular_fails_typed_and_bounded(self, server: BadServer, target: str) -> None:
        result = run(popular, server.url(target))
        assert isinstance(result, TermreaderError), f"{target} gave {result!r}"
        one_line(result)

    def test_feed_404_but_page_200_falls_back_to_the_listing(self, server: BadServer) -> None:
        items = run(latest, server.url("/moved/"))
        assert not isinstance(items, TermreaderError), items
        assert [item.title for item in items] == ["The First Frost", "Logs for Winter", "Apple Store"]
        assert items[0].url == server.url("/moved/2026/11/first.html")

    def test_feed_url_that_now_returns_html_lists_the_page(self, server: BadServer) -> None:
        items = run(latest, SourceConfig(name="was a feed", url=server.url("/feed-now-html"), kind="feed"))
        if isinstance(items, TermreaderError):
            one_line(items)  # refusing is fine, as long as it is one clear line
        else:
            assert [item.title for item in items][:1] == ["The First Frost"]


class TestRefreshAll:
    def test_every_bad_source_fails_alone_and_the_good_one_refreshes(
        self, server: BadServer, isolated_dirs: AppPaths
    ) -> None:
        sources = [SourceConfig(name=f"bad {t}", url=server.url(t)) for t in HOSTILE]
        sources.insert(len(sources) // 2, SourceConfig(name="Steady Notes", url=server.url("/good/feed.xml")))
        sources.append(SourceConfig(name="Moved Blog", url=server.url("/moved/")))
        isolated_dirs.cache_dir.mkdir(parents=True, exist_ok=True)
        cache = Cache.open(isolated_dirs.cache_db)

        async def go() -> Any:
            async with Fetcher(**CAPS) as fetcher:
                return await refresh_all(
                    sources,
                    fetcher=fetcher,
                    cache=cache,
                    clock=lambda: datetime(2026, 11, 28, 12, tzinfo=UTC),
                    concurrency=8,
                )

        try:
            report = asyncio.run(asyncio.wait_for(go(), GUARD_SECONDS))
            failed = dict(report.failed)
            assert sorted(failed) == sorted(f"bad {t}" for t in HOSTILE)
            assert report.ok == 2
            for name, reason in failed.items():
                assert reason.strip() and "\n" not in reason and "\x1b" not in reason, (name, reason)
                assert not reason.startswith(("RuntimeError", "ValueError", "KeyError")), (name, reason)
                expected = EXPECTED_WORDS.get(name.removeprefix("bad "))
                if expected is not None:
                    assert expected in reason, (name, reason)
            good = cache.get_list("Steady Notes", "latest")
            assert good is not None
            assert [item.title for item in good.items] == [
                "Planting Garlic in November",
                "Sharpening a Spade",
            ]
            moved = cache.get_list("Moved Blog", "latest")
            assert moved is not None and moved.items[0].title == "The First Frost"
        finally:
            cache.close()

    def test_refresh_reason_for_an_unparsable_location(
        self, server: BadServer, isolated_dirs: AppPaths
    ) -> None:
        isolated_dirs.cache_dir.mkdir(parents=True, exist_ok=True)
        cache = Cache.open(isolated_dirs.cache_db)

        async def go() -> Any:
            async with Fetcher(**CAPS) as fetcher:
                return await refresh_all(
                    [SourceConfig(name="js", url=server.url("/to-javascript"))],
                    fetcher=fetcher,
                    cache=cache,
                    clock=lambda: datetime(2026, 11, 28, 12, tzinfo=UTC),
                    concurrency=2,
                )

        try:
            report = asyncio.run(go())
        finally:
            cache.close()
        [(_name, reason)] = report.failed
        assert "does not follow" in reason or "not a valid" in reason, reason


# --- the installed command, in a subprocess with a hard timeout -------------------------------------------

CLI_BOUND: Final = 90.0
"""Wall-clock bound for one CLI run; the CLI's own caps (60 s total per fetch at most) end it first."""


def termreader(*args: str, timeout: float = CLI_BOUND) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            [sys.executable, "-m", "termreader", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env={**os.environ, "NO_COLOR": "1"},
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"termreader {' '.join(args)} did not end within {timeout:.0f} s")


def assert_cli_error(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode in (1, 2), (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert lines and all(line.startswith("termreader: ") for line in lines), proc.stderr
    assert "\x1b" not in proc.stderr + proc.stdout
    return lines[0]


@pytest.mark.parametrize(
    "target",
    hostile_params(
        ["/endless", "/gzip-bomb", "/loop-a", "/to-file", "/to-javascript", "/reset", "/error-503"]
    ),
)
def test_cli_read_and_latest(server: BadServer, target: str) -> None:
    for command in ("read", "latest"):
        line = assert_cli_error(termreader(command, server.url(target)))
        if target in EXPECTED_WORDS and EXPECTED_WORDS[target] != "larger than 2 MB":
            assert EXPECTED_WORDS[target].replace("5 times", "10 times") in line, line


def _write_config(path: Path, sources: list[tuple[str, str]], settings: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    blocks = "".join(f'\n[[sources]]\nname = "{name}"\nurl = "{url}"\n' for name, url in sources)
    path.write_text(f"[settings]\n{settings}\n{blocks}", encoding="utf-8")


def test_cli_refresh_reports_each_failure_and_keeps_the_good_source(
    server: BadServer, isolated_dirs: AppPaths
) -> None:
    bad = ["/endless", "/gzip-bomb-feed", "/loop-a", "/to-file", "/reset", "/error-500", "/lying-long"]
    _write_config(
        isolated_dirs.config_file,
        [("Steady Notes", server.url("/good/feed.xml")), *((f"bad{t}", server.url(t)) for t in bad)],
        "timeout_seconds = 2.0\nmax_page_mb = 1",
    )
    proc = termreader("refresh")
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout.startswith(f"refreshed 1 of {len(bad) + 1} sources")
    failures = [line for line in proc.stderr.splitlines() if line.strip()]
    assert sorted(line.split(":", 2)[1].strip() for line in failures) == sorted(f"bad{t}" for t in bad)
    assert all(line.startswith("termreader: ") and "\x1b" not in line for line in failures)
    listed = termreader("latest", "Steady Notes")
    assert listed.returncode == 0, listed.stderr
    assert "Planting Garlic in November" in listed.stdout


@pytest.mark.slow
def test_cli_refresh_of_a_drip_source_is_cut_by_the_total_cap(
    server: BadServer, isolated_dirs: AppPaths
) -> None:
    """timeout_seconds bounds each read; a drip that sends a byte a second is cut by the 60 s total cap."""
    _write_config(
        isolated_dirs.config_file,
        [("Steady Notes", server.url("/good/feed.xml")), ("Drip", server.url("/drip-feed"))],
        "timeout_seconds = 2.0",
    )
    proc = termreader("refresh")
    assert proc.returncode == 1
    assert "Drip: " in proc.stderr and "did not send the whole page within 60 s" in proc.stderr
    assert proc.stdout.startswith("refreshed 1 of 2 sources")
