"""Links in the reading pane: the focused one, where Tab and Shift-Tab go next, the one under a click."""

from __future__ import annotations

from rich.segment import Segment

from termreader.textutil import absolute_url
from termreader.ui.markdown_lines import Layout, Line


class LinkCursor:
    """Which link of a layout has focus, and which one Tab (1) or Shift-Tab (-1) moves to from there."""

    __slots__ = ("focused",)

    def __init__(self) -> None:
        self.focused: int | None = None
        """Index of the focused link (Enter opens it), or None."""

    def clear(self) -> None:
        """No link has focus."""
        self.focused = None

    def keep_within(self, count: int) -> None:
        """Drop the focus if the focused link is not among the first `count` links (after a re-layout)."""
        if self.focused is not None and self.focused >= count:
            self.focused = None

    def target(self, layout: Layout, direction: int, top: int, height: int) -> int | None:
        """The link to focus next, laying out more of `layout` when it lies further on; None if there is none.

        With no focused link, Tab goes to the first link on or below the view's `top` line and Shift-Tab to
        the last one above its bottom; both wrap round the article.
        """
        if not layout.document.links:
            return None
        current = self.focused
        if current is None:
            if direction > 0:
                layout.ensure_lines(top + height)
                candidates = [i for i, (first, _) in enumerate(layout.link_lines) if first >= top]
                target = candidates[0] if candidates else 0
            else:
                bottom = top + height
                candidates = [i for i, (_, last) in enumerate(layout.link_lines) if last < bottom]
                if not candidates:
                    layout.finish()
                target = candidates[-1] if candidates else len(layout.link_lines) - 1
        else:
            target = current + direction
            if target >= len(layout.link_lines):
                while not layout.complete and target >= len(layout.link_lines):
                    layout.step(50)
                if target >= len(layout.link_lines):
                    target = 0
            elif target < 0:
                layout.finish()
                target = len(layout.link_lines) - 1
        return target if 0 <= target < len(layout.link_lines) else None


def link_at(line: Line, column: int) -> int | None:
    """The link index under a column of a laid-out line."""
    if column < 0:
        return None
    position = 0
    for text, _, link in line:
        width = len(text) if text.isascii() else Segment(text).cell_length
        if position <= column < position + width:
            return link
        position += width
    return None


def resolve_link(base_url: str | None, url: str) -> str:
    """A link's absolute address, relative ones resolved against the article's own URL."""
    return absolute_url(base_url, url) or url
