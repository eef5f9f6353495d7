"""Find in an article: the matches of one text over laid-out lines, searched as more lines are laid out."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from termreader.ui.markdown_lines import Line, line_text

Match = tuple[int, int, int]
"""(line, start, end) of one match; offsets are characters of the line's text."""
LineMatch = tuple[int, int, int]
"""(start, end, number) of a match on one line; `number` is its place among all matches."""

_NO_MATCHES: Final[tuple[LineMatch, ...]] = ()


class ArticleSearch:
    """Case-insensitive matches of a find text and the selected one, kept apart from the widget drawing them.

    Lines are searched incrementally (`scan`), so a long article's matches grow while it is laid out in the
    background instead of the whole text being searched at once.
    """

    __slots__ = ("_by_line", "_pattern", "_searched", "current", "matches")

    def __init__(self) -> None:
        self._pattern: re.Pattern[str] | None = None
        self.matches: list[Match] = []
        """Every match found so far, in document order."""
        self._by_line: dict[int, list[LineMatch]] = {}
        self.current = -1
        """Number of the selected match (drawn differently), or -1 before one is selected."""
        self._searched = 0

    @property
    def count(self) -> int:
        """Matches found so far."""
        return len(self.matches)

    def start(self, text: str) -> None:
        """Search for `text` from scratch; an empty text stops searching."""
        self._pattern = re.compile(re.escape(text), re.IGNORECASE) if text else None
        self._forget_matches()
        self.current = -1

    def clear(self) -> None:
        """Stop searching (a new article was shown)."""
        self.start("")

    def rescan(self, lines: Sequence[Line]) -> None:
        """Search lines laid out anew (at another width), keeping the current match if it still exists."""
        self._forget_matches()
        self.scan(lines)
        self.current = min(self.current, len(self.matches) - 1)

    def scan(self, lines: Sequence[Line]) -> None:
        """Search the lines added since the last scan."""
        pattern = self._pattern
        if pattern is None:
            return
        for y in range(self._searched, len(lines)):
            text = line_text(lines[y])
            for match in pattern.finditer(text):
                number = len(self.matches)
                self.matches.append((y, match.start(), match.end()))
                self._by_line.setdefault(y, []).append((match.start(), match.end(), number))
        self._searched = len(lines)

    def on_line(self, y: int) -> Sequence[LineMatch]:
        """The matches on line `y`, in order."""
        return self._by_line.get(y, _NO_MATCHES)

    def first_from(self, top: int) -> int:
        """Number of the first match on or below line `top`, else of the first match (wrapping round)."""
        return next((i for i, match in enumerate(self.matches) if match[0] >= top), 0)

    def select(self, number: int) -> int:
        """Make match `number` the current one; returns its line."""
        self.current = number
        return self.matches[number][0]

    def next(self) -> int | None:
        """Select the next match, wrapping at the end; returns its line, or None when there are no matches."""
        if not self.matches:
            return None
        return self.select((self.current + 1) % len(self.matches))

    def previous(self) -> int | None:
        """Select the previous match, wrapping at the start; returns its line, or None when there are none."""
        if not self.matches:
            return None
        return self.select((self.current - 1) % len(self.matches))

    def _forget_matches(self) -> None:
        self.matches = []
        self._by_line = {}
        self._searched = 0
