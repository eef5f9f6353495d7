"""Hostile documents (binary, wrong charsets, deep nesting, Markdown bombs, large pages, XXE) through every
HTML reader of the core and through `termreader read FILE`: a result or our typed error, bounded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Final

import pytest

from termreader.discover import find_feed_links
from termreader.extract import extract_article
from termreader.feeds import parse_feed
from termreader.listing import extract_listing
from termreader.markdown_convert import html_to_markdown
from termreader.models import Article
from termreader.popular import find_popular
from termreader.textdecode import decode_text
from tests.hostile.conftest import REPO, Secret, assert_safe, cases, outcome, run_bounded
from tests.hostile.generators import (
    attribute_flood,
    documents,
    large_page,
    markdown_bombs,
    unsafe_in_body,
    xxe_html,
)

URL: Final = "https://blog.example.com/2026/03/hostile.html"

TARGETS: Final[dict[str, str]] = {
    "article": "extract_article(decode_text(body, 'text/html')[0], URL)",
    "listing": "extract_listing(decode_text(body, 'text/html')[0], URL)",
    "popular": "find_popular(decode_text(body, 'text/html')[0], URL)",
    "feed-links": "find_feed_links(decode_text(body, 'text/html')[0], URL)",
    "feed": "parse_feed(body, URL, 'application/rss+xml')",
    "markdown": "html_to_markdown(decode_text(body, 'text/html')[0])",
}
"""Each core reader, as an expression over `body` (bytes), shared by in-process and subprocess runs."""

_IMPORTS: Final = """
from termreader.discover import find_feed_links
from termreader.extract import extract_article
from termreader.feeds import parse_feed
from termreader.listing import extract_listing
from termreader.markdown_convert import html_to_markdown
from termreader.popular import find_popular
from termreader.textdecode import decode_text
URL = "https://blog.example.com/2026/03/hostile.html"
"""

IN_PROCESS_BYTES: Final = 200 * 1024
"""Documents above this run in a bounded subprocess; the small ones in-process keep the suite fast."""

DOCUMENTS: Final = documents()
SMALL: Final = [(name, body) for name, body in DOCUMENTS if len(body) <= IN_PROCESS_BYTES]
BIG: Final = [(name, body) for name, body in DOCUMENTS if len(body) > IN_PROCESS_BYTES]

_NAMESPACE: Final[dict[str, Any]] = {
    "extract_article": extract_article,
    "extract_listing": extract_listing,
    "find_popular": find_popular,
    "find_feed_links": find_feed_links,
    "parse_feed": parse_feed,
    "html_to_markdown": html_to_markdown,
    "decode_text": decode_text,
    "URL": URL,
}


def _call(target: str, body: bytes) -> object:
    return outcome(lambda: eval(TARGETS[target], {**_NAMESPACE, "body": body}))


SMALL_DEFECTS: Final[dict[str, str]] = {}
"""Known defects of modules still being written, by case id; see SECURITY.md."""


@pytest.mark.parametrize(
    ("case", "body", "target"),
    cases([(f"{name}-{target}", body, target) for name, body in SMALL for target in TARGETS], SMALL_DEFECTS),
)
def test_small_document(case: str, body: bytes, target: str) -> None:
    value = _call(target, body)
    if target == "markdown":
        # The converter is not the safety net (extract_article strips its output): it must only not crash.
        assert isinstance(value, str)
    else:
        assert_safe(value)


@pytest.mark.parametrize(("name", "body"), SMALL, ids=[name for name, _ in SMALL])
def test_decode_text_never_fails(name: str, body: bytes) -> None:
    text, encoding = decode_text(body, "text/html; charset=x-unknown")
    assert isinstance(text, str) and encoding
    text.encode("utf-8")  # no lone surrogates from a decoder


BIG_DEFECTS: Final[dict[str, str]] = {}


@pytest.mark.parametrize("name", cases([name for name, _ in BIG], BIG_DEFECTS))
def test_big_document_bounded(name: str) -> None:
    """Every reader but the bare converter on one big document, in one bounded interpreter."""
    readers = [target for target in TARGETS if target != "markdown"]
    calls = ", ".join(f"{target!r}: call(lambda: {TARGETS[target]})" for target in readers)
    code = (
        _IMPORTS
        + f"""
from tests.hostile.generators import documents
body = dict(documents())[{name!r}]
results = {{{calls}}}
typed = [error for error in results.values() if isinstance(error, TermreaderError)]
finish([value for value in results.values() if value not in typed], typed=[str(error) for error in typed])
"""
    )
    run_bounded(code)


BIG_MARKDOWN_DEFECTS: Final[dict[str, str]] = {}


@pytest.mark.parametrize("name", cases([name for name, _ in BIG], BIG_MARKDOWN_DEFECTS))
def test_big_document_converter_bounded(name: str) -> None:
    code = (
        _IMPORTS
        + f"""
from tests.hostile.generators import documents
body = dict(documents())[{name!r}]
value = call(lambda: {TARGETS["markdown"]})
finish(len(value) if isinstance(value, str) else value)
"""
    )
    run_bounded(code)


def test_documents_are_what_they_say() -> None:
    """The corpus itself: the big cases really are big, the binary ones binary."""
    sizes = dict((name, len(body)) for name, body in DOCUMENTS)
    assert sizes["empty"] == 0
    assert sizes["huge-attribute"] > 2_000_000
    assert sizes["deep-divs"] > 100_000 * len("<div></div>")
    assert dict(DOCUMENTS)["pdf"].startswith(b"%PDF-")
    assert len(DOCUMENTS) >= 35


# --- Markdown bombs ---------------------------------------------------------------------------------------

BOMBS: Final = [name for name, _ in markdown_bombs()]
HEAVY_BOMBS: Final = frozenset(
    {
        "many-links",
        "br-flood",
        "hr-flood",
        "many-headings",
        "many-images",
        "wide-table",
        "one-mb-words",
        "table-100k",
    }
)
"""10-40 s each through the bare converter: CI covers them through extract_article only."""
BOMB_TIMEOUT: Final = 120.0


LOST: Final = "html_to_markdown returns no trace of the innermost text of a 10,000-deep nest ('' for most)"
CONVERTER_DEFECTS: Final[dict[str, str]] = {}
ARTICLE_BOMB_DEFECTS: Final[dict[str, str]] = {}


@pytest.mark.parametrize("name", cases(BOMBS, CONVERTER_DEFECTS, slow=HEAVY_BOMBS))
def test_markdown_bomb_converter(name: str) -> None:
    code = f"""
from termreader.markdown_convert import html_to_markdown
from tests.hostile.generators import markdown_bombs
html = dict(markdown_bombs())[{name!r}]
value = call(html_to_markdown, html)
finish(len(value) if isinstance(value, str) else value, deep=isinstance(value, str) and "deep" in value)
"""
    result = run_bounded(code, timeout=BOMB_TIMEOUT)
    assert result.outcome == "result"
    if name.startswith("nested-"):
        assert result.data["deep"], "the innermost text of a deep nest was lost"


@pytest.mark.parametrize("name", cases(BOMBS, ARTICLE_BOMB_DEFECTS))
def test_markdown_bomb_article(name: str) -> None:
    code = f"""
from termreader.extract import extract_article
from tests.hostile.generators import markdown_bombs
html = "<html><head><title>Bomb</title></head><body>" + dict(markdown_bombs())[{name!r}] + "</body></html>"
value = call(extract_article, html, "https://blog.example.com/2026/03/bomb.html")
finish(value)
"""
    run_bounded(code, timeout=BOMB_TIMEOUT)


def test_unclosed_fence_stays_text() -> None:
    """A fence opened in a paragraph must not swallow the rest of the article into a code block."""
    markdown = html_to_markdown("<p>```python</p><p>print('x')</p><p>never closed</p>")
    assert "never closed" in markdown
    assert "\n```python\n" not in markdown


def test_code_with_fences_gets_a_longer_fence() -> None:
    markdown = html_to_markdown("<pre><code>```\n~~~\n````\nstill code</code></pre><p>after</p>")
    fence_lines = [line for line in markdown.splitlines() if line.startswith("`````")]
    assert len(fence_lines) == 2, markdown
    assert markdown.rstrip().endswith("after")


LARGE_BOMB_DEFECTS: Final[dict[str, str]] = {}


@pytest.mark.slow
@pytest.mark.parametrize("name", cases(BOMBS, LARGE_BOMB_DEFECTS))
def test_markdown_bomb_article_large(name: str) -> None:
    """The same bombs at five times the CI size."""
    code = f"""
from termreader.extract import extract_article
from tests.hostile.generators import markdown_bombs
html = "<html><body>" + dict(markdown_bombs(5))[{name!r}] + "</body></html>"
finish(call(extract_article, html, "https://blog.example.com/2026/03/bomb.html"))
"""
    run_bounded(code, timeout=300)


# --- large pages and XXE ------------------------------------------------------------------------------------


def test_large_page_5mb() -> None:
    code = """
from termreader.extract import extract_article
from tests.hostile.generators import large_page
value = call(extract_article, large_page(5).decode(), "https://blog.example.com/2026/03/large.html")
finish(value, words=getattr(value, "word_count", 0))
"""
    result = run_bounded(code)
    if result.outcome == "result":
        assert result.data["words"] > 100_000


@pytest.mark.slow
def test_large_page_50mb() -> None:
    code = """
from termreader.extract import extract_article
from tests.hostile.generators import large_page
finish(call(extract_article, large_page(50).decode(), "https://blog.example.com/2026/03/large.html"))
"""
    run_bounded(code, timeout=600, memory=3 * 1024 * 1024 * 1024)


def test_xxe_in_html_never_reads_the_file(secret: Secret) -> None:
    article = outcome(extract_article, xxe_html(secret.url), URL)
    assert_safe(article, secret.marker)
    assert isinstance(article, Article)
    assert "Plain words about walking." in article.markdown
    assert secret.marker not in article.to_json().__repr__()


# --- the installed command ----------------------------------------------------------------------------------

CLI_FILES: Final = [
    *((f"{name}.html", name) for name, _ in DOCUMENTS),
    ("report.pdf", "pdf"),
    ("photo.png", "png"),
    ("photo.html", "png"),
    ("archive.zip", "zip"),
    ("noext", "random-binary"),
    ("feed.xml", "feed-as-article"),
    ("data.json", "json-as-article"),
    ("notes.txt", "plain-text"),
]


def _termreader(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    env.pop("TERMREADER_DEBUG", None)
    try:
        return subprocess.run(
            [sys.executable, "-m", "termreader", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            check=False,
            errors="replace",
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"termreader {' '.join(args)} still running after {timeout:.0f} s")


def _check_cli(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    if proc.returncode == 0:
        assert not unsafe_in_body(proc.stdout), unsafe_in_body(proc.stdout)
        assert proc.stdout.startswith("# ")
    else:
        assert proc.returncode in (1, 2), (proc.returncode, proc.stderr)
        lines = proc.stderr.splitlines()
        assert len(lines) == 1, proc.stderr
        assert lines[0].startswith("termreader: ")
        assert not unsafe_in_body(proc.stderr)


CLI_DEFECTS: Final[dict[str, str]] = {}


@pytest.mark.parametrize(("filename", "document"), cases(CLI_FILES, CLI_DEFECTS))
def test_cli_read_hostile_file(tmp_path: Path, filename: str, document: str) -> None:
    path = tmp_path / filename
    path.write_bytes(dict(DOCUMENTS)[document])
    _check_cli(_termreader("read", str(path)))


CLI_BOMB_DEFECTS: Final[dict[str, str]] = {}


@pytest.mark.parametrize(
    "name",
    cases(["nested-quotes", "nested-lists", "one-mb-line", "table-100k", "wide-table"], CLI_BOMB_DEFECTS),
)
def test_cli_read_markdown_bomb(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.html"
    path.write_text("<html><body>" + dict(markdown_bombs())[name] + "</body></html>", encoding="utf-8")
    _check_cli(_termreader("read", str(path), timeout=BOMB_TIMEOUT))


@pytest.mark.slow
def test_cli_read_attribute_flood_50k(tmp_path: Path) -> None:
    path = tmp_path / "flood.html"
    path.write_bytes(attribute_flood(50_000))
    _check_cli(_termreader("read", str(path)))


def test_cli_read_too_large_file(tmp_path: Path) -> None:
    """Above the 10 MB cap: one line naming the file, exit 1, nothing read into memory beyond the cap."""
    path = tmp_path / "large.html"
    path.write_bytes(large_page(11))
    proc = _termreader("read", str(path))
    _check_cli(proc)
    assert proc.returncode == 1
    assert str(path) in proc.stderr and "larger than" in proc.stderr


def test_cli_read_xxe_file(tmp_path: Path, secret: Secret) -> None:
    path = tmp_path / "xxe.html"
    path.write_text(xxe_html(secret.url), encoding="utf-8")
    proc = _termreader("read", str(path))
    _check_cli(proc)
    assert secret.marker not in proc.stdout + proc.stderr
