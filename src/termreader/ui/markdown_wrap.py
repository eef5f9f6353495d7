"""Greedy word wrap of styled spans into lines, with the prefixes lists and quotes give them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from termreader.ui.markdown_runs import Line, Run, Span, chop, merge_runs, text_width

MIN_TEXT_WIDTH: Final = 12
"""Narrowest wrap width, whatever the indentation."""

_WORDS = re.compile(r"\S+|\s+")


def wrap_spans(spans: Sequence[Span], width: int, first: Line = (), rest: Line = ()) -> list[Line]:
    """Greedy word wrap of styled spans; words longer than the width are cut."""
    first_width = sum(text_width(r[0]) for r in first)
    rest_width = sum(text_width(r[0]) for r in rest)
    lines: list[Line] = []
    current: list[Run] = list(first)
    avail = max(MIN_TEXT_WIDTH, width - first_width)
    used = 0
    pending_space: Run | None = None

    def newline() -> None:
        nonlocal current, used, avail, pending_space
        lines.append(merge_runs(current))
        current = list(rest)
        used = 0
        avail = max(MIN_TEXT_WIDTH, width - rest_width)
        pending_space = None

    # A "word" may be made of several spans ("**bold**," is two); it is placed as a whole.
    word: list[Run] = []
    word_width = 0

    def place_word() -> None:
        nonlocal used, word, word_width, pending_space
        if not word:
            return
        if used and used + 1 + word_width > avail:
            newline()
        if used and pending_space is not None:
            current.append(pending_space)
            used += 1
        if word_width <= avail - used:
            current.extend(word)
            used += word_width
        else:
            for text, style, link in word:
                for piece in chop(text, max(1, avail)):
                    piece_width = text_width(piece)
                    if used + piece_width > avail and used:
                        newline()
                    current.append((piece, style, link))
                    used += piece_width
        word = []
        word_width = 0
        pending_space = None

    for text, style, link in spans:
        if text == "\n":
            place_word()
            newline()
            continue
        for match in _WORDS.finditer(text):
            piece = match.group(0)
            if piece[0].isspace():
                place_word()
                if used:
                    pending_space = (" ", style, link)
            else:
                word.append((piece, style, link))
                word_width += text_width(piece)
    place_word()
    if used or not lines:
        lines.append(merge_runs(current))
    return lines
