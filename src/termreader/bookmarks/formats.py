"""Bookmark file formats as pure functions: our JSON, Netscape bookmark HTML, Pocket CSV and Pocket HTML."""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any, Final

from termreader.bookmarks.store import Bookmark, BookmarkDraft
from termreader.errors import TermreaderError
from termreader.textutil import clean_text, parse_date

JSON_FORMAT: Final = "termreader-bookmarks"
JSON_VERSION: Final = 1
MAX_FOLDER_TAGS: Final = 16
"""Folder depth turned into tags; a hostile file nesting 100k folders must not give 100k tags per link."""
MAX_FIELD_CHARS: Final = 10_000_000
"""Longest text accepted in one field (a whole article body is far below this)."""


class BookmarkFileError(TermreaderError):
    """A bookmarks file we cannot read or write; the message names the file and the first problem."""


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """What an import file holds."""

    format: str
    """'json', 'netscape', 'pocket-html' or 'pocket-csv'."""
    drafts: tuple[BookmarkDraft, ...]
    keep_ids: bool = False


# --- detection -------------------------------------------------------------------------------


def detect(text: str) -> str | None:
    """Which format a file holds, from its first bytes."""
    head = text.lstrip()[:4096].lower()
    if head.startswith(("{", "[")):
        return "json"
    if "<!doctype netscape-bookmark-file" in head:
        return "netscape"
    if head.startswith("<"):
        return "pocket-html" if "pocket" in head or "read archive" in head or "<ul" in head else "netscape"
    first_line = head.splitlines()[0] if head else ""
    if "url" in [cell.strip().strip('"') for cell in first_line.split(",")]:
        return "pocket-csv"
    return None


def parse(text: str, name: str) -> ParsedFile:
    """Parse an import file; BookmarkFileError (never another exception) for anything we cannot read."""
    kind = detect(text)
    if kind == "json":
        return ParsedFile("json", parse_json(text, name), keep_ids=True)
    if kind in ("netscape", "pocket-html"):
        parser = _LinkParser()
        try:
            parser.feed(text)
            parser.close()
        except (ValueError, AssertionError) as error:  # HTMLParser's own complaints
            raise BookmarkFileError(f"{name}: unreadable HTML ({error})") from error
        if not parser.drafts and not parser.saw_anchor:
            raise BookmarkFileError(f"{name}: no bookmarks found (expected <A HREF=…> links)")
        return ParsedFile("pocket-html" if parser.pocket else "netscape", tuple(parser.drafts))
    if kind == "pocket-csv":
        return ParsedFile("pocket-csv", parse_pocket_csv(text, name))
    raise BookmarkFileError(
        f"{name}: not a bookmarks file termreader reads (our JSON, Netscape bookmark HTML, "
        "Pocket CSV or Pocket HTML)"
    )


# --- our JSON ---------------------------------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def bookmark_json(bookmark: Bookmark) -> dict[str, Any]:
    return {
        "id": bookmark.id,
        "url": bookmark.url,
        "title": bookmark.title,
        "byline": bookmark.byline,
        "site": bookmark.site,
        "published": _iso(bookmark.published),
        "saved_at": _iso(bookmark.saved_at),
        "source": bookmark.source,
        "tags": list(bookmark.tags),
        "note": bookmark.note,
        "read": bookmark.read,
        "word_count": bookmark.word_count,
        "markdown": bookmark.markdown,
    }


def render_json(bookmarks: Sequence[Bookmark], *, exported_at: datetime | None = None) -> str:
    """Everything in the store, re-importable without loss."""
    document = {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "exported_at": _iso(exported_at or datetime.now(UTC)),
        "bookmarks": [bookmark_json(b) for b in bookmarks],
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def _field(
    entry: dict[str, Any], key: str, kinds: tuple[type, ...], where: str, *, required: bool = False
) -> Any:
    value = entry.get(key)
    if value is None:
        if required:
            raise BookmarkFileError(f"{where}: '{key}' is missing")
        return None
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        expected = " or ".join(k.__name__ for k in kinds)
        raise BookmarkFileError(f"{where}: '{key}' should be {expected}, not {type(value).__name__}")
    if isinstance(value, str) and len(value) > MAX_FIELD_CHARS:
        raise BookmarkFileError(f"{where}: '{key}' is too long")
    if isinstance(value, int) and not isinstance(value, bool) and not 0 <= value < 2**53:
        raise BookmarkFileError(f"{where}: '{key}' is out of range")
    return value


def _date_field(entry: dict[str, Any], key: str, where: str) -> datetime | None:
    raw = _field(entry, key, (str,), where)
    if raw is None:
        return None
    parsed = parse_date(raw)
    if parsed is None:
        raise BookmarkFileError(f"{where}: '{key}' is not a date: {clean_text(raw)[:40]!r}")
    return parsed


def parse_json(text: str, name: str) -> tuple[BookmarkDraft, ...]:
    """Our export format (also a bare list of bookmark objects)."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise BookmarkFileError(f"{name}: not valid JSON ({str(error)[:120]})") from error
    if isinstance(document, dict):
        if document.get("format") not in (JSON_FORMAT, None):
            raise BookmarkFileError(f"{name}: JSON of another program (format {document.get('format')!r})")
        version = document.get("version", JSON_VERSION)
        if not isinstance(version, int) or version > JSON_VERSION:
            raise BookmarkFileError(f"{name}: written by a newer termreader (version {version!r})")
        entries = document.get("bookmarks")
    else:
        entries = document
    if not isinstance(entries, list):
        raise BookmarkFileError(f"{name}: expected a list of bookmarks under 'bookmarks'")
    drafts: list[BookmarkDraft] = []
    for index, entry in enumerate(entries):
        where = f"{name}: bookmark {index + 1}"
        if not isinstance(entry, dict):
            raise BookmarkFileError(f"{where}: expected an object, not {type(entry).__name__}")
        tags = _field(entry, "tags", (list,), where) or []
        if not all(isinstance(tag, str) for tag in tags):
            raise BookmarkFileError(f"{where}: 'tags' should be a list of strings")
        drafts.append(
            BookmarkDraft(
                id=_field(entry, "id", (int,), where),
                url=_field(entry, "url", (str,), where, required=True),
                title=_field(entry, "title", (str,), where) or "",
                byline=_field(entry, "byline", (str,), where),
                site=_field(entry, "site", (str,), where),
                published=_date_field(entry, "published", where),
                saved_at=_date_field(entry, "saved_at", where),
                source=_field(entry, "source", (str,), where),
                tags=tuple(tags),
                note=_field(entry, "note", (str,), where) or "",
                read=bool(_field(entry, "read", (bool,), where)),
                markdown=_field(entry, "markdown", (str,), where) or "",
                word_count=_field(entry, "word_count", (int,), where) or 0,
            )
        )
    return tuple(drafts)


# --- Netscape bookmark HTML ------------------------------------------------------------------

NETSCAPE_HEADER: Final = """<!DOCTYPE NETSCAPE-Bookmark-file-1>
<!-- This is an automatically generated file.
     It will be read and overwritten.
     DO NOT EDIT! -->
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
<TITLE>Bookmarks</TITLE>
<H1>Bookmarks</H1>
"""


def render_netscape(bookmarks: Sequence[Bookmark]) -> str:
    """One flat list (a bookmark with three tags must not appear three times); tags go in TAGS="a,b",
    which Firefox imports as tags; the note becomes the <DD> description."""
    lines = [NETSCAPE_HEADER + "<DL><p>"]
    for bookmark in bookmarks:
        attrs = f'HREF="{html.escape(bookmark.url)}" ADD_DATE="{int(bookmark.saved_at.timestamp())}"'
        if bookmark.published is not None:
            attrs += f' LAST_MODIFIED="{int(bookmark.published.timestamp())}"'
        if bookmark.tags:
            attrs += f' TAGS="{html.escape(",".join(t.replace(",", " ") for t in bookmark.tags))}"'
        lines.append(f"    <DT><A {attrs}>{html.escape(bookmark.title)}</A>")
        if bookmark.note:
            lines.append(f"    <DD>{html.escape(clean_text(bookmark.note))}")
    lines.append("</DL><p>")
    return "\n".join(lines) + "\n"


def _unix(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        seconds = int(value.strip())
    except ValueError:
        return None
    if seconds > 10**11:  # some browsers write microseconds (Chrome's internal clock) or milliseconds
        seconds //= 1000 if seconds < 10**14 else 1_000_000
    try:
        return datetime.fromtimestamp(seconds, UTC) if seconds > 0 else None
    except (OverflowError, OSError, ValueError):
        return None


def _split_tags(value: str | None, separator: str) -> list[str]:
    return [t for t in (clean_text(part) for part in (value or "").split(separator)) if t]


class _LinkParser(HTMLParser):
    """Netscape bookmark HTML (nested <DL>/<H3> folders) and Pocket's HTML export (<h1> + <ul>)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.drafts: list[BookmarkDraft] = []
        self.saw_anchor = False
        self.pocket = False
        self._folders: list[str | None] = []
        self._pending_folder: str | None = None
        self._capture: str | None = None  # 'h1', 'h3', 'a', 'dd'
        self._text: list[str] = []
        self._anchor: dict[str, str | None] = {}
        self._read_section = False
        self._last: int | None = None
        self._toolbar = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h1", "h3", "a"):
            self._finish_capture()
            self._capture, self._text = tag, []
            if tag == "a":
                self.saw_anchor = True
                self._anchor = dict(attrs)
            elif tag == "h3":
                self._pending_folder = None
                self._toolbar = any(
                    k in ("personal_toolbar_folder", "unfiled_bookmarks_folder") for k, _ in attrs
                )
        elif tag == "dl":
            self._finish_capture()
            self._folders.append(self._pending_folder)
            self._pending_folder = None
        elif tag == "dd":
            self._finish_capture()
            self._capture, self._text = "dd", []
        elif tag in ("dt", "li"):
            self._finish_capture()

    def handle_endtag(self, tag: str) -> None:
        if tag == self._capture:
            self._finish_capture()
        elif tag == "dl":
            self._finish_capture()
            if self._folders:
                self._folders.pop()

    def handle_data(self, data: str) -> None:
        if self._capture is not None and sum(map(len, self._text)) < 100_000:
            self._text.append(data)

    def close(self) -> None:
        super().close()
        self._finish_capture()

    def _finish_capture(self) -> None:
        capture, self._capture = self._capture, None
        text = clean_text("".join(self._text))
        self._text = []
        if capture == "h1":
            lowered = text.casefold()
            if lowered in ("unread", "read archive"):
                self.pocket = True
            self._read_section = lowered == "read archive"
        elif capture == "h3":
            # The toolbar/"other bookmarks" folders say where a link sat in the browser, not what it is about.
            self._pending_folder = None if self._toolbar else (text or None)
        elif capture == "a":
            self._add_link(text)
        elif capture == "dd" and self._last is not None and text:
            self.drafts[self._last] = _with_note(self.drafts[self._last], text)

    def _add_link(self, title: str) -> None:
        href = (self._anchor.get("href") or "").strip()
        self._last = None
        if not href.lower().startswith(("http://", "https://")):
            return  # place:, javascript:, file: and feed: entries are not articles
        folders = [f for f in self._folders if f][:MAX_FOLDER_TAGS]
        tags = [*folders, *_split_tags(self._anchor.get("tags"), ",")]
        saved = _unix(self._anchor.get("add_date")) or _unix(self._anchor.get("time_added"))
        self.drafts.append(
            BookmarkDraft(url=href, title=title, saved_at=saved, tags=tuple(tags), read=self._read_section)
        )
        self._last = len(self.drafts) - 1


def _with_note(draft: BookmarkDraft, note: str) -> BookmarkDraft:
    return BookmarkDraft(
        url=draft.url, title=draft.title, saved_at=draft.saved_at, tags=draft.tags, read=draft.read, note=note
    )


# --- Pocket CSV -------------------------------------------------------------------------------


def parse_pocket_csv(text: str, name: str) -> tuple[BookmarkDraft, ...]:
    """Pocket's export: `title,url,time_added,tags,status`; tags split on '|', status 'archive' is read."""
    csv.field_size_limit(MAX_FIELD_CHARS)
    reader = csv.DictReader(io.StringIO(text), strict=True)
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    if "url" not in fields:
        raise BookmarkFileError(f"{name}: a CSV without a 'url' column")
    reader.fieldnames = fields
    drafts: list[BookmarkDraft] = []
    try:
        for row in reader:
            url = (row.get("url") or "").strip()
            if not url:
                continue
            status = (row.get("status") or "").strip().lower()
            drafts.append(
                BookmarkDraft(
                    url=url,
                    title=row.get("title") or "",
                    saved_at=_unix(row.get("time_added")),
                    tags=tuple(_split_tags(row.get("tags"), "|")),
                    read=status in ("archive", "archived", "read"),
                )
            )
    except csv.Error as error:
        raise BookmarkFileError(f"{name}: broken CSV at line {reader.line_num} ({error})") from error
    return tuple(drafts)
