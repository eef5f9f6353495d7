"""Import and export formats on our fixtures: browser HTML, Pocket CSV/HTML, our JSON round trip, Markdown."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from termreader.bookmarks.fetching import FetchFailure, fetch_bodies
from termreader.bookmarks.formats import BookmarkFileError, detect, render_json, render_netscape
from termreader.bookmarks.io import export, export_markdown_dir, read_import, slug
from termreader.bookmarks.store import BookmarkDraft, BookmarkStore
from termreader.fetch import Fetcher
from termreader.paths import AppPaths

FIXTURES = Path(__file__).parent / "fixtures" / "bookmarks"


def _ts(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


@pytest.fixture
def store(isolated_dirs: AppPaths) -> Iterator[BookmarkStore]:
    opened = BookmarkStore.open(isolated_dirs.bookmarks_db)
    yield opened
    opened.close()


def _fill(store: BookmarkStore) -> None:
    store.import_many(
        [
            BookmarkDraft(
                url="https://harbour-notes.example/posts/quiet-harbour/",
                title="The quiet harbour at dawn",
                byline="Maren Holt",
                site="Harbour Notes",
                published=datetime.fromisoformat("2024-04-02T06:30:00+02:00"),
                saved_at=datetime(2024, 4, 3, 7, 0, 1, 250, tzinfo=UTC),
                source="Harbour Notes",
                tags=("sea", "mornings"),
                note='Read aloud; "quotes" & <angle> brackets',
                read=True,
                markdown="Before the first ferry leaves.\n\n## Tides\n\n- a brass compass\n",
            ),
            BookmarkDraft(
                url="https://cafe-lisboa.example/pasteis",
                title="Pastéis de nata, ranked",
                saved_at=datetime(2024, 4, 5, tzinfo=UTC),
                tags=("food",),
            ),
            BookmarkDraft(
                url="https://cafe-lisboa.example/pasteis-2",
                title="Pastéis de nata, ranked",
                saved_at=datetime(2024, 4, 6, tzinfo=UTC),
                markdown="Second round.",
            ),
        ]
    )


def test_firefox_export_folders_and_tags(tmp_path: Path) -> None:
    parsed = read_import(FIXTURES / "firefox.html")
    assert parsed.format == "netscape"
    assert [(d.url, d.title, d.tags, d.saved_at, d.note, d.read) for d in parsed.drafts] == [
        (
            "https://slow-cooking.example/2023/05/braised-fennel?utm_source=rss&utm_medium=feed",
            "Braised fennel with orange & olives",
            ("recipes", "vegetables"),
            _ts(1684000000),
            "Try with blood oranges in winter.",
            False,
        ),
        (
            "https://harbour-notes.example/posts/tides-of-1953/",
            "The tides of 1953: a village remembers",
            ("Reading", "Long reads"),
            _ts(1695000000),
            "",
            False,
        ),
        (
            "https://Typeset.Example/essays/kerning#comments",
            "Why kerning matters more than you think",
            ("Reading",),
            _ts(1696000000),
            "",
            False,
        ),
        (
            "https://cafe-lisboa.example/pasteis",
            "Pastéis de nata, ranked",
            ("travel", "Lisboa"),
            _ts(1697000000),
            "",
            False,
        ),
    ]


def test_chrome_export_skips_the_bookmarks_bar_folder() -> None:
    parsed = read_import(FIXTURES / "chrome.html")
    assert [(d.url, d.tags) for d in parsed.drafts] == [
        ("https://sqlite-notes.example/wal-mode", ("Dev",)),
        ("https://garden-diary.example/2024/03/first-sowing", ()),
    ]


def test_pocket_csv() -> None:
    parsed = read_import(FIXTURES / "pocket.csv")
    assert parsed.format == "pocket-csv"
    assert [(d.url, d.title, d.tags, d.saved_at, d.read) for d in parsed.drafts] == [
        (
            "https://quiet-living.example/slow-mornings?utm_campaign=pocket",
            "Slow mornings, small rituals",
            ("habits", "home"),
            _ts(1650000000),
            False,
        ),
        ("https://walker.example/rain-notes", "Notes on walking in the rain", (), _ts(1650100000), True),
        (
            "https://crumb-lab.example/best-bread",
            'The "best" bread, tested',
            ("baking",),
            _ts(1650200000),
            False,
        ),
    ]


def test_pocket_html() -> None:
    parsed = read_import(FIXTURES / "pocket.html")
    assert parsed.format == "pocket-html"
    assert [(d.url, d.title, d.tags, d.saved_at, d.read) for d in parsed.drafts] == [
        (
            "https://map-makers.example/hand-drawn-maps",
            "Hand-drawn maps are back",
            ("maps", "craft"),
            _ts(1640000000),
            False,
        ),
        (
            "https://night-sky.example/meteor-showers-guide",
            "A guide to meteor showers",
            (),
            _ts(1640100000),
            False,
        ),
        (
            "https://old-radio.example/valves",
            "Restoring a valve radio",
            ("electronics",),
            _ts(1630000000),
            True,
        ),
    ]


def test_imported_files_land_in_the_store(store: BookmarkStore) -> None:
    counts = store.import_many(read_import(FIXTURES / "firefox.html").drafts)
    assert (counts.added, counts.updated) == (4, 0)
    assert [b.url for b in store.list()] == [
        "https://cafe-lisboa.example/pasteis",
        "https://typeset.example/essays/kerning",
        "https://harbour-notes.example/posts/tides-of-1953/",
        "https://slow-cooking.example/2023/05/braised-fennel",
    ]
    assert dict(store.tags()) == {
        "Reading": 2,
        "Long reads": 1,
        "recipes": 1,
        "vegetables": 1,
        "travel": 1,
        "Lisboa": 1,
    }
    # importing again merges instead of duplicating
    again = store.import_many(read_import(FIXTURES / "firefox.html").drafts)
    assert (again.added, again.updated) == (0, 4)
    assert store.count() == 4


def test_json_round_trip_is_lossless(store: BookmarkStore, tmp_path: Path) -> None:
    _fill(store)
    original = store.list()
    out = tmp_path / "export.json"
    assert export(list(reversed(original)), "json", out) is None
    document = json.loads(out.read_text(encoding="utf-8"))
    assert (document["format"], document["version"], len(document["bookmarks"])) == (
        "termreader-bookmarks",
        1,
        3,
    )
    fresh = BookmarkStore.open(tmp_path / "fresh" / "b.sqlite3")
    parsed = read_import(out)
    assert parsed.keep_ids
    fresh.import_many(parsed.drafts, keep_ids=parsed.keep_ids)
    assert fresh.list() == original  # ids, dates (with offsets), tags, note, read state, body: all equal
    fresh.close()


def test_netscape_export_is_valid_and_reimports(store: BookmarkStore, tmp_path: Path) -> None:
    _fill(store)
    text = render_netscape(list(reversed(store.list())))
    assert text.startswith("<!DOCTYPE NETSCAPE-Bookmark-file-1>\n")
    assert (
        '    <DT><A HREF="https://harbour-notes.example/posts/quiet-harbour/" ADD_DATE="1712127601" '
        'LAST_MODIFIED="1712032200" TAGS="sea,mornings">The quiet harbour at dawn</A>\n'
        "    <DD>Read aloud; &quot;quotes&quot; &amp; &lt;angle&gt; brackets\n"
    ) in text
    path = tmp_path / "bookmarks.html"
    path.write_text(text, encoding="utf-8")
    drafts = read_import(path).drafts
    assert [(d.url, d.title, d.tags, d.note) for d in drafts] == [
        (
            "https://harbour-notes.example/posts/quiet-harbour/",
            "The quiet harbour at dawn",
            ("sea", "mornings"),
            'Read aloud; "quotes" & <angle> brackets',
        ),
        ("https://cafe-lisboa.example/pasteis", "Pastéis de nata, ranked", ("food",), ""),
        ("https://cafe-lisboa.example/pasteis-2", "Pastéis de nata, ranked", (), ""),
    ]


def test_markdown_dir_has_front_matter_and_unique_names(store: BookmarkStore, tmp_path: Path) -> None:
    _fill(store)
    folder = tmp_path / "notes"
    written = export_markdown_dir(list(reversed(store.list())), folder)
    assert [p.name for p in written] == [
        "the-quiet-harbour-at-dawn.md",
        "pasteis-de-nata-ranked.md",
        "pasteis-de-nata-ranked-2.md",
    ]
    assert written[0].read_text(encoding="utf-8") == (
        "---\n"
        'title: "The quiet harbour at dawn"\n'
        'url: "https://harbour-notes.example/posts/quiet-harbour/"\n'
        'byline: "Maren Holt"\n'
        'site: "Harbour Notes"\n'
        'published: "2024-04-02T06:30:00+02:00"\n'
        'saved: "2024-04-03T07:00:01.000250+00:00"\n'
        'source: "Harbour Notes"\n'
        'tags: ["sea", "mornings"]\n'
        "read: true\n"
        "word_count: 9\n"
        'note: "Read aloud; \\"quotes\\" & <angle> brackets"\n'
        "---\n\n"
        "Before the first ferry leaves.\n\n## Tides\n\n- a brass compass\n"
    )
    assert (
        written[1]
        .read_text(encoding="utf-8")
        .endswith("---\n\n[Pastéis de nata, ranked](https://cafe-lisboa.example/pasteis)\n")
    )
    with pytest.raises(BookmarkFileError, match="not an empty folder"):
        export_markdown_dir(store.list(), folder)


def test_slug() -> None:
    assert slug("Pastéis de nata, ranked!") == "pasteis-de-nata-ranked"
    assert slug("../../etc/passwd") == "etc-passwd"
    assert slug("東京") == "bookmark"
    assert slug("CON") == "con"
    assert len(slug("word " * 100)) <= 80


def test_detect() -> None:
    assert detect('{"format": "termreader-bookmarks"}') == "json"
    assert detect("<!DOCTYPE NETSCAPE-Bookmark-file-1>") == "netscape"
    assert detect("title,url,time_added,tags,status\n") == "pocket-csv"
    assert detect("just some notes\n") is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not a bookmarks file termreader reads"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a binary file"),
        (b'{"bookmarks": [', "not valid JSON"),
        (b'{"format": "chrome", "roots": {}}', "JSON of another program"),
        (
            b'{"format": "termreader-bookmarks", "version": 9, "bookmarks": []}',
            "written by a newer termreader",
        ),
        (b'{"bookmarks": {"a": 1}}', "expected a list of bookmarks"),
        (b'{"bookmarks": [{"title": "no url"}]}', "bookmark 1: 'url' is missing"),
        (b'{"bookmarks": [{"url": "https://a.example/", "tags": "x"}]}', "'tags' should be list, not str"),
        (
            b'{"bookmarks": [{"url": "https://a.example/", "saved_at": "yesterday"}]}',
            "'saved_at' is not a date",
        ),
        (
            b'{"bookmarks": [{"url": "https://a.example/", "word_count": 1e400}]}',
            "'word_count' should be int",
        ),
        (
            b'{"bookmarks": [{"url": "https://a.example/", "id": 99999999999999999999}]}',
            "'id' is out of range",
        ),
        (b'{"bookmarks": [{"url": "https://a.example/", "read": "yes"}]}', "'read' should be bool, not str"),
        (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
        (b"<html><body><p>no links here</p></body></html>", "no bookmarks found"),
        (b'title,link\n"a,b",c\n', "not a bookmarks file termreader reads"),
        (b'title,url\n"unterminated,https://a.example/\n', "broken CSV"),
    ],
)
def test_malformed_files_give_one_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.file"
    path.write_bytes(content)
    with pytest.raises(BookmarkFileError) as caught:
        read_import(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)


def test_hostile_html_is_bounded(tmp_path: Path) -> None:
    depth = 50_000
    nested = (
        "<DL><p><DT><H3>f</H3>" * depth
        + '<DT><A HREF="https://deep.example/" ADD_DATE="x">Deep</A>'
        + "</DL>" * depth
    )
    path = tmp_path / "deep.html"
    path.write_text("<!DOCTYPE NETSCAPE-Bookmark-file-1>\n" + nested, encoding="utf-8")
    (draft,) = read_import(path).drafts
    assert (draft.url, draft.title, draft.saved_at) == ("https://deep.example/", "Deep", None)
    assert draft.tags == ("f",) * 16  # the folder-tag cap; the store then de-duplicates to one


def test_unreadable_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(BookmarkFileError, match="cannot read"):
        read_import(tmp_path / "missing.html")
    with pytest.raises(BookmarkFileError, match="is a folder"):
        read_import(tmp_path)


def test_export_json_to_stdout_text(store: BookmarkStore) -> None:
    _fill(store)
    text = export(store.list(), "json", None)
    assert text is not None
    assert render_json(store.list(), exported_at=datetime(2024, 1, 1, tzinfo=UTC)).startswith(
        '{\n "format": "termreader-bookmarks",\n "version": 1,\n "exported_at": "2024-01-01T00:00:00+00:00",'
    )


class _CountingHandler(BaseHTTPRequestHandler):
    """Serves one article page slowly and records the most requests in flight at once."""

    lock = threading.Lock()
    active = 0
    peak = 0
    page = (FIXTURES / "site" / "posts" / "quiet-harbour" / "index.html").read_bytes()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        cls = type(self)
        with cls.lock:
            cls.active += 1
            cls.peak = max(cls.peak, cls.active)
        time.sleep(0.2)
        with cls.lock:
            cls.active -= 1
        if self.path.startswith("/missing"):
            self.send_response(404)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<html><body>Not found</body></html>")
            return
        body = self.page.replace(b"{{BASE}}", b"http://" + str(self.headers.get("Host", "")).encode())
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_fetch_bodies_is_bounded_and_keeps_failures_as_links(store: BookmarkStore) -> None:
    _CountingHandler.active = _CountingHandler.peak = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        urls = [f"{base}/post/{n}" for n in range(6)] + [f"{base}/missing"]
        store.import_many([BookmarkDraft(url=u, title=f"link {n}") for n, u in enumerate(urls)])
        links = store.without_body()
        seen: list[tuple[int, int, str | None]] = []

        async def go() -> list[FetchFailure]:
            async with Fetcher() as fetcher:
                return await fetch_bodies(
                    store, links, fetcher, concurrency=2, progress=lambda d, t, b, e: seen.append((d, t, e))
                )

        failures = asyncio.run(go())
    finally:
        server.shutdown()
        server.server_close()
    assert _CountingHandler.peak == 2
    assert [d for d, _, _ in seen] == [1, 2, 3, 4, 5, 6, 7]
    assert [f.bookmark.url for f in failures] == [f"{base}/missing"]
    assert [b.url for b in store.without_body()] == [f"{base}/missing"]
    fetched = store.get(f"{base}/post/3")
    assert fetched is not None
    assert (fetched.title, fetched.byline, fetched.word_count) == (
        "The quiet harbour at dawn",
        "Maren Holt",
        181,
    )
