"""Config loading, validation messages with line and key, and comment-preserving edits."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from termreader.atomicfile import STALE_TEMP_AGE_S, remove_stale_temps, write_atomic
from termreader.config import (
    TEMPLATE,
    Config,
    Settings,
    add_source,
    add_sources,
    default_name,
    load_config,
    parse_config,
    remove_source,
    save_theme,
    url_problem,
)
from termreader.errors import ConfigError, FileWriteError
from termreader.models import SourceConfig
from termreader.paths import AppPaths
from termreader.tomltext import locate, scan, table_span

FIXTURES = Path(__file__).parent / "fixtures" / "config"


@pytest.fixture
def commented(tmp_path: Path) -> Path:
    """A copy of the hand-written, heavily commented config."""
    target = tmp_path / "config.toml"
    shutil.copyfile(FIXTURES / "commented.toml", target)
    return target


def _own_folder(tmp_path: Path) -> Path:
    """A folder holding only what the test writes (tmp_path also holds the isolated XDG dirs)."""
    folder = tmp_path / "own"
    folder.mkdir()
    return folder


def _error(path: Path, text: str) -> ConfigError:
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert path.read_text(encoding="utf-8") == text, "a broken config must never be rewritten"
    return info.value


# --- first run and loading -------------------------------------------------------------------


def test_first_run_writes_the_commented_template(isolated_dirs: AppPaths) -> None:
    path = isolated_dirs.config_file
    assert not path.exists()
    config = load_config(path)
    assert path.read_text(encoding="utf-8") == TEMPLATE
    assert config == Config(path=path, settings=Settings(), sources=())
    assert '# name = "Python Insider"' in TEMPLATE
    assert "\n[[sources]]" not in TEMPLATE, "the template must have no active source"
    # Loading again reads the same file and does not rewrite it.
    before = path.stat().st_mtime_ns
    assert load_config(path) == config
    assert path.stat().st_mtime_ns == before


def test_missing_file_without_create_gives_defaults(tmp_path: Path) -> None:
    path = tmp_path / "nope" / "config.toml"
    assert load_config(path, create=False) == Config(path=path, settings=Settings(), sources=())
    assert not path.exists()


def test_commented_fixture_loads_every_field(commented: Path) -> None:
    config = load_config(commented)
    assert config.settings == Settings(theme="termreader-light", reader_width=72, timeout_seconds=15.5)
    assert config.sources == (
        SourceConfig(name="Python Insider", url="https://blog.python.org/", kind="blogger"),
        SourceConfig(name="LWN headlines", url="https://lwn.net/headlines/rss", limit=20),
        SourceConfig(name="Saved essay", url="/home/reader/saved/essay.html", refresh_minutes=1440),
        SourceConfig(name="Ghost demo", url="https://demo.ghost.io/", kind="ghost", refresh_minutes=240),
    )
    assert config.source_named("python INSIDER") == config.sources[0]
    assert config.source_named("  ghost demo ") == config.sources[3]
    assert config.source_named("missing") is None


def test_timeout_accepts_an_integer_and_file_urls_and_home_paths(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(
        '[settings]\ntimeout_seconds = 5\n\n[[sources]]\nname = "a"\nurl = "file:///srv/page.html"\n\n'
        '[[sources]]\nname = "b"\nurl = "~/saved/page.html"\n',
        encoding="utf-8",
    )
    config = load_config(path)
    assert config.settings.timeout_seconds == 5.0
    assert isinstance(config.settings.timeout_seconds, float)
    assert config.sources[0].url == "file:///srv/page.html"
    assert config.sources[1].url == os.path.expanduser("~/saved/page.html")


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_bytes(b'\xef\xbb\xbf[settings]\ntheme = "nord"\n')
    assert load_config(path).settings.theme == "nord"


# --- error messages: file, line and key in one message ----------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "key", "reason"),
    [
        (
            '[settings]\nreader_width = 80\n\n[[sources]]\nname = "a"\nurl = "https://a.example/"\n\n'
            '[[sources]]\nname = "x"\nurl = "ftp://x"\n',
            10,
            "sources[2].url",
            "'ftp://x' is not an http(s) URL (local files: an absolute path or a file:// URL)",
        ),
        (
            "[settings]\n# a comment\nreader_widht = 100\n",
            3,
            "settings.reader_widht",
            "unknown key (did you mean 'reader_width'?)",
        ),
        ('[settings]\nitem_limit = "5"\n', 2, "settings.item_limit", "expected an integer, got a string '5'"),
        (
            "[settings]\nitem_limit = true\n",
            2,
            "settings.item_limit",
            "expected an integer, got a boolean True",
        ),
        ("[settings]\nitem_limit = 0\n", 2, "settings.item_limit", "must be at least 1, got 0"),
        ("[settings]\nmax_connections = -3\n", 2, "settings.max_connections", "must be at least 1, got -3"),
        ("[settings]\nreader_width = 5\n", 2, "settings.reader_width", "must be at least 20, got 5"),
        (
            "[settings]\ntimeout_seconds = 0.0\n",
            2,
            "settings.timeout_seconds",
            "must be a positive number, got 0.0",
        ),
        (
            "[settings]\ntimeout_seconds = nan\n",
            2,
            "settings.timeout_seconds",
            "must be a positive number, got nan",
        ),
        ("[settings]\ntheme = 3\n", 2, "settings.theme", "expected a theme name, got 3"),
        ('[settngs]\ntheme = "x"\n', 1, "settngs", "unknown key (did you mean 'settings'?)"),
        ("colour = 1\n", 1, "colour", "unknown key (known keys: settings, sources)"),
        ('settings = "dark"\n', 1, "settings", "expected a [settings] table, got a string"),
        ('sources = "none"\n', 1, "sources", "expected [[sources]] tables, got a string"),
        (
            '\n[[sources]]\nname = "Blog"\nurl = "https://a.example/"\n\n[[sources]]\nname = "blog"\n'
            'url = "https://b.example/"\n',
            7,
            "sources[2].name",
            "duplicate source name 'blog' (also used by sources[1]; names are compared ignoring case)",
        ),
        ('[[sources]]\nname = "a"\n', 1, "sources[1].url", "missing key 'url'"),
        ('[[sources]]\nurl = "https://a.example/"\n', 1, "sources[1].name", "missing key 'name'"),
        (
            '[[sources]]\nname = "  "\nurl = "https://a.example/"\n',
            2,
            "sources[1].name",
            "expected a non-empty name, got '  '",
        ),
        ('[[sources]]\nname = "a"\nurl = 42\n', 3, "sources[1].url", "expected a string, got an integer"),
        (
            '[[sources]]\nname = "a"\nurl = "https:///path"\n',
            3,
            "sources[1].url",
            "'https:///path' has no host name",
        ),
        (
            '[[sources]]\nname = "a"\nurl = "relative/page.html"\n',
            3,
            "sources[1].url",
            "'relative/page.html' is not an http(s) URL (local files: an absolute path or a file:// URL)",
        ),
        (
            '[[sources]]\nname = "a"\nurl = "https://a.example/"\nkind = "tumblr"\n',
            4,
            "sources[1].kind",
            "'tumblr' is not a source kind; use one of: feed, blogger, wordpress, ghost, substack, hugo, "
            "jekyll, medium, html",
        ),
        (
            '[[sources]]\nname = "a"\nurl = "https://a.example/"\nlimit = -1\n',
            4,
            "sources[1].limit",
            "must be at least 1, got -1",
        ),
        (
            '[[sources]]\nname = "a"\nurl = "https://a.example/"\nrefresh_minutes = 1.5\n',
            4,
            "sources[1].refresh_minutes",
            "expected an integer, got a number 1.5",
        ),
        (
            '[[sources]]\nname = "a"\nurl = "https://a.example/"\nlimt = 3\n',
            4,
            "sources[1].limt",
            "unknown key (did you mean 'limit'?)",
        ),
    ],
)
def test_errors_name_file_line_and_key(tmp_path: Path, text: str, line: int, key: str, reason: str) -> None:
    path = tmp_path / "config.toml"
    error = _error(path, text)
    assert (error.line, error.key, error.reason) == (line, key, reason)
    assert str(error) == f"{path}, line {line}, key '{key}': {reason}"
    assert "\n" not in str(error)


def test_bad_toml_reports_tomlkit_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    error = _error(path, '[settings]\ntheme = "dark"\nreader_width = = 3\n')
    assert error.line == 3
    assert error.key is None
    assert str(error).startswith(f"{path}, line 3: invalid TOML: ")


def test_duplicate_toml_key_is_a_toml_error(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    error = _error(path, '[settings]\ntheme = "a"\ntheme = "b"\n')
    assert str(error) == f'{path}, line 3: invalid TOML: Key "theme" already exists'


def test_unterminated_array_says_end_of_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    error = _error(path, "[settings]\nreader_width = [\n")
    assert "unexpected end of file" in error.reason


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'[settings]\n# caf\xe9\ntheme = "x"\n')
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value) == f"{path}, line 2: the file is not UTF-8 text (TOML files must be UTF-8)"


def test_a_folder_instead_of_a_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert str(info.value) == f"{tmp_path}: is a folder, not a config file"


def test_error_line_ignores_lookalikes_inside_multiline_strings(tmp_path: Path) -> None:
    text = '[[sources]]\nname = """multi\n[[sources]]\nurl = "not this"\n"""\nurl = "gopher://x"\n'
    error = _error(tmp_path / "c.toml", text)
    assert (error.line, error.key) == (6, "sources[1].url")


# --- the line locator ------------------------------------------------------------------------


def test_locator_finds_tables_keys_and_headers() -> None:
    text = (
        "# head\n"
        "[settings]\n"
        "theme = 'x'  # c\n"
        "  'reader_width' = 3\n"
        "[[sources]]\n"
        'name = "a"\n'
        "tags = [\n"
        '  "url = no",\n'
        "]\n"
        "url = 'u'\n"
        "[[ sources ]]  # second\n"
        'name = "b"\n'
    )
    lines = scan(text)
    assert locate(lines, "settings", "theme") == 3
    assert locate(lines, "settings", "reader_width") == 4
    assert locate(lines, "sources[0]", "url") == 10
    assert locate(lines, "sources[1]", "name") == 12
    assert locate(lines, "sources[1]", "url") == 11  # absent key -> the table's header
    assert locate(lines, None, "sources") == 5
    assert locate(lines, "nowhere", "x") is None
    assert table_span(lines, "sources[0]") == (4, 10)
    assert table_span(lines, "sources[1]") == (10, 12)
    assert table_span(lines, "missing") is None


# --- add_source ------------------------------------------------------------------------------


def test_add_source_appends_and_keeps_every_byte(commented: Path) -> None:
    before = commented.read_text(encoding="utf-8")
    source = add_source(commented, "https://www.example.org/blog/")
    assert source == SourceConfig(name="example.org", url="https://www.example.org/blog/")
    after = commented.read_text(encoding="utf-8")
    assert after == before + '\n[[sources]]\nname = "example.org"\nurl = "https://www.example.org/blog/"\n'
    assert load_config(commented).sources[-1] == source


def test_add_source_with_name_and_kind_escapes_the_name(commented: Path) -> None:
    before = commented.read_text(encoding="utf-8")
    source = add_source(commented, "https://x.example/feed.xml", name='The "X" Files', kind="feed")
    assert source == SourceConfig(name='The "X" Files', url="https://x.example/feed.xml", kind="feed")
    assert commented.read_text(encoding="utf-8") == before + (
        '\n[[sources]]\nname = "The \\"X\\" Files"\nurl = "https://x.example/feed.xml"\nkind = "feed"\n'
    )
    assert load_config(commented).source_named('the "x" files') == source


def test_add_source_on_first_run_creates_the_template_first(isolated_dirs: AppPaths) -> None:
    path = isolated_dirs.config_file
    add_source(path, "https://blog.example/", name="Blog")
    assert (
        path.read_text(encoding="utf-8")
        == TEMPLATE + '\n[[sources]]\nname = "Blog"\nurl = "https://blog.example/"\n'
    )


def test_default_names_are_unique_ignoring_case(commented: Path) -> None:
    first = add_source(commented, "https://news.example/a")
    second = add_source(commented, "https://NEWS.example/b")
    assert (first.name, second.name) == ("news.example", "news.example-2")
    assert default_name("https://news.example/", ["News.Example", "news.example-2"]) == "news.example-3"
    assert default_name("/home/me/saved/long-read.html") == "long-read"
    assert default_name("file:///srv/pages/essay.htm") == "essay"


@pytest.mark.parametrize(
    ("url", "name", "message"),
    [
        (
            "https://lwn.net/headlines/rss",
            None,
            "https://lwn.net/headlines/rss is already a source, named 'LWN headlines'",
        ),
        (
            "https://LWN.net/headlines/rss#top",
            None,
            "https://LWN.net/headlines/rss#top is already a source, named 'LWN headlines'",
        ),
        ("https://new.example/", "python insider", "a source named 'python insider' already exists"),
        (
            "ftp://files.example/",
            None,
            "cannot add a source: 'ftp://files.example/' is not an http(s) URL "
            "(local files: an absolute path or a file:// URL)",
        ),
        ("https://new.example/", None, None),
    ],
)
def test_add_source_refuses_duplicates_and_bad_urls(
    commented: Path, url: str, name: str | None, message: str | None
) -> None:
    before = commented.read_bytes()
    if message is None:
        add_source(commented, url, name=name)
        assert commented.read_bytes() != before
        return
    with pytest.raises(ConfigError) as info:
        add_source(commented, url, name=name)
    assert info.value.reason == message
    assert commented.read_bytes() == before


def test_add_source_refuses_to_touch_a_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[settings\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        add_source(path, "https://a.example/")
    assert path.read_text(encoding="utf-8") == "[settings\n"


def test_add_source_to_an_inline_array(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(
        '# inline style\nsources = [{ name = "a", url = "https://a.example/" }]\n', encoding="utf-8"
    )
    add_source(path, "https://b.example/", name="b")
    config = load_config(path)
    assert [s.name for s in config.sources] == ["a", "b"]
    assert path.read_text(encoding="utf-8").startswith("# inline style\n")


def test_add_sources_skips_present_urls_and_unique_ifies_names(commented: Path) -> None:
    added, skipped = add_sources(
        commented,
        [
            SourceConfig(name="LWN again", url="https://lwn.net/headlines/rss"),
            SourceConfig(name="Python Insider", url="https://pythoninsider.example/feed"),
            SourceConfig(name="", url="https://solo.example/rss"),
            SourceConfig(name="Dup in batch", url="https://solo.example/rss"),
        ],
    )
    assert [s.name for s in added] == ["Python Insider (2)", "solo.example"]
    assert [s.name for s in skipped] == ["LWN again", "Dup in batch"]
    assert [s.name for s in load_config(commented).sources][-2:] == ["Python Insider (2)", "solo.example"]


def test_add_sources_with_nothing_new_does_not_write(commented: Path) -> None:
    before = commented.stat().st_mtime_ns
    added, skipped = add_sources(commented, [SourceConfig(name="x", url="https://demo.ghost.io/")])
    assert (added, len(skipped)) == ([], 1)
    assert commented.stat().st_mtime_ns == before


# --- remove_source ---------------------------------------------------------------------------


def test_remove_middle_source_keeps_everything_else(commented: Path) -> None:
    before = commented.read_text(encoding="utf-8")
    removed = remove_source(commented, "lwn HEADLINES")
    assert removed == SourceConfig(name="LWN headlines", url="https://lwn.net/headlines/rss", limit=20)
    block = '[[sources]]\nname = "LWN headlines"\nurl = "https://lwn.net/headlines/rss"\nlimit = 20\n\n'
    assert block in before
    assert commented.read_text(encoding="utf-8") == before.replace(block, "")
    assert [s.name for s in load_config(commented).sources] == ["Python Insider", "Saved essay", "Ghost demo"]


def test_remove_keeps_the_comments_that_introduce_the_next_source(commented: Path) -> None:
    before = commented.read_text(encoding="utf-8")
    remove_source(commented, "Saved essay")
    after = commented.read_text(encoding="utf-8")
    assert "# --- weekly digest" in after
    assert (
        '# These update slowly; no need to hit them every half hour.\n\n[[sources]]\nname = "Ghost demo"'
        in after
    )
    block = (
        '[[sources]]\nname = "Saved essay"\nurl = "/home/reader/saved/essay.html"\nrefresh_minutes = 1440\n\n'
    )
    assert after == before.replace(block, "")


def test_remove_last_source_and_then_all(commented: Path) -> None:
    before = commented.read_text(encoding="utf-8")
    remove_source(commented, "Ghost demo")
    block = (
        '[[sources]]\nname = "Ghost demo"\nurl = "https://demo.ghost.io/"\nkind = "ghost"\n'
        "refresh_minutes = 240\n"
    )
    assert commented.read_text(encoding="utf-8") == before.replace(block, "")
    for name in ("Python Insider", "LWN headlines", "Saved essay"):
        remove_source(commented, name)
    config = load_config(commented)
    assert config.sources == ()
    assert config.settings.theme == "termreader-light"
    assert "# My termreader setup" in commented.read_text(encoding="utf-8")


def test_remove_unknown_name_lists_known_names(commented: Path) -> None:
    before = commented.read_bytes()
    with pytest.raises(ConfigError) as info:
        remove_source(commented, "Nope")
    assert info.value.reason == (
        "no source named 'Nope' (sources: 'Python Insider', 'LWN headlines', 'Saved essay', 'Ghost demo')"
    )
    assert commented.read_bytes() == before


def test_add_then_remove_round_trips_bytes(commented: Path) -> None:
    before = commented.read_bytes()
    add_source(commented, "https://tmp.example/", name="Temp")
    remove_source(commented, "temp")
    assert commented.read_bytes() == before + b"\n"


# --- save_theme ------------------------------------------------------------------------------


def test_save_theme_replaces_only_that_line_and_keeps_its_comment(commented: Path) -> None:
    before = commented.read_text(encoding="utf-8")
    save_theme(commented, "nord")
    after = commented.read_text(encoding="utf-8")
    assert after == before.replace(
        'theme = "termreader-light"   # easier on a bright terminal',
        'theme = "nord"  # easier on a bright terminal',
    )
    assert load_config(commented).settings.theme == "nord"


def test_save_theme_on_the_template_adds_a_line_under_settings(isolated_dirs: AppPaths) -> None:
    path = isolated_dirs.config_file
    save_theme(path, "gruvbox")
    assert path.read_text(encoding="utf-8") == TEMPLATE.replace(
        "[settings]\n", '[settings]\ntheme = "gruvbox"\n'
    )
    assert load_config(path).settings.theme == "gruvbox"


def test_save_theme_without_a_settings_table(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    original = '# only sources\n[[sources]]\nname = "a"\nurl = "https://a.example/"\n'
    path.write_text(original, encoding="utf-8")
    save_theme(path, "textual-light")
    assert path.read_text(encoding="utf-8") == original + '\n[settings]\ntheme = "textual-light"\n'
    assert load_config(path).settings.theme == "textual-light"


def test_save_theme_after_existing_settings_keys(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[settings]\nreader_width = 90\n\n# trailing comment\n", encoding="utf-8")
    save_theme(path, "x")
    assert (
        path.read_text(encoding="utf-8")
        == '[settings]\nreader_width = 90\ntheme = "x"\n\n# trailing comment\n'
    )


def test_save_theme_refuses_empty(commented: Path) -> None:
    with pytest.raises(ConfigError):
        save_theme(commented, " ")


# --- pure helpers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://a.example/x", None),
        ("HTTP://A.EXAMPLE", None),
        ("/abs/path.html", None),
        ("~/saved.html", None),
        ("file:///abs/path.html", None),
        ("", "the URL is empty"),
        (
            "javascript:alert(1)",
            "'javascript:alert(1)' is not an http(s) URL (local files: an absolute path or a file:// URL)",
        ),
        ("http://", "'http://' has no host name"),
    ],
)
def test_url_problem(url: str, problem: str | None) -> None:
    assert url_problem(url) == problem


def test_parse_config_is_pure(tmp_path: Path) -> None:
    path = tmp_path / "never-created.toml"
    config = parse_config("[settings]\nitem_limit = 7\n", path)
    assert config.settings.item_limit == 7
    assert not path.exists()


# --- atomic writes ---------------------------------------------------------------------------


def test_write_atomic_keeps_mode_and_leaves_no_temp_files(tmp_path: Path) -> None:
    tmp_path = _own_folder(tmp_path)
    path = tmp_path / "config.toml"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o600)
    write_atomic(path, "new ✓")
    assert path.read_text(encoding="utf-8") == "new ✓"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.toml"]


def test_write_atomic_new_file_gets_umask_mode(tmp_path: Path) -> None:
    path = tmp_path / "fresh.opml"
    old_mask = os.umask(0o027)
    try:
        write_atomic(path, b"<opml/>")
    finally:
        os.umask(old_mask)
    assert path.read_bytes() == b"<opml/>"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_write_atomic_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "config.toml"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "config.toml"
    link.symlink_to(real)
    write_atomic(link, "new")
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "new"


def test_write_atomic_failure_leaves_original_and_no_temp(tmp_path: Path) -> None:
    tmp_path = _own_folder(tmp_path)
    # A folder sits where the file should go: os.replace fails after the temp file was written.
    target = tmp_path / "taken"
    target.mkdir()
    (target / "keep.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(FileWriteError) as info:
        write_atomic(target, "data")
    assert str(info.value).startswith(f"cannot write {target}: ")
    assert (target / "keep.txt").read_text(encoding="utf-8") == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]


def test_write_atomic_removes_temp_files_a_killed_writer_left(tmp_path: Path) -> None:
    tmp_path = _own_folder(tmp_path)
    path = tmp_path / "config.toml"
    path.write_text("old", encoding="utf-8")
    stale = tmp_path / ".config.toml.k1ll3d.tmp"
    stale.write_text("half a config", encoding="utf-8")
    an_hour_and_more = time.time() - STALE_TEMP_AGE_S - 60
    os.utime(stale, (an_hour_and_more, an_hour_and_more))
    in_flight = tmp_path / ".config.toml.wr1t1ng.tmp"  # another writer, right now
    in_flight.write_text("being written", encoding="utf-8")
    someone_elses = tmp_path / ".other.toml.old123.tmp"
    someone_elses.write_text("not ours to judge", encoding="utf-8")
    os.utime(someone_elses, (an_hour_and_more, an_hour_and_more))
    write_atomic(path, "new")
    assert path.read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".config.toml.wr1t1ng.tmp",
        ".other.toml.old123.tmp",
        "config.toml",
    ]


def test_remove_stale_temps_escapes_glob_characters_in_the_name(tmp_path: Path) -> None:
    target = tmp_path / "feeds[1].opml"
    stale = tmp_path / ".feeds[1].opml.abc.tmp"
    lookalike = tmp_path / ".feeds1.opml.abc.tmp"
    for path in (stale, lookalike):
        path.write_text("x", encoding="utf-8")
        os.utime(path, (0, 0))
    assert remove_stale_temps(target) == [stale]
    assert lookalike.exists()


def test_write_atomic_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(FileWriteError) as info:
        write_atomic(tmp_path / "no" / "such" / "file.toml", "x")
    assert (
        str(info.value) == f"cannot write {tmp_path / 'no' / 'such' / 'file.toml'}: No such file or directory"
    )


@pytest.mark.skipif(
    os.geteuid() == 0, reason="root ignores folder permissions, so a read-only folder cannot be tested"
)
def test_write_atomic_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "config.toml"
    path.write_text("original", encoding="utf-8")
    folder.chmod(0o500)
    try:
        with pytest.raises(FileWriteError) as info:
            write_atomic(path, "new")
        assert str(info.value) == f"cannot write {path}: Permission denied"
        assert path.read_text(encoding="utf-8") == "original"
    finally:
        folder.chmod(0o700)


def test_write_atomic_when_the_file_cannot_grow(tmp_path: Path) -> None:
    """Stand-in for a full disk: a file-size limit makes the write fail half way (EFBIG, like ENOSPC)."""
    tmp_path = _own_folder(tmp_path)
    path = tmp_path / "config.toml"
    path.write_text("original", encoding="utf-8")
    script = (
        "import resource, signal, sys\n"
        "from pathlib import Path\n"
        "from termreader.atomicfile import STALE_TEMP_AGE_S, remove_stale_temps, write_atomic\n"
        "from termreader.errors import FileWriteError\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (4, 4))\n"
        "try:\n"
        "    write_atomic(Path(sys.argv[1]), 'x' * 4096)\n"
        "except FileWriteError as error:\n"
        "    print(error)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == f"cannot write {path}: File too large"
    assert path.read_text(encoding="utf-8") == "original"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.toml"]


# --- robustness ------------------------------------------------------------------------------

_TOML_PIECES = st.sampled_from(
    [
        "[settings]\n",
        "[[sources]]\n",
        "[sources]\n",
        'name = "a"\n',
        'name = "A"\n',
        'url = "https://a.example/"\n',
        'url = "ftp://x"\n',
        "limit = 0\n",
        "limit = 3\n",
        "item_limit = -1\n",
        'theme = """x\n',
        '"""\n',
        "reader_width = [1,\n",
        "]\n",
        "# comment\n",
        "\n",
        "kind = 'blogger'\n",
        "= 3\n",
        "settings = 1\n",
        "x.y = 2\n",
    ]
)


@given(st.lists(_TOML_PIECES, max_size=12))
@settings(max_examples=300, deadline=None)
def test_any_text_gives_a_config_or_one_config_error(pieces: list[str]) -> None:
    text = "".join(pieces)
    path = Path("/nonexistent/config.toml")
    try:
        config = parse_config(text, path)
    except ConfigError as error:
        assert "\n" not in str(error)
        assert str(error).startswith(f"{path}")
        if error.line is not None:
            assert 1 <= error.line <= max(1, text.count("\n") + 1)
    else:
        assert isinstance(config, Config)


@given(st.text(max_size=200))
@settings(max_examples=200, deadline=None)
def test_arbitrary_text_never_escapes_as_another_exception(text: str) -> None:
    with contextlib.suppress(ConfigError):
        parse_config(text, Path("c.toml"))


def test_config_modules_do_not_import_textual() -> None:
    code = (
        "import sys\n"
        "import termreader.config, termreader.opml, termreader.atomicfile, termreader.tomltext\n"
        "import termreader.demo, termreader.demo.build, termreader.commands.sources\n"
        "print('textual' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "False"


def test_remove_from_an_inline_array(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(
        '# inline style\nsources = [\n  { name = "a", url = "https://a.example/" },\n'
        '  { name = "b", url = "https://b.example/" },\n]\n',
        encoding="utf-8",
    )
    assert remove_source(path, "A") == SourceConfig(name="a", url="https://a.example/")
    assert load_config(path).sources == (SourceConfig(name="b", url="https://b.example/"),)
    assert path.read_text(encoding="utf-8").startswith("# inline style\n")


def test_save_theme_with_dotted_keys(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('# dotted\nsettings.theme = "old"\nsettings.item_limit = 9\n', encoding="utf-8")
    save_theme(path, "new")
    config = load_config(path)
    assert (config.settings.theme, config.settings.item_limit) == ("new", 9)
    assert path.read_text(encoding="utf-8").startswith("# dotted\n")


def test_crlf_files_stay_crlf(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    original = b"# edited on Windows\r\n[settings]\r\nitem_limit = 9\r\n"
    path.write_bytes(original)
    add_source(path, "https://a.example/", name="a")
    save_theme(path, "t")
    assert path.read_bytes() == (
        b'# edited on Windows\r\n[settings]\r\nitem_limit = 9\r\ntheme = "t"\r\n'
        b'\r\n[[sources]]\r\nname = "a"\r\nurl = "https://a.example/"\r\n'
    )
    remove_source(path, "a")
    assert path.read_bytes() == b'# edited on Windows\r\n[settings]\r\nitem_limit = 9\r\ntheme = "t"\r\n\r\n'


def test_a_byte_order_mark_survives_edits(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_bytes(b'\xef\xbb\xbf# with BOM\n[settings]\ntheme = "a"\n')
    save_theme(path, "b")
    assert path.read_bytes() == b'\xef\xbb\xbf# with BOM\n[settings]\ntheme = "b"\n'
