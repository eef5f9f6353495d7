"""Styled runs, the lines made of them, and the text helpers every layout step shares."""

from __future__ import annotations

import re

from rich.cells import cell_len

from termreader.textutil import strip_unsafe

Run = tuple[str, str, int | None]
"""A piece of a line: literal text, a style name ("text", "h2", "em strong" …), a link index or None."""
Line = tuple[Run, ...]
Span = tuple[str, str, int | None]
"""Inline text before wrapping; same shape as a run."""

# Escape sequences are removed whole (not only their ESC byte), so no payload like "]52;c;…" is left as text.
_ESC_SEQ = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"  # CSI
    r"|\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)?"  # OSC, ended by BEL or ST
    r"|\x1b[PX^_][^\x1b\n]*(?:\x1b\\)?"  # DCS, SOS, PM, APC
    r"|\x1b[ -/]*[0-~]?"  # other two- or three-byte escapes
    r"|\x9b[0-?]*[ -/]*[@-~]?"  # 8-bit CSI
    r"|\x9d[^\x07\x9c\n]*[\x07\x9c]?"  # 8-bit OSC
)


def sanitize(text: str) -> str:
    """Text safe to draw: escape sequences dropped whole, control characters and bidi overrides removed."""
    if "\x1b" in text or "\x9b" in text or "\x9d" in text:
        text = _ESC_SEQ.sub("", text)
    return strip_unsafe(text.replace("\t", "    "))


def text_width(text: str) -> int:
    """Terminal cells taken by `text` (fast path for ASCII)."""
    return len(text) if text.isascii() else cell_len(text)


def merge_runs(runs: list[Run]) -> Line:
    """A line with neighbouring runs of the same style and link joined and empty runs dropped."""
    merged: list[Run] = []
    for run in runs:
        if merged and merged[-1][1] == run[1] and merged[-1][2] == run[2]:
            last = merged[-1]
            merged[-1] = (last[0] + run[0], last[1], last[2])
        elif run[0]:
            merged.append(run)
    return tuple(merged)


def chop(text: str, width: int) -> list[str]:
    """Cut text into pieces of at most `width` cells."""
    if text.isascii():
        return [text[i : i + width] for i in range(0, len(text), width)] or [""]
    pieces: list[str] = []
    current: list[str] = []
    used = 0
    for char in text:
        w = cell_len(char)
        if used + w > width and current:
            pieces.append("".join(current))
            current, used = [], 0
        current.append(char)
        used += w
    pieces.append("".join(current))
    return pieces


def line_text(line: Line) -> str:
    """The plain text of a laid-out line."""
    return "".join(run[0] for run in line)
