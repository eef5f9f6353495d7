"""The reading pane's look: its component styles, and laid-out lines drawn as strips with them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from termreader.ui.markdown_lines import Line
from termreader.ui.reader_search import LineMatch

COMPONENT_NAMES: Final = (
    "text",
    "em",
    "strong",
    "strike",
    "code",
    "link",
    "link-focused",
    "quote",
    "quote-bar",
    "list-marker",
    "image",
    "notice",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "h1-rule",
    "h2-rule",
    "th",
    "table-border",
    "code-block",
    "code-lang",
    "code-wrap",
    "header-title",
    "header-meta",
    "header-url",
    "find-match",
    "find-current",
)
"""Style names of laid-out runs; the reader styles each as its `reader--<name>` component class."""

READER_CSS: Final = """
ReaderView {
    overflow-x: hidden;
    overflow-y: auto;
    /* Space for the scrollbar is kept even when it is hidden, so the body width never flips with it. */
    scrollbar-gutter: stable;
    background: $background;
    color: $foreground;
    & > .reader--text { }
    & > .reader--em { text-style: italic; }
    & > .reader--strong { text-style: bold; }
    & > .reader--strike { text-style: strike; }
    & > .reader--code { color: $text-accent; background: $surface; }
    & > .reader--link { color: $text-primary; text-style: underline; }
    & > .reader--link-focused {
        color: $foreground; background: $primary-muted; text-style: bold underline;
    }
    & > .reader--quote { color: $text-muted; text-style: italic; }
    & > .reader--quote-bar { color: $secondary; }
    & > .reader--list-marker { color: $accent; }
    & > .reader--image { color: $text-secondary; text-style: underline; }
    & > .reader--notice { color: $text-muted; text-style: italic; }
    & > .reader--hr { color: $text-muted; }
    & > .reader--h1 { color: $text-primary; text-style: bold; }
    & > .reader--h2 { color: $text-primary; text-style: bold; }
    & > .reader--h3 { color: $text-secondary; text-style: bold; }
    & > .reader--h4 { color: $text-secondary; text-style: bold italic; }
    & > .reader--h5 { color: $foreground; text-style: bold; }
    & > .reader--h6 { color: $text-muted; text-style: bold; }
    & > .reader--h1-rule { color: $primary; }
    & > .reader--h2-rule { color: $text-muted; }
    & > .reader--th { text-style: bold; }
    & > .reader--table-border { color: $text-muted; }
    & > .reader--code-block { color: $foreground; background: $surface; }
    & > .reader--code-lang { color: $text-muted; background: $surface; text-style: italic; }
    & > .reader--code-wrap { color: $text-muted; background: $surface; }
    & > .reader--header-title { color: $text-accent; text-style: bold; }
    & > .reader--header-meta { color: $text-muted; }
    & > .reader--header-url { color: $text-muted; text-style: italic; }
    & > .reader--find-match { background: $warning-muted; }
    & > .reader--find-current { color: $background; background: $warning; text-style: bold; }
}
"""
"""The reading pane's DEFAULT_CSS: theme variables only, one rule per component class."""

_RENAMED: Final = {"s": "strike"}


class LinePainter:
    """Turns laid-out lines into strips, caching the Rich style of each (style names, focused) pair.

    The widget supplies its styles through two callables, so painting can run (and be tested) without an app.
    """

    __slots__ = ("_base_style", "_component_style", "_styles")

    def __init__(self, base_style: Callable[[], Style], component_style: Callable[[str], Style]) -> None:
        self._base_style = base_style
        self._component_style = component_style
        self._styles: dict[tuple[str, bool], Style] = {}

    def clear(self) -> None:
        """Forget the cached styles (the CSS or the theme changed)."""
        self._styles.clear()

    def base(self) -> Style:
        """The widget's own style, under every run."""
        # Widget.rich_style walks the ancestors' styles on every call; it only changes with the CSS.
        style = self._styles.get(("", False))
        if style is None:
            style = self._styles[("", False)] = self._base_style()
        return style

    def style(self, name: str, focused: bool) -> Style:
        """The style of a run whose style name is `name` (space-separated names combine)."""
        key = (name, focused)
        style = self._styles.get(key)
        if style is None:
            style = self.base()
            for part in name.split(" "):
                part = _RENAMED.get(part, part)
                style += self._component_style(f"reader--{part}")
            if focused:
                style += self._component_style("reader--link-focused")
            self._styles[key] = style
        return style

    def paint(
        self,
        line: Line | None,
        width: int,
        *,
        margin: int,
        focused_link: int | None,
        matches: Sequence[LineMatch],
        current_match: int,
    ) -> Strip:
        """One line `width` cells wide, indented by `margin`; None draws a blank line."""
        base = self.base()
        if line is None:
            return Strip.blank(width, base)
        segments = [Segment(" " * margin, base)] if margin else []
        position = 0
        for text, style_name, link in line:
            focused = link is not None and link == focused_link
            style = self.style(style_name, focused)
            end = position + len(text)
            if not matches:
                segments.append(Segment(text, style))
            else:
                segments.extend(self._highlight(text, style, position, end, matches, current_match))
            position = end
        return Strip(segments).adjust_cell_length(width, base)

    def _highlight(
        self, text: str, style: Style, start: int, end: int, matches: Sequence[LineMatch], current: int
    ) -> list[Segment]:
        """Split one run at find-match boundaries (match offsets are in line characters)."""
        pieces: list[Segment] = []
        cursor = start
        for match_start, match_end, number in matches:
            lo, hi = max(match_start, cursor), min(match_end, end)
            if lo >= hi:
                continue
            if lo > cursor:
                pieces.append(Segment(text[cursor - start : lo - start], style))
            name = "find-current" if number == current else "find-match"
            pieces.append(Segment(text[lo - start : hi - start], style + self.style(name, False)))
            cursor = hi
        if cursor < end:
            pieces.append(Segment(text[cursor - start :], style))
        return pieces
