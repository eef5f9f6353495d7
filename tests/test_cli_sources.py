"""`termreader sources …` run as a real subprocess against config files in a temp dir."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from termreader.config import TEMPLATE, load_config
from termreader.models import SourceConfig
from termreader.paths import AppPaths

FIXTURES = Path(__file__).parent / "fixtures"


def termreader(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "termreader", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def config_file(isolated_dirs: AppPaths) -> Path:
    """The default config location (under the isolated XDG_CONFIG_HOME), holding the commented fixture."""
    path = isolated_dirs.config_file
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(FIXTURES / "config" / "commented.toml", path)
    return path


def test_list_on_first_run_creates_the_template(isolated_dirs: AppPaths) -> None:
    result = termreader("sources", "list")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        f"No sources in {isolated_dirs.config_file}.\nAdd one with: termreader sources add URL "
        "[--name NAME]\n"
    )
    assert isolated_dirs.config_file.read_text(encoding="utf-8") == TEMPLATE


def test_bare_sources_lists(config_file: Path) -> None:
    assert termreader("sources").stdout == termreader("sources", "list").stdout


def test_list_shows_name_kind_url(config_file: Path) -> None:
    result = termreader("sources", "list")
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        "Python Insider  blogger  https://blog.python.org/",
        "LWN headlines   auto     https://lwn.net/headlines/rss",
        "Saved essay     auto     /home/reader/saved/essay.html",
        "Ghost demo      ghost    https://demo.ghost.io/",
    ]
    assert result.stderr == ""


def test_list_json(config_file: Path) -> None:
    rows = json.loads(termreader("sources", "list", "--json").stdout)
    assert rows[1] == {
        "name": "LWN headlines",
        "url": "https://lwn.net/headlines/rss",
        "kind": None,
        "limit": 20,
        "refresh_minutes": None,
    }
    assert [row["name"] for row in rows] == ["Python Insider", "LWN headlines", "Saved essay", "Ghost demo"]


def test_add_and_remove_keep_the_file_byte_identical_elsewhere(config_file: Path) -> None:
    before = config_file.read_text(encoding="utf-8")
    added = termreader("sources", "add", "https://www.rust-lang.org/feeds/all.atom.xml", "--kind", "feed")
    assert added.returncode == 0, added.stderr
    assert added.stdout == "Added 'rust-lang.org': https://www.rust-lang.org/feeds/all.atom.xml\n"
    after_add = config_file.read_text(encoding="utf-8")
    assert after_add == before + (
        '\n[[sources]]\nname = "rust-lang.org"\nurl = '
        '"https://www.rust-lang.org/feeds/all.atom.xml"\nkind = "feed"\n'
    )
    removed = termreader("sources", "remove", "Python insider")
    assert removed.returncode == 0, removed.stderr
    assert removed.stdout == "Removed 'Python Insider': https://blog.python.org/\n"
    block = (
        '[[sources]]\nname = "Python Insider"\nurl = "https://blog.python.org/"\n'
        'kind = "blogger"   # the feed lags, the widget is handy\n\n'
    )
    assert config_file.read_text(encoding="utf-8") == after_add.replace(block, "")


def test_add_with_name(config_file: Path) -> None:
    result = termreader("sources", "add", "https://blog.example/", "--name", "My Blog")
    assert result.stdout == "Added 'My Blog': https://blog.example/\n"
    assert load_config(config_file).source_named("my blog") == SourceConfig(
        name="My Blog", url="https://blog.example/"
    )


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (
            ("add", "ftp://files.example/"),
            "cannot add a source: 'ftp://files.example/' is not an http(s) URL "
            "(local files: an absolute path or a file:// URL)",
        ),
        (("add", "https://demo.ghost.io/"), "https://demo.ghost.io/ is already a source, named 'Ghost demo'"),
        (
            ("add", "https://new.example/", "--name", "ghost DEMO"),
            "a source named 'ghost DEMO' already exists",
        ),
        (
            ("remove", "Nope"),
            (
                "no source named 'Nope' (sources: 'Python Insider', 'LWN headlines', 'Saved essay', "
                "'Ghost demo')"
            ),
        ),
    ],
)
def test_refusals_are_one_line_and_leave_the_file_alone(
    config_file: Path, args: tuple[str, ...], stderr: str
) -> None:
    before = config_file.read_bytes()
    result = termreader("sources", *args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"termreader: {config_file}")
    assert result.stderr.endswith(f": {stderr}\n")
    assert result.stderr.count("\n") == 1
    assert config_file.read_bytes() == before


def test_unknown_kind_is_refused_by_argparse(config_file: Path) -> None:
    result = termreader("sources", "add", "https://a.example/", "--kind", "tumblr")
    assert result.returncode == 2
    assert "invalid choice: 'tumblr'" in result.stderr
    assert "Traceback" not in result.stderr


def test_broken_config_gives_one_line_with_file_line_key(isolated_dirs: AppPaths) -> None:
    path = isolated_dirs.config_file
    path.parent.mkdir(parents=True)
    text = '[settings]\ntheme = "x"\n\n[[sources]]\nname = "a"\nurl = "gopher://old.example/"\n'
    path.write_text(text, encoding="utf-8")
    for args in (("list",), ("add", "https://b.example/"), ("export",)):
        result = termreader("sources", *args)
        assert result.returncode == 2
        assert result.stderr == (
            f"termreader: {path}, line 6, key 'sources[1].url': 'gopher://old.example/' is not an "
            "http(s) URL "
            "(local files: an absolute path or a file:// URL)\n"
        )
        assert path.read_text(encoding="utf-8") == text


def test_import_merges_and_reports_counts(config_file: Path) -> None:
    before = config_file.read_text(encoding="utf-8")
    opml = FIXTURES / "opml" / "nested-categories.opml"
    first = termreader("sources", "import", str(opml))
    assert first.returncode == 0, first.stderr
    # LWN's feed is already configured: skipped.
    assert first.stdout == f"Imported 5 sources from {opml}; skipped 1 already present.\n"
    assert config_file.read_text(encoding="utf-8").startswith(before)
    names = [s.name for s in load_config(config_file).sources]
    assert names == [
        "Python Insider",
        "LWN headlines",
        "Saved essay",
        "Ghost demo",
        "Python Insider (2)",
        "Only a title attribute",
        "untitled-blog.example",
        "Python Insider (3)",
        "A site without a feed",
    ]
    again = termreader("sources", "import", str(opml))
    assert again.stdout == f"Imported 0 sources from {opml}; skipped 6 already present.\n"


def test_import_skips_urls_already_present(config_file: Path, tmp_path: Path) -> None:
    opml = tmp_path / "mixed.opml"
    opml.write_text(
        '<opml version="2.0"><body>'
        '<outline type="rss" text="LWN" xmlUrl="https://lwn.net/headlines/rss"/>'
        '<outline type="rss" text="New one" xmlUrl="https://new.example/feed"/>'
        "</body></opml>",
        encoding="utf-8",
    )
    result = termreader("sources", "import", str(opml))
    assert result.stdout == f"Imported 1 source from {opml}; skipped 1 already present.\n"
    assert result.stderr == ""


def test_import_names_the_sources_that_read_local_files(config_file: Path, tmp_path: Path) -> None:
    opml = tmp_path / "shared-by-a-friend.opml"
    opml.write_text(
        '<opml version="2.0"><body>'
        '<outline type="rss" text="Web" xmlUrl="https://web.example/feed"/>'
        '<outline type="rss" text="Keys" xmlUrl="file:///home/reader/.ssh/notes.xml"/>'
        '<outline type="rss" text="Upper" xmlUrl="FILE:///srv/feeds/local.xml"/>'
        '<outline type="rss" text="Abs" xmlUrl="/srv/feeds/other.xml"/>'
        "</body></opml>",
        encoding="utf-8",
    )
    result = termreader("sources", "import", str(opml))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Imported 4 sources from {opml}; skipped 0 already present.\n"
    assert result.stderr.splitlines() == [
        "note: 'Keys' reads a local file: file:///home/reader/.ssh/notes.xml",
        "note: 'Upper' reads a local file: FILE:///srv/feeds/local.xml",
        "note: 'Abs' reads a local file: /srv/feeds/other.xml",
    ]


def test_import_errors(config_file: Path, tmp_path: Path) -> None:
    missing = tmp_path / "missing.opml"
    result = termreader("sources", "import", str(missing))
    assert result.returncode == 1
    assert result.stderr == f"termreader: cannot read {missing}: No such file or directory\n"
    broken = FIXTURES / "opml" / "not-opml.html"
    result = termreader("sources", "import", str(broken))
    assert result.returncode == 1
    assert (
        result.stderr == f"termreader: {broken}: not an OPML file (its root element is <rss>, not <opml>)\n"
    )
    empty = FIXTURES / "opml" / "empty-body.opml"
    result = termreader("sources", "import", str(empty))
    assert (result.returncode, result.stdout) == (0, f"No feeds found in {empty}; nothing imported.\n")


def test_export_to_stdout_and_file(config_file: Path, tmp_path: Path) -> None:
    result = termreader("sources", "export")
    assert result.returncode == 0, result.stderr
    root = etree.fromstring(result.stdout.encode("utf-8"))
    assert [o.get("xmlUrl") for o in root.findall("body/outline")] == [
        "https://blog.python.org/",
        "https://lwn.net/headlines/rss",
        "/home/reader/saved/essay.html",
        "https://demo.ghost.io/",
    ]
    target = tmp_path / "out.opml"
    written = termreader("sources", "export", str(target))
    assert written.stdout == f"Exported 4 sources to {target}\n"
    assert etree.fromstring(target.read_bytes()).findall("body/outline")[3].get("text") == "Ghost demo"


def test_export_then_import_into_a_fresh_config(config_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.opml"
    termreader("sources", "export", str(target))
    other = tmp_path / "other.toml"
    result = termreader("--config", str(other), "sources", "import", str(target))
    assert result.stdout == f"Imported 4 sources from {target}; skipped 0 already present.\n"
    # The local file survives the round trip, and the import says it reads a file on this machine.
    assert result.stderr == "note: 'Saved essay' reads a local file: /home/reader/saved/essay.html\n"
    assert [(s.name, s.url) for s in load_config(other).sources] == [
        (s.name, s.url) for s in load_config(config_file).sources
    ]


def test_termreader_config_variable_is_honoured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "elsewhere.toml"
    monkeypatch.setenv("TERMREADER_CONFIG", str(path))
    result = termreader("sources", "add", "https://env.example/")
    assert result.returncode == 0, result.stderr
    assert load_config(path).sources == (SourceConfig(name="env.example", url="https://env.example/"),)
