"""Reading import files and writing exports: size caps, decoding, atomic writes, the Markdown folder."""

from __future__ import annotations

import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from termreader.bookmarks import formats
from termreader.bookmarks.formats import BookmarkFileError, ParsedFile
from termreader.bookmarks.store import Bookmark

MAX_IMPORT_BYTES: Final = 256 * 1024 * 1024
"""Largest import file read: a 100k-bookmark browser export is ~40 MB; our JSON with bodies can be more."""
EXPORT_FORMATS: Final = ("json", "html", "markdown-dir")
_SLUG_DROP = re.compile(r"[^a-z0-9]+")


def read_import(path: Path) -> ParsedFile:
    """Read and parse an import file; BookmarkFileError naming the file for anything wrong with it."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise BookmarkFileError(f"{name}: too large ({size // 2**20} MB; the limit is 256 MB)")
        raw = path.read_bytes()
    except IsADirectoryError as error:
        raise BookmarkFileError(f"{name}: is a folder, not a bookmarks file") from error
    except OSError as error:
        raise BookmarkFileError(f"{name}: cannot read ({error.strerror or error})") from error
    if b"\x00" in raw[:8192]:
        raise BookmarkFileError(f"{name}: a binary file, not a bookmarks export")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # older browser exports in the Windows code page
    return formats.parse(text, name)


def _write_atomic(path: Path, text: str) -> None:
    """Write beside the target and rename, so a failure never leaves half a file in place of a good one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def slug(title: str, fallback: str = "bookmark") -> str:
    """A safe, portable file name stem: ASCII letters, digits and dashes, at most 80 characters."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    stem = _SLUG_DROP.sub("-", ascii_text).strip("-")[:80].rstrip("-")
    return stem or fallback


def _yaml(value: object) -> str:
    # A JSON string is a valid YAML double-quoted scalar, so every text value is quoted and escaped.
    return json.dumps(value, ensure_ascii=False)


def front_matter(bookmark: Bookmark) -> str:
    fields: list[tuple[str, object]] = [
        ("title", bookmark.title),
        ("url", bookmark.url),
        ("byline", bookmark.byline),
        ("site", bookmark.site),
        ("published", bookmark.published.isoformat() if bookmark.published else None),
        ("saved", bookmark.saved_at.isoformat()),
        ("source", bookmark.source),
        ("tags", list(bookmark.tags)),
        ("read", bookmark.read),
        ("word_count", bookmark.word_count),
        ("note", bookmark.note or None),
    ]
    lines = ["---"]
    lines += [f"{key}: {_yaml(value)}" for key, value in fields if value is not None]
    lines.append("---")
    return "\n".join(lines) + "\n"


def markdown_file(bookmark: Bookmark) -> str:
    body = bookmark.markdown.strip() or f"[{bookmark.title}]({bookmark.url})"
    return f"{front_matter(bookmark)}\n{body}\n"


def export_markdown_dir(bookmarks: Sequence[Bookmark], folder: Path) -> list[Path]:
    """One Markdown file with front matter per bookmark; names from titles, `-2`, `-3` on collisions."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BookmarkFileError(f"{folder}: exists and is not an empty folder; choose a new one")
    folder.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    written: list[Path] = []
    for bookmark in bookmarks:
        stem = slug(bookmark.title)
        name, n = stem, 1
        while name.casefold() in used:  # case-insensitive file systems (macOS, Windows) collide too
            n += 1
            name = f"{stem}-{n}"
        used.add(name.casefold())
        path = folder / f"{name}.md"
        _write_atomic(path, markdown_file(bookmark))
        written.append(path)
    return written


def export(bookmarks: Sequence[Bookmark], format_name: str, output: Path | None) -> str | None:
    """Write an export to `output` (a file, or a folder for markdown-dir); with no output, return the text."""
    if format_name == "markdown-dir":
        if output is None:
            raise BookmarkFileError("markdown-dir needs --output FOLDER")
        try:
            export_markdown_dir(bookmarks, output)
        except OSError as error:
            raise BookmarkFileError(f"{output}: cannot write ({error.strerror or error})") from error
        return None
    if format_name == "json":
        text = formats.render_json(bookmarks)
    elif format_name == "html":
        text = formats.render_netscape(bookmarks)
    else:
        raise BookmarkFileError(f"unknown export format {format_name!r} (use {', '.join(EXPORT_FORMATS)})")
    if output is None:
        return text
    try:
        _write_atomic(output, text)
    except OSError as error:
        raise BookmarkFileError(f"{output}: cannot write ({error.strerror or error})") from error
    return None
