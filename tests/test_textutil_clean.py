"""clean_text skips the steps whose marker is absent; its result must be the full pipeline's for any text."""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from termreader.textutil import clean_text, strip_unsafe

_WS = re.compile(r"\s+")


def reference(text: str | None) -> str:
    """What clean_text did before: every step on every text."""
    if not text:
        return ""
    text = html.unescape(text)
    text = strip_unsafe(text.replace("\u00a0", " "))
    return _WS.sub(" ", text).strip()


PIECES = st.sampled_from(
    [
        "&amp;", "&nbsp;", "&#160;", "&#x202e;", "&lt;b&gt;", "&bogus;", "&", "\u00a0", "\u2007", "\u3000",
        "\t", "\n", "\r\n", "\x0b", "\x0c", "\x1b[31m", "\x1c", "\x85", "\u2028", "\u200b", "\u202e",
        "\u2066", "\ufeff", "\ud800", "\U0001f600", "e\u0301", "  ", " word ", "Ünïcödé", "中文",
    ]
)  # fmt: skip
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=12).map("".join)


@settings(max_examples=600, deadline=None)
@given(TEXTS)
def test_clean_text_equals_the_full_pipeline(text: str) -> None:
    assert clean_text(text) == reference(text)


def test_examples() -> None:
    assert clean_text("  Tea &amp; toast\u00a0\n\tat\x1b[0m four ") == "Tea & toast at[0m four"
    assert clean_text("&nbsp;") == ""
    assert clean_text(None) == ""
    assert clean_text("plain words") == "plain words"
