"""OPML import and export, including a round trip through newsboat (a real OPML consumer and producer)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from termreader.errors import OpmlError
from termreader.models import SourceConfig
from termreader.opml import read_opml, write_opml

FIXTURES = Path(__file__).parent / "fixtures" / "opml"
NEWSBOAT_TIMEOUT = 30


def test_nested_categories_are_flattened_and_deduplicated() -> None:
    sources = read_opml((FIXTURES / "nested-categories.opml").read_bytes(), "nested-categories.opml")
    assert sources == [
        SourceConfig(name="Python Insider", url="https://blog.python.org/feeds/posts/default"),
        SourceConfig(name="LWN.net & friends", url="https://lwn.net/headlines/rss"),
        SourceConfig(name="Only a title attribute", url="https://example.org/deep/feed.xml"),
        SourceConfig(name="untitled-blog.example", url="https://www.untitled-blog.example/rss"),
        SourceConfig(name="Python Insider (2)", url="https://pythoninsider.example/feed"),
        SourceConfig(name="A site without a feed", url="https://plain-site.example/"),
    ]


def test_unreadable_schemes_are_dropped() -> None:
    data = (
        b'<opml version="2.0"><body>'
        b'<outline type="rss" text="Script" xmlUrl="javascript:alert(1)"/>'
        b'<outline type="rss" text="FTP" xmlUrl="ftp://files.example/feed"/>'
        b'<outline type="rss" text="Good" xmlUrl="https://good.example/feed"/>'
        b"</body></opml>"
    )
    assert read_opml(data, "x.opml") == [SourceConfig(name="Good", url="https://good.example/feed")]


def test_empty_list_is_not_an_error() -> None:
    assert read_opml((FIXTURES / "empty-body.opml").read_bytes(), "empty-body.opml") == []


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (
            "broken-unclosed.opml",
            (
                "broken-unclosed.opml, line 6: not a readable OPML file (Couldn't find end of Start "
                "Tag outline line 5)"
            ),
        ),
        ("not-opml.html", "not-opml.html: not an OPML file (its root element is <rss>, not <opml>)"),
    ],
)
def test_broken_files_give_one_clear_message(file: str, message: str) -> None:
    with pytest.raises(OpmlError) as info:
        read_opml((FIXTURES / file).read_bytes(), file)
    assert str(info.value) == message


def test_empty_bytes() -> None:
    with pytest.raises(OpmlError) as info:
        read_opml(b"  \n", "blank.opml")
    assert str(info.value) == "blank.opml: the file is empty, not an OPML subscription list"


def test_entities_are_not_expanded() -> None:
    billion_laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b'<opml version="2.0"><body><outline text="&lol2;" xmlUrl="https://a.example/feed"/></body></opml>'
    )
    sources = read_opml(billion_laughs, "lol.opml")
    assert [s.url for s in sources] == ["https://a.example/feed"]
    assert "lollollollol" not in sources[0].name


SAMPLE = (
    SourceConfig(name="Python Insider", url="https://blog.python.org/", kind="blogger"),
    SourceConfig(name="Feeds & <Things>", url="https://x.example/feed?a=1&b=2", kind="feed"),
    SourceConfig(name='Quote "me"', url="https://q.example/atom.xml"),
)


def test_write_opml_structure_and_escaping() -> None:
    document = write_opml(SAMPLE, title="My <list>")
    assert document.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
    root = etree.fromstring(document.encode("utf-8"))
    assert root.findtext("head/title") == "My <list>"
    outlines = root.findall("body/outline")
    assert [dict(o.attrib) for o in outlines] == [
        {
            "type": "rss",
            "text": "Python Insider",
            "title": "Python Insider",
            "xmlUrl": "https://blog.python.org/",
            "htmlUrl": "https://blog.python.org/",
        },
        {
            "type": "rss",
            "text": "Feeds & <Things>",
            "title": "Feeds & <Things>",
            "xmlUrl": "https://x.example/feed?a=1&b=2",
        },
        {"type": "rss", "text": 'Quote "me"', "title": 'Quote "me"', "xmlUrl": "https://q.example/atom.xml"},
    ]
    assert 'xmlUrl="https://x.example/feed?a=1&amp;b=2"' in document


def test_write_opml_drops_characters_xml_cannot_hold() -> None:
    document = write_opml([SourceConfig(name="Bell\x07 and\x1b[31m red", url="https://a.example/")])
    root = etree.fromstring(document.encode("utf-8"))
    assert root.find("body/outline").get("text") == "Bell and[31m red"  # type: ignore[union-attr]


def test_round_trip_through_our_own_reader() -> None:
    assert read_opml(write_opml(SAMPLE).encode("utf-8"), "ours.opml") == [
        SourceConfig(name=s.name, url=s.url) for s in SAMPLE
    ]


def test_write_opml_empty() -> None:
    root = etree.fromstring(write_opml([]).encode("utf-8"))
    assert root.findall("body/outline") == []
    assert read_opml(write_opml([]).encode("utf-8"), "empty") == []


# --- newsboat interop ------------------------------------------------------------------------


@pytest.fixture
def newsboat(tmp_path: Path) -> tuple[str, dict[str, str], Path]:
    """The newsboat binary, an environment with HOME in tmp, and a folder for its files."""
    binary = shutil.which("newsboat")
    if binary is None:
        pytest.skip("newsboat is not installed (apt-get install newsboat; .ci/run installs it)")
    home = tmp_path / "nb-home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}
    env["XDG_DATA_HOME"] = str(home / ".local" / "share")
    return binary, env, home


def _newsboat(binary: str, env: dict[str, str], home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    files = ["-c", str(home / "cache.db"), "-C", str(home / "config")]
    return subprocess.run(
        [binary, *files, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=NEWSBOAT_TIMEOUT,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def test_newsboat_imports_our_opml(newsboat: tuple[str, dict[str, str], Path], tmp_path: Path) -> None:
    binary, env, home = newsboat
    opml_file = tmp_path / "ours.opml"
    opml_file.write_text(write_opml(SAMPLE), encoding="utf-8")
    urls_file = home / "urls"
    result = _newsboat(binary, env, home, "-u", str(urls_file), "-i", str(opml_file))
    assert result.returncode == 0, result.stderr
    lines = [line for line in urls_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert [line.split()[0] for line in lines] == [s.url for s in SAMPLE]


def test_we_import_newsboats_export(newsboat: tuple[str, dict[str, str], Path]) -> None:
    binary, env, home = newsboat
    urls_file = home / "urls"
    # newsboat's urls file: URL, then tags; a tag "~Title" renames the feed.
    urls_file.write_text(
        'https://blog.python.org/feeds/posts/default "~Python Insider" python\n'
        "https://lwn.net/headlines/rss news\n"
        'https://q.example/atom.xml "~Quotes & more"\n',
        encoding="utf-8",
    )
    result = _newsboat(binary, env, home, "-u", str(urls_file), "-e")
    assert result.returncode == 0, result.stderr
    assert "<opml" in result.stdout
    sources = read_opml(result.stdout.encode("utf-8"), "newsboat export")
    assert sources == [
        SourceConfig(name="Python Insider", url="https://blog.python.org/feeds/posts/default"),
        SourceConfig(name="lwn.net", url="https://lwn.net/headlines/rss"),
        SourceConfig(name="Quotes & more", url="https://q.example/atom.xml"),
    ]
