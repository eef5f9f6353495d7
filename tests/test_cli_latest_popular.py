"""`termreader latest` and `termreader popular`, run as the installed command against loopback sites."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from termreader.demo.siteserver import SiteServer
from termreader.paths import AppPaths

Serve = Callable[..., SiteServer]


def termreader(*args: str, python_flags: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """Run `python -m termreader ARGS` with the test's environment (XDG dirs in tmp, NO_COLOR set)."""
    return subprocess.run(
        [sys.executable, *python_flags, "-m", "termreader", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ),
        check=False,
    )


def test_latest_plain_text_blocks(serve_site: Serve) -> None:
    site = serve_site("wordpress-basic")
    done = termreader("latest", site.url("/"))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout == (
        "Mussels in cider\n"
        "2024-04-20 · Ellen Marsh\n"
        f"{site.url('/2024/04/mussels-in-cider/')}\n"
        "A kilo of mussels, a bottle of dry cider and twenty minutes. Shallots first, then garlic, "
        "then the cider goes in hot…\n"
        "\n"
        "Samphire, briefly\n"
        "2024-04-06 · Ellen Marsh\n"
        f"{site.url('/2024/04/samphire/')}\n"
        "Blanch it for one minute. Not two.\n"
    )
    assert "\x1b[" not in done.stdout


def test_latest_json_with_limit(serve_site: Serve) -> None:
    site = serve_site("feedsite")
    done = termreader("latest", site.url("/feed.xml"), "--json", "--limit", "2")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [
        {
            "title": "Vienna to Hamburg, couchette six",
            "url": site.url("/2024/02/vienna-hamburg.html"),
            "published": "2024-02-15T22:10:00+01:00",
            "author": "Karel Novak",
            "snippet": "The attendant brought coffee at Hannover, forty minutes before anyone asked.",
            "thumbnail": None,
        },
        {
            "title": "Brussels to Berlin, the new line",
            "url": site.url("/2024/01/brussels-berlin.html"),
            "published": "2024-01-21T19:00:00+01:00",
            "author": "Karel Novak",
            "snippet": "Three countries before breakfast.",
            "thumbnail": None,
        },
    ]


def test_latest_by_configured_name(serve_site: Serve, isolated_dirs: AppPaths) -> None:
    site = serve_site("hugo-nofeedlink")
    config = isolated_dirs.config_file
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        f'[[sources]]\nname = "Slow Lanes"\nurl = "{site.url("/")}"\nlimit = 1\n', encoding="utf-8"
    )
    done = termreader("latest", "slow lanes", "--json")
    assert done.returncode == 0, done.stderr
    assert [item["title"] for item in json.loads(done.stdout)] == ["Climbing the Col de la Croix"]


def test_latest_local_feed_file(tmp_path: Path) -> None:
    feed = Path(__file__).parent / "fixtures" / "feeds" / "rss10-rdf.xml"
    done = termreader("latest", str(feed), "--limit", "1")
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "Grafting old apple varieties\n"
        "2023-04-12 · Marta Ilves\n"
        "https://orchard.example.net/2023/04/grafting\n"
        "Whip-and-tongue grafts took on seven of nine rootstocks this year.\n"
    )


def test_popular_lists_the_widget(serve_site: Serve) -> None:
    site = serve_site("wordpress-basic")
    done = termreader("popular", site.url("/"))
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        f"Crab cakes without fuss\n{site.url('/2023/09/crab-cakes/')}\n\n"
        f"Mussels in cider\n{site.url('/2024/04/mussels-in-cider/')}\n\n"
        f"Making sea salt at home\n{site.url('/2023/07/sea-salt/')}\n"
    )


def test_popular_none_is_a_plain_message_not_an_error(serve_site: Serve) -> None:
    site = serve_site("hugo-nofeedlink")
    host = site.url("/").split("//", 1)[1].rstrip("/")
    plain = termreader("popular", site.url("/"))
    assert (plain.returncode, plain.stdout, plain.stderr) == (0, f"{host} publishes no popular posts\n", "")
    as_json = termreader("popular", site.url("/"), "--json")
    assert (as_json.returncode, json.loads(as_json.stdout)) == (0, [])


def test_failures_are_one_line_on_stderr(serve_site: Serve, tmp_path: Path) -> None:
    unknown = termreader("latest", "no-such-source")
    assert unknown.returncode == 1
    assert unknown.stdout == ""
    assert (
        unknown.stderr
        == "termreader: 'no-such-source' is not a configured source, a URL or an existing file\n"
    )

    folder = tmp_path / "bare"
    folder.mkdir()
    (folder / "index.html").write_text("<html><head><title>Bare</title></head><body><p>Hi.</p></body></html>")
    site = serve_site(folder)
    nothing = termreader("latest", site.url("/"))
    assert nothing.returncode == 1
    assert nothing.stderr == f"termreader: no feed or article list found at {site.url('/')}\n"

    missing = termreader("popular", site.url("/gone/"))
    assert missing.returncode == 1
    assert len(missing.stderr.splitlines()) == 1
    assert "404" in missing.stderr
    assert "Traceback" not in missing.stderr

    bad_limit = termreader("latest", site.url("/"), "--limit", "0")
    assert bad_limit.returncode == 2
    assert "must be at least 1" in bad_limit.stderr


def test_latest_and_popular_never_import_textual(serve_site: Serve) -> None:
    site = serve_site("wordpress-basic")
    for command in ("latest", "popular"):
        done = termreader(command, site.url("/"), "--json", python_flags=("-X", "importtime"))
        assert done.returncode == 0
        imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line}
        assert "termreader.sources" in imported
        assert not {name for name in imported if name == "textual" or name.startswith("textual.")}


def test_render_items_styles_only_when_colour_is_on() -> None:
    from datetime import UTC, datetime

    from termreader.commands.latest import render_items
    from termreader.models import ArticleRef

    item = ArticleRef(
        title="Bell\x1b[31m tower",
        url="https://bells.example/1",
        published=datetime(2024, 1, 2, tzinfo=UTC),
        author="Ann",
        snippet="Rung at noon.",
    )
    assert render_items([item], color=False) == (
        "Bell[31m tower\n2024-01-02 · Ann\nhttps://bells.example/1\nRung at noon.\n"
    )
    assert render_items([item], color=True) == (
        "\x1b[1mBell[31m tower\x1b[0m\n\x1b[2m2024-01-02 · Ann\x1b[0m\n"
        "\x1b[4;36mhttps://bells.example/1\x1b[0m\nRung at noon.\n"
    )
    assert render_items([], color=False) == ""
