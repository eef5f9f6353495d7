"""The issue's design example, end to end through the installed command and a loopback Blogger 2017 site.

A post page holds the title, date, body, a Comments block and "Popular posts from this blog" with three
posts. `read` must give the article alone; `popular` on the same site must list those three posts.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from typing import Any

from termreader.demo.siteserver import SiteServer

POST = "/2026/03/reading-the-crumb.html"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "termreader", *args], capture_output=True, text=True, timeout=60
    )


def test_read_gives_title_date_and_body_only(serve_site: Callable[..., SiteServer]) -> None:
    site = serve_site("blogger2017")
    result = run("read", "--json", site.url(POST))
    assert result.returncode == 0, result.stderr
    article: dict[str, Any] = json.loads(result.stdout)
    assert article["title"] == "Reading the crumb: what your loaf is telling you"
    assert article["byline"] == "Maren Holt"
    assert article["published"] == "2026-03-14T09:30:00+01:00"
    markdown: str = article["markdown"]
    assert markdown.startswith("![](https://blogger.googleusercontent.com/")
    assert "## Large holes under the crust" in markdown
    assert "### Three quick checks" in markdown
    assert "> The crumb is not a verdict. It is a set of notes for the next bake." in markdown
    assert markdown.rstrip().endswith("so you can see the difference for yourself.")
    # Nothing from around the article: no comments, no popular posts, no share bar.
    for leftover in (
        "Comments",
        "pencil sketches are such a good idea",
        "Popular posts",
        "A rye starter",
        "Read more",
        "Share",
    ):
        assert leftover not in markdown, leftover


def test_plain_read_prints_markdown_with_a_header(serve_site: Callable[..., SiteServer]) -> None:
    site = serve_site("blogger2017")
    result = run("read", site.url(POST))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "# Reading the crumb: what your loaf is telling you"
    assert "Maren Holt" in result.stdout.split("\n\n")[1]
    assert "Popular posts" not in result.stdout


def test_popular_lists_the_three_posts_in_the_site_order(serve_site: Callable[..., SiteServer]) -> None:
    site = serve_site("blogger2017")
    result = run("popular", "--json", site.url("/"))
    assert result.returncode == 0, result.stderr
    items: list[dict[str, Any]] = json.loads(result.stdout)
    assert [item["title"] for item in items] == [
        "A rye starter in seven days",
        "Flour, water, salt, and patience",
        "Why I stopped using a bread tin",
    ]
    assert [item["url"] for item in items] == [
        site.url("/2026/02/rye-starter-in-seven-days.html"),
        site.url("/2026/01/flour-water-salt-patience.html"),
        site.url("/2026/01/why-i-stopped-using-a-bread-tin.html"),
    ]
    assert items[0]["author"] == "Maren Holt"
    assert items[1]["published"] == "2026-01-09T07:45:00+01:00"
    for item in items:
        assert item["snippet"].endswith("…")
        assert item["author"] or item["published"]
