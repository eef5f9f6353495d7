"""`termreader read`, run as the installed command in a subprocess, on files and over loopback HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from termreader.demo.siteserver import SiteServer
from termreader.paths import AppPaths

PAGES = Path(__file__).parent / "fixtures" / "pages"
TERMREADER = Path(sys.executable).with_name("termreader")


def run_read(*args: str) -> subprocess.CompletedProcess[str]:
    command = [str(TERMREADER)] if TERMREADER.exists() else [sys.executable, "-m", "termreader"]
    return subprocess.run(
        [*command, "read", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )


def test_read_file_prints_header_and_markdown() -> None:
    result = run_read(str(PAGES / "blogger-2017-post.html"))

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    header, body = result.stdout.split("\n---\n\n", 1)
    assert header.split("\n") == [
        "# Winter pruning without fear",
        "",
        "Ines Calloway · 2025-01-12 · Field Notes From the Allotment",
        "<https://allotment-notes.blogspot.com/2025/01/winter-pruning-without-fear.html>",
        "",
    ]
    assert body.startswith("Every January the same question arrives from the plot next door")
    assert "\n## Start with the three Ds\n" in body
    assert "\n1. Dead wood: brittle, grey, and it snaps instead of bending.\n" in body
    assert body.endswith("when silver leaf spores are far less active.\n")
    for leftover in ("Comments", "Popular posts from this blog", "Leaf mould", "Read more", "Labels"):
        assert leftover not in result.stdout


def test_read_json_has_metadata_and_markdown() -> None:
    result = run_read("--json", str(PAGES / "wordpress-post.html"))

    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["title"] == "Caching HTTP responses with ETags in Python"
    assert data["byline"] == "Rosalind Okafor, Teodor Lindqvist"
    assert data["published"] == "2024-06-18T07:45:00+00:00"
    assert data["site_name"] == "Quiet Terminal"
    assert data["canonical_url"] == "https://quietterminal.example/2024/06/caching-http-responses-with-etags/"
    assert data["url"] == (PAGES / "wordpress-post.html").resolve().as_uri()
    assert data["word_count"] == 249
    assert data["reading_minutes"] == 2
    # A saved page resolves relative links against its canonical address, not the folder it sits in.
    assert (
        "![A request with If-None-Match answered by 304 Not Modified](https://quietterminal.example/"
        in (data["markdown"])
    )
    assert "```python\nimport httpx\n" in data["markdown"]


def test_read_over_http_resolves_links_against_the_page(serve_site: Callable[..., SiteServer]) -> None:
    server = serve_site(PAGES)
    result = run_read("--json", server.url("/ghost-post.html"))

    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["url"] == server.url("/ghost-post.html")
    assert data["title"] == "Why we moved our newsroom to plain text"
    assert data["byline"] == "Amara Nwosu"
    assert data["published"] == "2025-03-02T14:20:00+00:00"
    assert server.hits["/ghost-post.html"] == 1


def test_read_listing_page_says_it_is_not_an_article(serve_site: Callable[..., SiteServer]) -> None:
    server = serve_site(PAGES)
    url = server.url("/wordpress-home.html")
    result = run_read(url)

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"termreader: this page is a list of articles, not an article (try `termreader latest {url}`)\n"
    )


def test_read_a_home_page_with_only_a_tagline_says_it_is_not_an_article(
    serve_site: Callable[..., SiteServer],
) -> None:
    server = serve_site("hugo-nofeedlink")
    url = server.url("/")
    result = run_read(url)

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        "termreader: this page has only 8 words of text: it looks like a home or section page, "
        f"not an article (try `termreader latest {url}`)\n"
    )


def test_read_empty_page_fails_with_one_line() -> None:
    result = run_read(str(PAGES / "whitespace.html"))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == "termreader: the page is empty\n"


def test_read_missing_file_fails_with_one_line(tmp_path: Path) -> None:
    result = run_read(str(tmp_path / "nowhere.html"))
    assert result.returncode != 0
    assert result.stdout == ""
    assert result.stderr.startswith("termreader: ")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_read_a_feed_is_refused_plainly(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>i</title></item>'
        "</channel></rss>",
        encoding="utf-8",
    )
    result = run_read(str(feed))
    assert result.returncode == 1
    assert result.stderr == (
        f"termreader: {feed.resolve().as_uri()} is application/xml, not a web page "
        "(it looks like a feed: try `termreader latest`)\n"
    )


def test_read_never_imports_textual() -> None:
    code = (
        "import sys; from termreader.cli import main; "
        f"code = main(['read', {str(PAGES / 'hugo-post.html')!r}]); "
        "assert 'textual' not in sys.modules, 'textual was imported'; sys.exit(code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Ein Makefile für kleine Python-Projekte\n")


async def test_fetch_article_over_http_and_from_a_file(serve_site: Callable[..., SiteServer]) -> None:
    from termreader.errors import HTTPStatusError
    from termreader.extract import fetch_article
    from termreader.fetch import Fetcher

    server = serve_site(PAGES)
    async with Fetcher(cache_dir=None) as fetcher:
        over_http = await fetch_article(fetcher, server.url("/substack-post.html"))
        from_file = await fetch_article(fetcher, str(PAGES / "substack-post.html"))
        try:
            await fetch_article(fetcher, server.url("/no-such-page.html"))
        except HTTPStatusError as error:
            assert error.status == 404
        else:
            raise AssertionError("a missing page must raise HTTPStatusError")

    assert over_http.url == server.url("/substack-post.html")
    assert from_file.url == (PAGES / "substack-post.html").resolve().as_uri()
    assert over_http.title == from_file.title == "The quiet economics of repair cafés"
    assert over_http.markdown == from_file.markdown
    assert over_http.word_count == 145


def test_read_applies_the_configured_page_size_cap(
    tmp_path: Path, isolated_dirs: AppPaths, serve_site: Callable[..., SiteServer]
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    paragraph = "<p>" + "A sentence about sourdough and the patience it asks of a baker. " * 30 + "</p>"
    (site / "big.html").write_text("<html><body><article>" + paragraph * 1_000 + "</article></body></html>")
    server = serve_site(site)
    isolated_dirs.config_file.parent.mkdir(parents=True, exist_ok=True)
    isolated_dirs.config_file.write_text("[settings]\nmax_page_mb = 1\n", encoding="utf-8")
    result = run_read(server.url("/big.html"))
    assert result.returncode == 1
    assert result.stderr.strip().endswith("is larger than 1 MB; stopped reading"), result.stderr
