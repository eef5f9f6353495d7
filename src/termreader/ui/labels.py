"""Turning web data into list rows and status labels, always as literal Text (never parsed as markup)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from textual.content import Content

from termreader.models import ArticleRef
from termreader.ui.markdown_lines import sanitize

READ_MARK: Final = "  "
UNREAD_MARK: Final = "● "
SAVED_MARK: Final = "★"
ARTICLE_ROW_LINES: Final = 3
"""Lines of every article row (title, date and author, snippet), so the list never measures rows."""


def safe(text: str | None) -> str:
    """Web text on one line: escape sequences dropped whole, control characters and newlines removed."""
    if not text:
        return ""
    return " ".join(sanitize(text.replace("\n", " ")).split())


def age_label(delta: timedelta) -> str:
    """A compact age: '45 s', '12 min', '3 h', '5 d'."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 86400:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} d"


def date_label(when: datetime | None) -> str:
    return when.strftime("%Y-%m-%d") if when is not None else ""


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """What the sources pane shows beside a source name."""

    name: str
    total: int = 0
    unread: int = 0
    state: str = "new"
    """'new' (never fetched), 'loading', 'error', 'stale', 'fresh'."""
    detail: str = ""
    """The one-word error reason, or the age of stale data."""


def source_prompt(status: SourceStatus) -> Content:
    """Two lines: the name, then counts and state."""
    parts: list[str | tuple[str, str]] = [
        (safe(status.name), "bold" if status.unread else ""),
        "\n",
        (f"{status.unread}/{status.total}", "" if status.unread else "$text-muted"),
    ]
    if status.state == "loading":
        parts.append(("  loading…", "italic $text-accent"))
    elif status.state == "error":
        parts.append((f"  error: {status.detail}", "bold $text-error"))
    elif status.state == "stale":
        parts.append((f"  stale {status.detail}", "italic $text-warning"))
    elif status.state == "new":
        parts.append(("  not fetched", "italic $text-muted"))
    return Content.assemble(*parts)


def article_prompt(ref: ArticleRef, *, read: bool, saved: bool, rank: int | None = None) -> Content:
    """Three lines: marker and title; date and author (when known); snippet. Every piece is literal text."""
    parts: list[str | tuple[str, str]] = [(READ_MARK, "") if read else (UNREAD_MARK, "bold $text-accent")]
    if rank is not None:
        parts.append((f"{rank}. ", "$text-muted"))
    parts.append((safe(ref.title) or safe(ref.url), "$text-muted" if read else "bold"))
    if saved:
        parts.append((f" {SAVED_MARK}", "$text-warning"))
    meta = " · ".join(part for part in (date_label(ref.published), safe(ref.author)) if part)
    snippet = (safe(ref.snippet) or " ", "$text-muted")
    if meta:
        parts += ["\n  ", (meta, "italic $text-muted"), "\n  ", snippet]
    else:
        # Popular widgets often give neither date nor author: no empty line between title and snippet.
        parts += ["\n  ", snippet, "\n  "]
    return Content.assemble(*parts)
