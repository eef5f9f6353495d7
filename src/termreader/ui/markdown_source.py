"""Markdown source cut into independently parseable chunks, with nesting depth and table length capped."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from termreader.ui.markdown_runs import sanitize

FIRST_CHUNK_CHARS: Final = 4_000
"""Source parsed before the first screen: comfortably more than one screen of text."""
CHUNK_CHARS: Final = 20_000
"""Source parsed per later step; markdown-it needs about 10 ms for this much on our machines."""
MAX_CONTAINER_MARKERS: Final = 16
"""Quote and list markers kept at the start of a source line: markdown-it drops text nested deeper than
its nesting limit, so deeper markers are removed and the text kept."""
MAX_INDENT: Final = 40
"""Deepest source indentation kept: markdown-it's time grows with the square of list depth (14 s for
10,000 levels), so deeper lines are pulled back to this column."""
MAX_TABLE_ROWS: Final = 1_000
"""Table rows parsed; markdown-it takes about 6 s for 100k rows, so the rest is summarised."""
NOTICE: Final = "\ue000"
"""Private-use character starting our own "rows not shown" paragraph; removed from the source first."""

_ONE_MARKER = re.compile(r"[ \t]*(?:>[ \t]?|(?:[-+*]|\d{1,9}[.)])[ \t]+)")
_CONTAINER_PREFIX = re.compile(r"(?:[ \t]*(?:>[ \t]?|(?:[-+*]|\d{1,9}[.)])[ \t]+))+")
_MARKER_STARTS = frozenset(">-+*0123456789")
_LIST_START = re.compile(r"(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)")
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
_REF_DEF = re.compile(r"^[ ]{0,3}\[[^\]]+\]:", re.MULTILINE)


def _lines(source: str) -> Iterator[str]:
    """Lines read lazily: splitting 200k words up front would cost the first screen a few milliseconds."""
    position = 0
    while True:
        end = source.find("\n", position)
        if end < 0:
            yield source[position:]
            return
        yield source[position:end]
        position = end + 1


def source_chunks(source: str) -> Iterator[tuple[int, str]]:
    """Split source into independently parseable pieces at top-level block starts (never inside a fence)."""
    if "]:" in source and _REF_DEF.search(source):
        # Reference links resolve across the whole document: parse it in one piece.
        yield 0, clean_lines(source.split("\n"))
        return
    current: list[str] = []
    start = 0
    size = 0
    limit = FIRST_CHUNK_CHARS
    fence: str | None = None
    previous_blank = False
    for number, line in enumerate(_lines(source)):
        # A non-indented line after a blank one, outside a fence, starts a top-level block: split there.
        if (
            fence is None
            and size >= limit
            and previous_blank
            and line[:1] not in ("", " ", "\t", ">", "|")
            and not _LIST_START.match(line)
        ):
            yield start, clean_lines(current)
            current = []
            start = number
            size = 0
            limit = CHUNK_CHARS
        match = _FENCE.match(line)
        if match:
            mark = match.group(1)
            if fence is None:
                fence = mark
            elif mark[0] == fence[0] and len(mark) >= len(fence) and not line.strip().strip(mark[0]):
                fence = None
        current.append(line)
        size += len(line) + 1
        previous_blank = not line.strip()
    if current:
        yield start, clean_lines(current)


def clean_lines(lines: list[str]) -> str:
    """Cap quote depth and table length in a run of source lines."""
    out: list[str] = []
    table_rows = 0
    dropped = 0
    for line in lines:
        stripped = line.lstrip()
        if len(line) - len(stripped) > MAX_INDENT:
            line = " " * MAX_INDENT + stripped
        prefix = _CONTAINER_PREFIX.match(line) if stripped[:1] in _MARKER_STARTS else None
        if prefix and prefix.end() > MAX_CONTAINER_MARKERS:
            markers = _ONE_MARKER.findall(prefix.group(0))
            if len(markers) > MAX_CONTAINER_MARKERS:
                line = "".join(markers[:MAX_CONTAINER_MARKERS]) + line[prefix.end() :]
        if stripped.startswith("|"):
            table_rows += 1
            if table_rows > MAX_TABLE_ROWS + 2:
                dropped += 1
                continue
        else:
            if dropped:
                out.append("")
                out.append(f"{NOTICE}{dropped}")
                out.append("")
                dropped = 0
            table_rows = 0
        out.append(line)
    if dropped:
        out.extend(["", f"{NOTICE}{dropped}"])
    return sanitize("\n".join(out))
