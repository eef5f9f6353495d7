"""Small text helpers shared by the feed, listing, popular-posts and extraction code."""

from __future__ import annotations

import html
import re
import unicodedata
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

_WS = re.compile(r"\s+")
_TAGS = re.compile(r"<[^>]*>")
# C0/C1 controls, DEL, and bidi overrides/isolates: never let web text steer the terminal or reorder lines.
# Lone surrogates too: JSON's "\ud800" decodes to one, and writing it to a UTF-8 stream raises.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_URL_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_TRAILING_DOTS = re.compile(r"(?:\s*\.\.\.|\s*…)\s*$")


def strip_unsafe(text: str) -> str:
    """Remove control characters (escape sequences start with ESC), bidi overrides and lone surrogates."""
    return _UNSAFE.sub("", text)


def clean_text(text: str | None) -> str:
    """Decode entities, drop control characters and collapse whitespace to single spaces.

    Titles, authors and snippets of every item of every refreshed feed pass here, so each step runs only
    when its marker is there: `str.split()` and the regex `\\s` agree on what whitespace is, and printable
    text has no control, format or odd space characters for strip_unsafe to remove, nor a no-break space.
    """
    if not text:
        return ""
    if "&" in text:
        text = html.unescape(text)
    if not text.isprintable():
        text = strip_unsafe(text.replace("\u00a0", " "))
    return " ".join(text.split())


def strip_html(fragment: str | None) -> str:
    """Text of a small HTML fragment (a title, a snippet) with tags removed and whitespace collapsed."""
    if not fragment:
        return ""
    return clean_text(_TAGS.sub(" ", fragment))


def clean_snippet(text: str | None) -> str | None:
    """A snippet as we show it: clean text, a trailing '...' kept as a single '…'."""
    cleaned = clean_text(text)
    if not cleaned:
        return None
    if _TRAILING_DOTS.search(cleaned):
        cleaned = _TRAILING_DOTS.sub("", cleaned).rstrip() + "…"
    return cleaned


def parse_date(value: str | None) -> datetime | None:
    """Parse ISO 8601 or RFC 822 dates into an aware datetime (UTC when no zone is given); None if unknown."""
    if not value:
        return None
    value = value.strip()
    if not value:
        return None
    parsed: datetime | None = None
    iso = value.replace("Z", "+00:00") if value.endswith("Z") else value
    try:
        parsed = datetime.fromisoformat(iso)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            parsed = None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _percent(match: re.Match[str]) -> str:
    return quote(match.group(), errors="replace")


def absolute_url(base: str | None, href: str | None) -> str | None:
    """Resolve `href` against `base`; protocol-relative URLs get the base's scheme (https by default)."""
    if not href:
        return None
    # As browsers do: tabs, CR and LF inside a URL are dropped, other controls are percent-encoded, so a
    # URL shown in a list or status line cannot carry an escape sequence.
    href = _URL_UNSAFE.sub(_percent, re.sub(r"[\t\n\r]", "", href.strip()))
    if not href or href.startswith(("javascript:", "mailto:", "data:", "#")):
        return None
    if href.startswith("//"):
        scheme = urlsplit(base).scheme if base else "https"
        return f"{scheme or 'https'}:{href}"
    return urljoin(base, href) if base else href


def normalize_url(url: str) -> str:
    """A stable form for comparing and de-duplicating URLs: lower-case scheme and host, no fragment,
    Blogger's mobile `?m=1` removed."""
    parts = urlsplit(url.strip())
    query = "&".join(p for p in parts.query.split("&") if p and p not in ("m=1", "m=0"))
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))


def fold(text: str) -> str:
    """Case- and accent-insensitive form, for matching headings, names and search terms."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))
