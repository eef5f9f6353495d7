"""Faults with user data: SIGKILL during config edits and cache writes, a full disk, corrupt files.

Bookmark saves under SIGKILL are covered by tests/test_bookmarks_faults.py and not repeated here.
"""

from __future__ import annotations

import errno
import json
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pytest

from termreader.bookmarks.store import BookmarkStore
from termreader.cache import Cache
from termreader.config import load_config
from termreader.paths import AppPaths
from termreader.ui.themes import load_all_themes
from tests.test_bookmarks_faults import _check_consistent as check_consistent

CLI_BOUND: Final = 60.0


def termreader(
    *args: str, preexec: Callable[[], None] | None = None, timeout: float = CLI_BOUND
) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            [sys.executable, "-m", "termreader", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            preexec_fn=preexec,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"termreader {' '.join(args)} did not end within {timeout:.0f} s")


def one_error_line(proc: subprocess.CompletedProcess[str]) -> str:
    """A failed run: exit 1 or 2 and exactly one clean `termreader: …` line on stderr."""
    assert proc.returncode in (1, 2), (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("termreader: "), proc.stderr
    return lines[0]


def feed_file(folder: Path, n: int, items: int = 8) -> Path:
    """A local RSS file for source `n` (refresh reads file sources without a network)."""
    entries = "".join(
        f"<item><title>Source {n} post {k}</title><link>https://site{n}.example/{k}.html</link>"
        f"<pubDate>Mon, {k + 1:02d} Nov 2026 08:00:00 +0000</pubDate>"
        f"<description>{'Words about the allotment and the weather. ' * 20}</description></item>"
        for k in range(items)
    )
    path = folder / f"feed{n}.xml"
    path.write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Site {n}</title>'
        f"<link>https://site{n}.example/</link><description>d</description>{entries}</channel></rss>",
        encoding="utf-8",
    )
    return path


def write_config(paths: AppPaths, sources: list[tuple[str, str]], extra: str = "") -> bytes:
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    body = "# my reading list: comments must survive edits\n[settings]\nitem_limit = 20\n" + extra
    body += "".join(f'\n# {name}\n[[sources]]\nname = "{name}"\nurl = "{url}"\n' for name, url in sources)
    paths.config_file.write_text(body, encoding="utf-8")
    return paths.config_file.read_bytes()


# --- SIGKILL loops ----------------------------------------------------------------------------------------


def kill_at(args: list[str], delay: float) -> int:
    """Start `termreader args`, SIGKILL it after `delay` s (unless it ended); its return code."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "termreader", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        proc.kill()
    try:
        proc.wait(timeout=CLI_BOUND)
    finally:
        if proc.stderr is not None:
            err = proc.stderr.read().decode(errors="replace")
            proc.stderr.close()
            assert "Traceback" not in err, err
    return proc.returncode


def timed(args: list[str]) -> float:
    started = time.monotonic()
    proc = termreader(*args)
    assert proc.returncode == 0, proc.stderr
    return time.monotonic() - started


def kill_window(run: int, runs: int, before: int, after: int) -> float:
    """How far past the measured duration kills may land, as a factor.

    A loaded machine (CI runs the suite on every core) can make the killed runs slower than the timed one,
    so every kill would land before the commit; from half-way on, the window widens (or narrows) towards
    whichever outcome has not been seen yet, so the loop still covers the whole run.
    """
    if run < runs // 2 or (before and after):
        return 1.3
    return 4.0 if not after else 0.5


KILL_COUNTS: Final = [pytest.param(30, id="ci-30"), pytest.param(120, id="full-120", marks=pytest.mark.slow)]


def opml_file(folder: Path, count: int) -> Path:
    outlines = "".join(
        f'<outline type="rss" text="Imported {n}" xmlUrl="https://imported{n}.example/feed.xml"/>'
        for n in range(count)
    )
    path = folder / "list.opml"
    path.write_text(
        f'<?xml version="1.0"?><opml version="2.0"><head><title>Reading list</title></head>'
        f"<body>{outlines}</body></opml>",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("runs", KILL_COUNTS)
@pytest.mark.parametrize("edit", ["add", "import"])
def test_sigkill_during_config_edits_leaves_before_or_after(
    isolated_dirs: AppPaths, tmp_path: Path, runs: int, edit: str
) -> None:
    before = write_config(
        isolated_dirs, [("Alpha", "https://alpha.example/feed"), ("Beta", "https://b.example/")]
    )
    if edit == "add":
        args = ["sources", "add", "https://gamma.example/feed.xml", "--name", "Gamma Notes"]
        added = ["Gamma Notes"]
    else:
        args = ["sources", "import", str(opml_file(tmp_path, 15))]
        added = [f"Imported {n}" for n in range(15)]
    duration = timed(args)
    after = isolated_dirs.config_file.read_bytes()
    assert after != before and after.startswith(before.rstrip(b"\n"))
    rng = random.Random(7)
    seen = {"before": 0, "after": 0}
    for run in range(runs):
        isolated_dirs.config_file.write_bytes(before)
        kill_at(args, rng.uniform(0.0, duration * kill_window(run, runs, seen["before"], seen["after"])))
        now = isolated_dirs.config_file.read_bytes()
        assert now in (before, after), now[-300:]
        seen["before" if now == before else "after"] += 1
        config = load_config(isolated_dirs.config_file, create=False)
        names = [source.name for source in config.sources]
        assert names in (["Alpha", "Beta"], ["Alpha", "Beta", *added])
    # Kills landed both before the rename and after it: the loop covers the whole run.
    assert seen["before"] > 0 and seen["after"] > 0, seen


@pytest.mark.parametrize(
    "runs", [pytest.param(20, id="ci-20"), pytest.param(100, id="full-100", marks=pytest.mark.slow)]
)
def test_sigkill_during_refresh_leaves_a_usable_cache(
    isolated_dirs: AppPaths, tmp_path: Path, runs: int
) -> None:
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    sources = [(f"Site {n}", str(feed_file(feeds, n))) for n in range(12)]
    write_config(isolated_dirs, sources)
    duration = timed(["refresh"])
    rng = random.Random(11)
    for _ in range(runs):
        kill_at(["refresh"], rng.uniform(0.0, duration * 1.1))
        cache = Cache.open(isolated_dirs.cache_db)
        try:
            assert cache.notice is None, cache.notice  # SQLite's journal makes a kill harmless
            for n in range(12):
                cached = cache.get_list(f"Site {n}", "latest")
                assert cached is not None  # the first full refresh stored every list
                assert [item.title for item in cached.items] == [f"Source {n} post {k}" for k in range(8)]
        finally:
            cache.close()
    final = termreader("refresh")
    assert final.returncode == 0 and "Traceback" not in final.stderr, final.stderr
    assert final.stdout.startswith("refreshed 12 of 12 sources")


# --- a full disk ------------------------------------------------------------------------------------------


@dataclass
class SmallDisk:
    """A 256 KB tmpfs; `fill()` takes every free block so the next write fails with ENOSPC."""

    root: Path

    def fill(self) -> None:
        with (self.root / "filler").open("ab", buffering=0) as handle:
            for size in (4096, 512, 1):  # big blocks, then the last crumbs
                for _ in range(10_000):  # 40 MB at most: far past the 256 KB disk
                    try:
                        handle.write(b"\0" * size)
                    except OSError as error:
                        assert error.errno == errno.ENOSPC
                        break

    def free(self) -> None:
        (self.root / "filler").unlink()


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[SmallDisk]:
    root = tmp_path / "disk"
    root.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(root)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(
            f"cannot mount a small tmpfs here ({mounted.stderr.strip()}); RLIMIT_FSIZE cases still run"
        )
    try:
        yield SmallDisk(root)
    finally:
        subprocess.run(["umount", "-l", str(root)], capture_output=True, check=False)


@pytest.fixture
def disk_paths(small_disk: SmallDisk, monkeypatch: pytest.MonkeyPatch) -> AppPaths:
    """Config, data and cache folders all on the small disk."""
    for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache"), ("XDG_DATA_HOME", "data")):
        (small_disk.root / sub).mkdir()
        monkeypatch.setenv(var, str(small_disk.root / sub))
    return AppPaths(
        config_file=small_disk.root / "config" / "termreader" / "config.toml",
        cache_dir=small_disk.root / "cache" / "termreader",
        data_dir=small_disk.root / "data" / "termreader",
    )


def no_temp_files(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_full_disk_config_edit_keeps_the_old_file(small_disk: SmallDisk, disk_paths: AppPaths) -> None:
    before = write_config(disk_paths, [("Alpha", "https://alpha.example/feed")])
    small_disk.fill()
    line = one_error_line(termreader("sources", "add", "https://gamma.example/feed.xml"))
    assert str(disk_paths.config_file) in line and "No space left on device" in line, line
    assert disk_paths.config_file.read_bytes() == before
    assert no_temp_files(disk_paths.config_file.parent) == []


def test_full_disk_bookmark_save_fails_cleanly_and_keeps_the_library(
    small_disk: SmallDisk, disk_paths: AppPaths
) -> None:
    first = termreader("bookmarks", "add", "--no-fetch", "https://kept.example/2026/11/kept.html")
    assert first.returncode == 0, first.stderr
    small_disk.fill()
    big_url = "https://lost.example/" + "a" * 4000
    proc = termreader("bookmarks", "add", "--no-fetch", big_url)
    if proc.returncode == 0:
        saved = True  # SQLite found room in pages it already had: then it must really be saved
    else:
        line = one_error_line(proc)
        assert str(disk_paths.bookmarks_db) in line and "the disk is full" in line, line
        saved = False
    small_disk.free()
    listed = termreader("bookmarks", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    urls = [entry["url"] for entry in json.loads(listed.stdout)]
    assert "https://kept.example/2026/11/kept.html" in urls
    assert (big_url in urls) == saved


def test_full_disk_refresh_says_so_and_keeps_the_cache(
    small_disk: SmallDisk, disk_paths: AppPaths, tmp_path: Path
) -> None:
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    sources = [(f"Site {n}", str(feed_file(feeds, n, items=40))) for n in range(3)]
    write_config(disk_paths, sources[:1])
    assert termreader("refresh").returncode == 0
    write_config(disk_paths, sources)
    small_disk.fill()
    proc = termreader("refresh")
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    if proc.returncode != 0:
        lines = [line for line in proc.stderr.splitlines() if line.strip()]
        assert lines and all(line.startswith("termreader: ") for line in lines), proc.stderr
        assert any("full" in line or "space" in line for line in lines), proc.stderr
    small_disk.free()
    cache = Cache.open(disk_paths.cache_db)
    try:
        kept = cache.get_list("Site 0", "latest")
        assert kept is not None and kept.items[0].title == "Source 0 post 0"
    finally:
        cache.close()


@pytest.mark.parametrize("kind", ["sources", "bookmarks"])
def test_full_disk_export_keeps_the_previous_export(
    small_disk: SmallDisk, isolated_dirs: AppPaths, kind: str
) -> None:
    write_config(isolated_dirs, [(f"Source {n}", f"https://s{n}.example/feed") for n in range(60)])
    with BookmarkStore.open(isolated_dirs.bookmarks_db) as store:
        for n in range(5):
            store.save_link(f"https://b{n}.example/post.html", title=f"Saved post {n}")
    target = small_disk.root / ("reading.opml" if kind == "sources" else "bookmarks.json")
    good = b"previous good export\n"
    target.write_bytes(good)
    small_disk.fill()
    args = (
        ["sources", "export", str(target)]
        if kind == "sources"
        else ["bookmarks", "export", "--output", str(target)]
    )
    line = one_error_line(termreader(*args))
    assert str(target) in line and "No space left on device" in line, line
    assert target.read_bytes() == good
    assert no_temp_files(small_disk.root) == []


def _fsize_limit(limit: int) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_rlimit_fsize_config_edit_keeps_the_old_file(isolated_dirs: AppPaths) -> None:
    """Without a tmpfs: a file-size limit makes the temp file's write fail with EFBIG (SIGXFSZ ignored)."""
    before = write_config(isolated_dirs, [(f"Source {n}", f"https://s{n}.example/feed") for n in range(40)])
    proc = termreader(
        "sources", "add", "https://gamma.example/feed.xml", preexec=_fsize_limit(len(before) + 8)
    )
    line = one_error_line(proc)
    assert str(isolated_dirs.config_file) in line and "File too large" in line, line
    assert isolated_dirs.config_file.read_bytes() == before
    assert no_temp_files(isolated_dirs.config_file.parent) == []


def test_rlimit_fsize_opml_export_keeps_the_previous_export(isolated_dirs: AppPaths, tmp_path: Path) -> None:
    write_config(isolated_dirs, [(f"Source {n}", f"https://s{n}.example/feed") for n in range(40)])
    target = tmp_path / "reading.opml"
    target.write_bytes(b"previous\n")
    line = one_error_line(termreader("sources", "export", str(target), preexec=_fsize_limit(1024)))
    assert str(target) in line and "File too large" in line, line
    assert target.read_bytes() == b"previous\n"


# --- corrupt files ----------------------------------------------------------------------------------------

CORRUPT_CONFIGS: Final = [
    pytest.param(b"\x00\x01\x02\xff\xfe binary junk \x89PNG", id="binary"),
    pytest.param(b'[settings]\nitem_limit = 20\n[[sources]]\nname = "Half', id="truncated"),
    pytest.param("[settings]\ntheme = 'x'\n".encode("utf-16"), id="utf16"),
    pytest.param(
        b"[[sources]]\nname = 'A'\nurl = 'https://a.example/'\n[[sources]]\nname = 'A'\n", id="no-url"
    ),
]


@pytest.mark.parametrize("data", CORRUPT_CONFIGS)
@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["sources", "list"], id="list"),
        pytest.param(["sources", "add", "https://new.example/feed"], id="add"),
        pytest.param(["sources", "remove", "A"], id="remove"),
        pytest.param(["refresh"], id="refresh"),
        pytest.param(["latest", "A"], id="latest"),
    ],
)
def test_corrupt_config_is_named_and_never_rewritten(
    isolated_dirs: AppPaths, data: bytes, args: list[str]
) -> None:
    isolated_dirs.config_file.parent.mkdir(parents=True, exist_ok=True)
    isolated_dirs.config_file.write_bytes(data)
    line = one_error_line(termreader(*args))
    assert str(isolated_dirs.config_file) in line, line
    assert isolated_dirs.config_file.read_bytes() == data


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"\xff\xfe\x00garbage", id="binary"),
        pytest.param(b'name = "broken"\n[colors\nprimary = "#ff0000"', id="bad-toml"),
        pytest.param(b'name = "wrong"\nprimary = 12\n', id="wrong-type"),
        pytest.param(b'name = "evil"\nprimary = "\x1b[31m"\n', id="escape-colour"),
    ],
)
def test_corrupt_theme_is_named_and_the_shipped_themes_still_load(tmp_path: Path, data: bytes) -> None:
    themes = tmp_path / "themes"
    themes.mkdir()
    (themes / "mine.toml").write_bytes(data)
    loaded = load_all_themes(themes)
    assert [error.split(":", 1)[0] for error in loaded.errors] == [str(themes / "mine.toml")]
    assert all("\n" not in error and "\x1b" not in error for error in loaded.errors)
    assert "termreader-dark" in [theme.name for theme in loaded.themes]
    assert (themes / "mine.toml").read_bytes() == data


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"SQLite format 3\x00" + b"\xff" * 4000, id="bad-header"),
        pytest.param(b"not a database at all\n" * 50, id="text"),
        pytest.param(b"", id="empty"),
    ],
)
def test_corrupt_cache_is_rebuilt_by_refresh(isolated_dirs: AppPaths, tmp_path: Path, data: bytes) -> None:
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    write_config(isolated_dirs, [("Site 0", str(feed_file(feeds, 0)))])
    isolated_dirs.cache_dir.mkdir(parents=True, exist_ok=True)
    isolated_dirs.cache_db.write_bytes(data)
    proc = termreader("refresh")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stdout.startswith("refreshed 1 of 1 source")
    cache = Cache.open(isolated_dirs.cache_db)
    try:
        assert cache.notice is None
        cached = cache.get_list("Site 0", "latest")
        assert cached is not None and cached.items[0].title == "Source 0 post 0"
    finally:
        cache.close()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"\x00" * 8192, id="zeros"),
        pytest.param(b"SQLite format 3\x00" + bytes(range(256)) * 20, id="bad-pages"),
        pytest.param(b"PK\x03\x04 a zip, not a database" * 100, id="zip"),
    ],
)
@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["bookmarks", "list"], id="list"),
        pytest.param(["bookmarks", "add", "--no-fetch", "https://new.example/post.html"], id="add"),
        pytest.param(["bookmarks", "search", "garden"], id="search"),
    ],
)
def test_corrupt_bookmarks_database_is_named_and_never_rewritten(
    isolated_dirs: AppPaths, data: bytes, args: list[str]
) -> None:
    isolated_dirs.data_dir.mkdir(parents=True, exist_ok=True)
    isolated_dirs.bookmarks_db.write_bytes(data)
    line = one_error_line(termreader(*args))
    assert str(isolated_dirs.bookmarks_db) in line, line
    assert isolated_dirs.bookmarks_db.read_bytes() == data


# --- a read-only disk -------------------------------------------------------------------------------------


def remount_read_only(disk: SmallDisk) -> None:
    result = subprocess.run(["mount", "-o", "remount,ro", str(disk.root)], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot remount the tmpfs read-only here ({result.stderr.strip()})")


def test_read_only_config_folder_edit_says_so_and_keeps_the_file(
    small_disk: SmallDisk, disk_paths: AppPaths
) -> None:
    before = write_config(disk_paths, [("Alpha", "https://alpha.example/feed")])
    remount_read_only(small_disk)
    line = one_error_line(termreader("sources", "add", "https://gamma.example/feed.xml"))
    assert str(disk_paths.config_file) in line and "Read-only file system" in line, line
    assert disk_paths.config_file.read_bytes() == before
    listed = termreader("sources", "list")
    assert listed.returncode == 0 and "Alpha" in listed.stdout, listed.stderr


def test_read_only_data_folder_bookmark_save_says_so_and_keeps_the_library(
    small_disk: SmallDisk, disk_paths: AppPaths
) -> None:
    first = termreader("bookmarks", "add", "--no-fetch", "https://kept.example/2026/11/kept.html")
    assert first.returncode == 0, first.stderr
    before = disk_paths.bookmarks_db.read_bytes()
    remount_read_only(small_disk)
    line = one_error_line(termreader("bookmarks", "add", "--no-fetch", "https://new.example/post.html"))
    assert str(disk_paths.bookmarks_db) in line, line
    assert disk_paths.bookmarks_db.read_bytes() == before


def test_read_only_cache_folder_refresh_says_so(
    small_disk: SmallDisk, disk_paths: AppPaths, tmp_path: Path
) -> None:
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    write_config(disk_paths, [("Site 0", str(feed_file(feeds, 0)))])
    assert termreader("refresh").returncode == 0
    remount_read_only(small_disk)
    line = one_error_line(termreader("refresh"))
    assert "cache" in line, line


def bookmark_file(folder: Path, count: int) -> Path:
    links = "".join(
        f'<DT><A HREF="https://imported{n}.example/2026/11/post-{n}.html" ADD_DATE="1764000000" '
        f'TAGS="imported,batch">Imported post {n}</A>\n'
        for n in range(count)
    )
    path = folder / "bookmarks.html"
    path.write_text(
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<TITLE>Bookmarks</TITLE>\n<H1>Bookmarks</H1>\n"
        f"<DL><p>\n{links}</DL><p>\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("runs", KILL_COUNTS)
def test_sigkill_during_bookmark_import_keeps_the_library_consistent(
    isolated_dirs: AppPaths, tmp_path: Path, runs: int
) -> None:
    kept = termreader("bookmarks", "add", "--no-fetch", "https://kept.example/2026/11/kept.html")
    assert kept.returncode == 0, kept.stderr
    db = isolated_dirs.bookmarks_db
    with BookmarkStore.open(db):
        pass  # checkpoint the WAL into the file, so copying the file copies the library
    before = db.read_bytes()
    args = ["bookmarks", "import", "--no-fetch", str(bookmark_file(tmp_path, 300))]
    duration = timed(args)
    rng = random.Random(13)
    seen: set[int] = set()
    for run in range(runs):
        for suffix in ("-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        db.write_bytes(before)
        window = kill_window(run, runs, int(1 in seen), int(301 in seen))
        kill_at(args, rng.uniform(0.0, duration * window))
        count = check_consistent(db)
        assert count in (1, 301), count  # one transaction: all of the file or none of it
        seen.add(count)
        with BookmarkStore.open(db) as store:
            assert store.get("https://kept.example/2026/11/kept.html") is not None
    assert seen == {1, 301}, seen  # kills landed both before and after the commit
