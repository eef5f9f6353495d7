"""Article rows: three fixed lines, with no gap when a popular item has neither date nor author."""

from __future__ import annotations

from datetime import UTC, datetime

from termreader.models import ArticleRef
from termreader.ui.labels import article_prompt


def test_row_with_date_and_author_has_a_meta_line() -> None:
    ref = ArticleRef(
        title="Rye starter",
        url="https://example.org/rye",
        published=datetime(2026, 2, 21, 8, 30, tzinfo=UTC),
        author="Maren Holt",
        snippet="Rye is the forgiving grain…",
    )
    lines = article_prompt(ref, read=False, saved=False).plain.split("\n")
    assert len(lines) == 3
    assert lines[0].endswith("Rye starter")
    assert "Maren Holt" in lines[1]
    assert lines[2] == "  Rye is the forgiving grain…"


def test_popular_row_without_date_or_author_puts_the_snippet_under_the_title() -> None:
    ref = ArticleRef(title="Keyboard-first reading", url="https://example.org/k", snippet="When I watch…")
    lines = article_prompt(ref, read=True, saved=False, rank=1).plain.split("\n")
    assert len(lines) == 3
    assert lines[0].endswith("1. Keyboard-first reading")
    assert lines[1] == "  When I watch…"
    assert lines[2].strip() == ""
