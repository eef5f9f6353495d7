"""`termreader bookmarks …` run as a real subprocess against a loopback site and real SQLite files."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from termreader.demo.siteserver import SiteServer
from termreader.paths import AppPaths

FIXTURES = Path(__file__).parent / "fixtures" / "bookmarks"


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "termreader", "bookmarks", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


@pytest.fixture
def site(serve_site: Callable[..., SiteServer]) -> str:
    server = serve_site(FIXTURES / "site")
    return server.base_url.rstrip("/")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_add_list_search_show_tag_remove(site: str) -> None:
    added = cli("add", f"{site}/posts/quiet-harbour/?utm_source=newsletter", "--tag", "sea")
    assert (added.returncode, added.stdout, added.stderr) == (
        0,
        "saved 1: The quiet harbour at dawn (181 words)\n",
        "",
    )
    listed = cli("list", "--json")
    (entry,) = json.loads(listed.stdout)
    assert {k: entry[k] for k in ("id", "url", "title", "byline", "site", "published", "tags", "read")} == {
        "id": 1,
        "url": f"{site}/posts/quiet-harbour/",
        "title": "The quiet harbour at dawn",
        "byline": "Maren Holt",
        "site": "Harbour Notes",
        "published": "2024-04-02T06:30:00+00:00",
        "tags": ["sea"],
        "read": False,
    }
    assert "markdown" not in entry

    found = cli("search", "harbourmas")
    assert found.returncode == 0
    title_line, snippet_line = found.stdout.splitlines()
    assert title_line.endswith("  The quiet harbour at dawn — Harbour Notes  #sea")
    assert (
        snippet_line
        == "       …The old [harbourmaster] keeps a ledger of these finds. He says the sea returns…"
    )
    hits = json.loads(cli("search", "brass compass", "--json").stdout)
    assert [(h["id"], [h["snippet"][s:e] for s, e in h["highlights"]]) for h in hits] == [
        (1, ["brass", "compass"])
    ]

    shown = cli("show", "1", "--markdown")
    assert shown.stdout.startswith("Before the first ferry leaves, the harbour belongs to the gulls")
    assert "## What the tide brings in\n\n" in shown.stdout
    assert "- A brass compass, 1987\n" in shown.stdout
    header = cli("show", f"{site}/posts/quiet-harbour/").stdout.splitlines()[:4]
    assert header == [
        "Title:     The quiet harbour at dawn",
        f"URL:       {site}/posts/quiet-harbour/",
        "By:        Maren Holt",
        "Site:      Harbour Notes",
    ]

    assert cli("tag", "1", "harbours", "mornings").stdout == "1: sea, harbours, mornings\n"
    assert cli("list", "--tag", "mornings").stdout.startswith("    1  ")
    assert cli("tag", "1", "only", "--replace").stdout == "1: only\n"

    removed = cli("remove", "1")
    assert (removed.returncode, removed.stdout) == (0, "removed 1: The quiet harbour at dawn\n")
    missing = cli("show", "1")
    assert (missing.returncode, missing.stdout) == (1, "")
    assert missing.stderr == "termreader: no bookmark '1' (see `termreader bookmarks list`)\n"


def test_add_when_the_fetch_fails_saves_a_link() -> None:
    url = f"http://127.0.0.1:{_closed_port()}/post"
    result = cli("add", url, "--tag", "later")
    assert result.returncode == 1
    assert result.stdout == f"saved link 1: {url}\n"
    assert result.stderr.startswith("termreader: could not fetch the article (")
    assert result.stderr.rstrip().endswith("saved as a link, retry with `termreader bookmarks fetch`")
    assert "Traceback" not in result.stderr
    (entry,) = json.loads(cli("list", "--json").stdout)
    assert (entry["url"], entry["title"], entry["tags"], entry["word_count"]) == (url, url, ["later"], 0)


def test_add_refuses_a_non_web_address() -> None:
    result = cli("add", "file:///etc/passwd")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == "termreader: not a web address: 'file:///etc/passwd'\n"


def test_import_fetches_bodies_and_lists_failures(site: str, tmp_path: Path) -> None:
    export = tmp_path / "browser.html"
    export.write_text(
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p>\n"
        "<DT><H3>Coast</H3>\n<DL><p>\n"
        f'<DT><A HREF="{site}/posts/quiet-harbour/" ADD_DATE="1700000000">harbour</A>\n'
        f'<DT><A HREF="{site}/posts/lighthouse-keepers/" ADD_DATE="1700000100" TAGS="archive">lights</A>\n'
        f'<DT><A HREF="{site}/posts/gone/" ADD_DATE="1700000200">gone</A>\n'
        "</DL><p>\n</DL><p>\n",
        encoding="utf-8",
    )
    result = cli("import", str(export))
    assert result.returncode == 1
    assert result.stdout == f"imported 3 new and merged 0 existing bookmark(s) from {export} (netscape)\n"
    progress = [line for line in result.stderr.splitlines() if line.startswith("fetched ")]
    assert len(progress) == 3
    assert sorted(line.split(" [")[0] for line in progress) == ["fetched 1/3", "fetched 2/3", "fetched 3/3"]
    assert {line.split("] ")[1]: line.split(" [")[1].split("]")[0] for line in progress} == {
        f"{site}/posts/quiet-harbour/": "ok",
        f"{site}/posts/lighthouse-keepers/": "ok",
        f"{site}/posts/gone/": "failed",
    }
    assert (
        "1 article(s) could not be fetched (kept as links; retry with `termreader bookmarks fetch`):"
        in result.stderr
    )
    assert f"termreader:   {site}/posts/gone/: " in result.stderr
    entries = {e["url"].rsplit("/", 2)[1]: e for e in json.loads(cli("list", "--json").stdout)}
    assert {k: (e["title"], e["tags"], e["word_count"] > 0) for k, e in entries.items()} == {
        "quiet-harbour": ("The quiet harbour at dawn", ["Coast"], True),
        "lighthouse-keepers": ("Letters from the lighthouse keepers", ["Coast", "archive"], True),
        "gone": ("gone", ["Coast"], False),
    }
    assert entries["quiet-harbour"]["saved_at"] == "2023-11-14T22:13:20+00:00"
    # offline, search still finds the fetched text
    assert (
        json.loads(cli("search", "whale", "--json").stdout)[0]["title"]
        == "Letters from the lighthouse keepers"
    )


def test_import_no_fetch_and_reimport_merges(tmp_path: Path) -> None:
    first = cli("import", str(FIXTURES / "pocket.csv"), "--no-fetch")
    assert (first.returncode, first.stderr) == (0, "")
    assert (
        first.stdout
        == f"imported 3 new and merged 0 existing bookmark(s) from {FIXTURES / 'pocket.csv'} (pocket-csv)\n"
    )
    again = cli("import", str(FIXTURES / "pocket.csv"), "--no-fetch")
    assert again.stdout.startswith("imported 0 new and merged 3 existing")
    entries = json.loads(cli("list", "--json").stdout)
    assert [(e["url"], e["read"], e["tags"]) for e in entries] == [
        ("https://crumb-lab.example/best-bread", False, ["baking"]),
        ("https://walker.example/rain-notes", True, []),
        ("https://quiet-living.example/slow-mornings", False, ["habits", "home"]),
    ]


def test_malformed_import_is_one_line_and_imports_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"bookmarks": [{"url": "https://a.example/"}, {"url": 5}]}', encoding="utf-8")
    result = cli("import", str(bad), "--no-fetch")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"termreader: {bad}: bookmark 2: 'url' should be str, not int\n"
    assert json.loads(cli("list", "--json").stdout) == []


def test_export_import_round_trip_between_two_libraries(tmp_path: Path, isolated_dirs: AppPaths) -> None:
    cli("import", str(FIXTURES / "firefox.html"), "--no-fetch")
    cli("import", str(FIXTURES / "pocket.html"), "--no-fetch")
    cli("tag", "2", "favourite")
    out = tmp_path / "all.json"
    exported = cli("export", "--format", "json", "--output", str(out))
    assert (exported.returncode, exported.stderr) == (0, f"exported 7 bookmark(s) to {out}\n")
    before = cli("list", "--json").stdout

    other = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "other-data"))
    imported = cli("import", str(out), "--no-fetch", env=other)
    assert imported.stdout == f"imported 7 new and merged 0 existing bookmark(s) from {out} (json)\n"
    assert cli("list", "--json", env=other).stdout == before

    html = cli("export", "--format", "html")
    assert html.stdout.startswith("<!DOCTYPE NETSCAPE-Bookmark-file-1>")
    assert html.stdout.count("<DT><A HREF=") == 7
    folder = tmp_path / "md"
    assert cli("export", "--format", "markdown-dir", "--output", str(folder)).returncode == 0
    assert len(list(folder.glob("*.md"))) == 7
    refused = cli("export", "--format", "markdown-dir")
    assert (refused.returncode, refused.stderr) == (1, "termreader: markdown-dir needs --output FOLDER\n")


def test_corrupt_database_gives_the_path_and_is_untouched(isolated_dirs: AppPaths) -> None:
    db = isolated_dirs.bookmarks_db
    db.parent.mkdir(parents=True)
    db.write_bytes(b"these are not the bytes of a database" * 100)
    result = cli("list")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"termreader: {db}: not a termreader bookmarks database (not SQLite, or corrupt); left untouched\n"
    )
    assert db.read_bytes() == b"these are not the bytes of a database" * 100


def test_the_bookmarks_core_and_command_never_import_textual() -> None:
    modules = [
        "termreader.bookmarks.store",
        "termreader.bookmarks.query",
        "termreader.bookmarks.formats",
        "termreader.bookmarks.io",
        "termreader.bookmarks.fetching",
        "termreader.commands.bookmarks",
    ]
    code = (
        f"import importlib, sys\nfor m in {modules!r}: importlib.import_module(m)\n"
        "print('textual' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout, result.stderr) == (0, "False\n", "")


def test_hostile_text_never_reaches_the_terminal(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.json"
    evil = "\x1b]52;c;cm0gLXJmIH4=\x07Title\x1b[2J\u202e with \x9b31m tricks"
    hostile.write_text(
        json.dumps(
            {
                "bookmarks": [
                    {
                        "url": "https://evil.example/a",
                        "title": evil,
                        "tags": ["\x1b[31mred"],
                        "note": evil,
                        "markdown": f"Body {evil}\n\nmore",
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    assert cli("import", str(hostile), "--no-fetch").returncode == 0
    outputs = [
        cli("list").stdout,
        cli("search", "tricks").stdout,
        cli("show", "1").stdout,
        cli("show", "1", "--markdown").stdout,
        cli("export", "--format", "html").stdout,
    ]
    for output in outputs:
        assert not any(ch in output for ch in "\x1b\x07\x9b\u202e"), output
    assert "]52;c;cm0gLXJmIH4=Title[2J with 31m tricks" in outputs[0]
