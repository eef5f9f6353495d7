"""The leaf blocks a Markdown document is parsed into, and the article header drawn above them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from termreader.ui.markdown_runs import Line, Span


@dataclass(frozen=True, slots=True)
class Header:
    """The article header drawn above the body."""

    title: str
    meta: tuple[str, ...] = ()
    """Lines such as "By Ada · 3 March 2025 · Example Blog" and "6 min read"."""
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Block:
    """One leaf block of the document with the prefixes its container lists and quotes give it."""

    kind: str
    """'header', 'heading', 'paragraph', 'image', 'code', 'table', 'hr' or 'notice'."""
    source_line: int
    gap: bool
    first_prefix: Line = ()
    rest_prefix: Line = ()
    spans: tuple[Span, ...] = ()
    level: int = 0
    text: str = ""
    lang: str = ""
    rows: tuple[tuple[tuple[Span, ...], ...], ...] = ()
    aligns: tuple[str, ...] = ()
    number: str = ""
    header: Header | None = None


def article_header(
    title: str,
    *,
    byline: str | None = None,
    published: datetime | None = None,
    site_name: str | None = None,
    reading_minutes: int = 0,
    url: str | None = None,
) -> Header:
    """The header block for an article's metadata."""
    meta_parts = [part for part in (byline, _date(published), site_name) if part]
    meta = [" · ".join(meta_parts)] if meta_parts else []
    if reading_minutes:
        meta.append(f"{reading_minutes} min read")
    return Header(title, tuple(meta), url)


def _date(value: datetime | None) -> str | None:
    return f"{value.day} {value:%B %Y}" if value is not None else None
