"""The reading pane: a virtualised view that draws only visible lines of an article laid out progressively."""

from __future__ import annotations

import asyncio
import math
import re
import time
from dataclasses import dataclass
from typing import ClassVar, Final

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from termreader.models import WORDS_PER_MINUTE, Article
from termreader.textutil import absolute_url
from termreader.ui.markdown_lines import (
    Document,
    HeadingEntry,
    Layout,
    Line,
    LinkEntry,
    article_header,
    line_text,
)

MIN_WIDTH: Final = 20
"""Narrowest body, even in a tiny pane (the view then scrolls sideways)."""
SYNC_LAYOUT_CHARS: Final = 20_000
"""Articles up to this much Markdown (about 3,000 words, 15–25 ms of layout) are laid out in one go."""
STEP_SECONDS: Final = 0.008
"""Layout work done between yields to the event loop, so keys and scrolling stay responsive."""

_COMPONENT_NAMES: Final = (
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
_RENAMED: Final = {"s": "strike"}


class ReaderView(ScrollView, can_focus=True):
    """An article body drawn line by line from a layout, so any length opens at once.

    Keys: Tab/Shift-Tab move between links (only when the article has links, else the app handles them),
    Enter opens the focused link, `f` or Ctrl-F asks the app for a find box (FindRequested), `n`/`N` go to
    the next/previous match, Space/PageDown/PageUp/Home/End/j/k/g/G/Ctrl-D/Ctrl-U scroll.
    """

    ALLOW_SELECT = False
    """Mouse selection is not drawn by this line-API view; links and find cover what readers need."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {f"reader--{name}" for name in _COMPONENT_NAMES}

    DEFAULT_CSS = """
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

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "next_link", "Next link", show=False),
        Binding("shift+tab", "previous_link", "Previous link", show=False),
        Binding("enter", "open_link", "Open link"),
        Binding("f,ctrl+f", "request_find", "Find"),
        Binding("n", "find_next", "Next match", show=False),
        Binding("N", "find_previous", "Previous match", show=False),
        Binding("space", "page_down", "Page down", show=False),
        Binding("j", "scroll_down", "Down", show=False),
        Binding("k", "scroll_up", "Up", show=False),
        Binding("g", "scroll_home", "Top", show=False),
        Binding("G", "scroll_end", "Bottom", show=False),
        Binding("ctrl+d", "half_page(1)", "Half page down", show=False),
        Binding("ctrl+u", "half_page(-1)", "Half page up", show=False),
    ]

    @dataclass
    class LinkActivated(Message):
        """Enter on the focused link, or a click on a link."""

        url: str

    @dataclass
    class FindRequested(Message):
        """The user pressed `f`/Ctrl-F: the app should show its find input and call `find()`."""

    @dataclass
    class LayoutCompleted(Message):
        """The whole article is laid out: headings, links and find now cover all of it."""

        lines: int

    def __init__(
        self,
        reader_width: int = 80,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._reader_width = max(MIN_WIDTH, reader_width)
        self._document: Document | None = None
        self._layout: Layout | None = None
        self._base_url: str | None = None
        self._cache: LRUCache[int, Strip] = LRUCache(1024)
        self._styles: dict[tuple[str, bool], Style] = {}
        self._focused_link: int | None = None
        self._find: re.Pattern[str] | None = None
        self._matches: list[tuple[int, int, int]] = []
        self._match_lines: dict[int, list[tuple[int, int, int]]] = {}
        self._current_match = -1
        self._searched = 0
        self._generation = 0
        self._pending: tuple[Document, float] | None = None
        self._ready = False
        self._width_check_pending = False
        """Set in on_mount (is_mounted only turns true after the Mount handlers have run)."""

    # -- public API --

    @property
    def reader_width(self) -> int:
        """Columns of the body (it is centred when the pane is wider)."""
        return self._reader_width

    @reader_width.setter
    def reader_width(self, value: int) -> None:
        self._reader_width = max(MIN_WIDTH, value)
        self._relayout_keeping_place()

    @property
    def layout_complete(self) -> bool:
        """True once every block is laid out (or nothing is shown)."""
        return self._layout is None or self._layout.complete

    @property
    def line_count(self) -> int:
        """Lines laid out so far, header included."""
        return len(self._layout.lines) if self._layout else 0

    @property
    def focused_link(self) -> LinkEntry | None:
        """The link Tab moved to (Enter opens it), if any."""
        if self._layout is None or self._focused_link is None:
            return None
        return self._layout.links()[self._focused_link]

    def show_article(self, article: Article, *, position: float = 0.0) -> None:
        """Show an article with its header, the first screen at once and the rest progressively."""
        header = article_header(
            article.title,
            byline=article.byline,
            published=article.published,
            site_name=article.site_name,
            reading_minutes=_reading_minutes(article),
            url=article.url,
        )
        self._base_url = article.canonical_url or article.url
        self._start(Document(article.markdown, header), position)

    def show_message(self, text: str) -> None:
        """Show plain text (a loading note, an error) instead of an article."""
        self._base_url = None
        self._start(Document.from_text(text), 0.0)

    def clear(self) -> None:
        """Show nothing."""
        self._generation += 1
        self._document = None
        self._layout = None
        self._reset_state()
        self.virtual_size = Size(0, 0)
        self.scroll_to(0, 0, animate=False, force=True)
        self.refresh()

    @property
    def reading_position(self) -> float:
        """How far through the article the top of the view is, from 0 to 1."""
        layout = self._layout
        if layout is None or not layout.lines:
            return 0.0
        if layout.complete:
            span = max(0, len(layout.lines) - self.scrollable_content_region.height)
            return min(1.0, self.scroll_y / span) if span else 0.0
        block = layout.document.blocks[layout.block_at_line(round(self.scroll_y))]
        return min(1.0, block.source_line / max(1, layout.document.source_lines))

    @reading_position.setter
    def reading_position(self, value: float) -> None:
        self._scroll_to_fraction(min(1.0, max(0.0, value)))

    def headings(self) -> list[HeadingEntry]:
        """Headings laid out so far (all of them once layout is complete)."""
        return list(self._layout.headings) if self._layout else []

    def links(self) -> list[LinkEntry]:
        """Links laid out so far, in document order."""
        return self._layout.links() if self._layout else []

    def jump_to_line(self, line: int) -> None:
        """Scroll so `line` is at the top."""
        if self._layout is None:
            return
        self._layout.ensure_lines(line + self.size.height + 1)
        self._update_virtual_size()
        self.scroll_to(y=max(0, line), animate=False, force=True)

    def find(self, text: str) -> int:
        """Highlight every case-insensitive match of `text`; scroll to the first one after the top line.

        Returns the matches in what is laid out so far (everything once `layout_complete`); matches in the
        rest are added as layout proceeds, and `match_count` is final when LayoutCompleted is posted.
        """
        self._find = re.compile(re.escape(text), re.IGNORECASE) if text else None
        self._matches = []
        self._match_lines = {}
        self._current_match = -1
        self._searched = 0
        self._search_new_lines()
        if self._matches:
            top = round(self.scroll_y)
            after = [i for i, m in enumerate(self._matches) if m[0] >= top]
            self._select_match(after[0] if after else 0)
        self._invalidate()
        self.refresh_bindings()
        return len(self._matches)

    def find_next(self) -> None:
        """Go to the next match, wrapping at the end."""
        if self._matches:
            self._select_match((self._current_match + 1) % len(self._matches))

    def find_previous(self) -> None:
        """Go to the previous match, wrapping at the start."""
        if self._matches:
            self._select_match((self._current_match - 1) % len(self._matches))

    @property
    def match_count(self) -> int:
        """Find matches so far."""
        return len(self._matches)

    # -- actions --

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Returning False lets the key fall through to the app (Tab to the next pane, Enter elsewhere).
        if action in ("next_link", "previous_link"):
            return bool(self._layout and self._layout.document.links)
        if action == "open_link":
            return self._focused_link is not None
        if action in ("find_next", "find_previous"):
            return bool(self._matches)
        return True

    def action_next_link(self) -> None:
        self._move_link(1)

    def action_previous_link(self) -> None:
        self._move_link(-1)

    def action_open_link(self) -> None:
        link = self.focused_link
        if link is not None:
            self.post_message(self.LinkActivated(self._resolve(link.url)))

    def action_request_find(self) -> None:
        self.post_message(self.FindRequested())

    def action_find_next(self) -> None:
        self.find_next()

    def action_find_previous(self) -> None:
        self.find_previous()

    def action_half_page(self, direction: int) -> None:
        step = max(1, self.scrollable_content_region.height // 2)
        self.scroll_to(y=self.scroll_y + direction * step, animate=False)

    # -- events --

    def on_resize(self, event: events.Resize) -> None:
        if self._layout is not None and self._layout.width != self._content_width():
            self._relayout_keeping_place()
        else:
            self._invalidate()

    def _width_changed(self) -> None:
        self._width_check_pending = False
        if self._layout is not None and self._layout.width != self._content_width():
            self._relayout_keeping_place()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or self._layout is None:
            return
        y = round(self.scroll_y) + offset.y
        if y >= len(self._layout.lines):
            return
        column = offset.x + round(self.scroll_x) - self._margin()
        link = _link_at(self._layout.lines[y], column)
        if link is not None:
            event.stop()
            self._focus_link(link)
            self.post_message(self.LinkActivated(self._resolve(self._layout.document.links[link][0])))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._cache.clear()

    # -- rendering --

    def render_line(self, y: int) -> Strip:
        index = round(self.scroll_y) + y
        width = self.scrollable_content_region.width
        # A scrollbar appearing narrows the region without a Resize event: re-lay out when the body
        # would no longer fit.
        layout = self._layout
        if (
            y == 0
            and layout is not None
            and not self._width_check_pending
            and layout.width != self._content_width()
        ):
            self._width_check_pending = True
            self.call_later(self._width_changed)
        strip = self._cache.get(index)
        if strip is None or strip.cell_length != width:
            strip = self._render_strip(index, width)
            self._cache[index] = strip
        # No apply_offsets(): that meta only serves text selection, which this view turns off, and it
        # cost a third of the drawing time.
        return strip

    def _render_strip(self, index: int, width: int) -> Strip:
        base = self._base_style()
        layout = self._layout
        if layout is None or index >= len(layout.lines):
            return Strip.blank(width, base)
        margin = self._margin()
        segments = [Segment(" " * margin, base)] if margin else []
        matches = self._match_lines.get(index, ())
        position = 0
        for text, style_name, link in layout.lines[index]:
            focused = link is not None and link == self._focused_link
            style = self._style(style_name, focused)
            end = position + len(text)
            if not matches:
                segments.append(Segment(text, style))
            else:
                segments.extend(self._highlight(text, style, position, end, matches))
            position = end
        return Strip(segments).adjust_cell_length(width, base)

    def _highlight(
        self, text: str, style: Style, start: int, end: int, matches: list[tuple[int, int, int]]
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
            name = "find-current" if number == self._current_match else "find-match"
            pieces.append(Segment(text[lo - start : hi - start], style + self._style(name, False)))
            cursor = hi
        if cursor < end:
            pieces.append(Segment(text[cursor - start :], style))
        return pieces

    def _base_style(self) -> Style:
        # Widget.rich_style walks the ancestors' styles on every call; it only changes with the CSS.
        style = self._styles.get(("", False))
        if style is None:
            style = self._styles[("", False)] = self.rich_style
        return style

    def _style(self, name: str, focused: bool) -> Style:
        key = (name, focused)
        style = self._styles.get(key)
        if style is None:
            style = self._base_style()
            for part in name.split(" "):
                part = _RENAMED.get(part, part)
                style += self.get_component_rich_style(f"reader--{part}", partial=True)
            if focused:
                style += self.get_component_rich_style("reader--link-focused", partial=True)
            self._styles[key] = style
        return style

    # -- layout management --

    def _content_width(self) -> int:
        width = self.scrollable_content_region.width or self.size.width
        if width <= 0:
            return self._reader_width
        return max(MIN_WIDTH, min(self._reader_width, width - 2))

    def _margin(self) -> int:
        width = self.scrollable_content_region.width
        layout_width = self._layout.width if self._layout else self._reader_width
        return max(0, (width - layout_width) // 2)

    def _reset_state(self) -> None:
        self._cache.clear()
        self._focused_link = None
        self._find = None
        self._matches = []
        self._match_lines = {}
        self._current_match = -1
        self._searched = 0

    def on_mount(self) -> None:
        # Textual also runs ScrollView.on_mount (handlers are called along the class hierarchy).
        self._ready = True
        if self._pending is not None:
            document, position = self._pending
            self._pending = None
            self._start(document, position)

    def _start(self, document: Document, position: float) -> None:
        if not self._ready:
            # Called before the view is on screen: start when it is mounted and has a size.
            self._pending = (document, position)
            return
        self._generation += 1
        self._document = document
        self._reset_state()
        self.refresh_bindings()
        self._layout = Layout(document, self._content_width())
        self.scroll_to(0, 0, animate=False, force=True)
        if document.source_chars <= SYNC_LAYOUT_CHARS:
            # A typical post is laid out whole at once: its scrollbar, headings and links are final at once.
            self._layout.finish()
        if position > 0:
            self._scroll_to_fraction(position)
        else:
            self._layout.ensure_lines(self.size.height + 2 or 60)
            self._update_virtual_size()
        self._continue_in_background()

    def _scroll_to_fraction(self, fraction: float) -> None:
        layout = self._layout
        if layout is None:
            return
        if layout.complete:
            self._update_virtual_size()
            span = max(0, len(layout.lines) - self.scrollable_content_region.height)
            self.scroll_to(y=round(fraction * span), animate=False, force=True)
            return
        target = fraction * layout.document.source_lines
        # Lay out (synchronously) up to the block at that point of the source, then go there.
        while not layout.complete:
            blocks = layout.document.blocks
            done = len(layout.block_starts)
            if done and blocks[done - 1].source_line >= target:
                break
            layout.step(50)
        line = layout.block_starts[layout.block_at_line(len(layout.lines))] if layout.block_starts else 0
        for b, block in enumerate(layout.document.blocks[: len(layout.block_starts)]):
            if block.source_line >= target:
                line = layout.block_starts[b] + (1 if block.gap else 0)
                break
        layout.ensure_lines(line + self.size.height + 2)
        self._update_virtual_size()
        self.scroll_to(y=line, animate=False, force=True)

    def _relayout_keeping_place(self) -> None:
        old = self._layout
        if old is None or self._document is None:
            return
        top = round(self.scroll_y)
        block = old.block_at_line(top)
        starts = old.block_starts
        height = (
            (starts[block + 1] if block + 1 < len(starts) else len(old.lines)) - starts[block]
            if starts
            else 1
        )
        within = (top - starts[block]) / max(1, height) if starts else 0.0
        find = self._find
        focused = self._focused_link
        self._generation += 1
        self._cache.clear()
        layout = self._layout = Layout(self._document, self._content_width())
        layout.ensure_block(block + 1)
        line = 0
        if block < len(layout.block_starts):
            new_starts = layout.block_starts
            end = new_starts[block + 1] if block + 1 < len(new_starts) else len(layout.lines)
            line = new_starts[block] + round(within * (end - new_starts[block]))
        layout.ensure_lines(line + self.size.height + 2)
        self._focused_link = focused if focused is not None and focused < len(layout.link_lines) else None
        self._matches, self._match_lines, self._searched = [], {}, 0
        self._find = find
        self._search_new_lines()
        self._current_match = min(self._current_match, len(self._matches) - 1)
        self._update_virtual_size()
        self.scroll_to(y=line, animate=False, force=True)
        self._continue_in_background()

    def _continue_in_background(self) -> None:
        # Start after the next refresh: the first screen is painted before any background slice runs.
        self.call_after_refresh(self._start_worker, self._generation)

    def _start_worker(self, generation: int) -> None:
        if generation != self._generation or self._layout is None:
            return
        if not self._layout.complete:
            self.run_worker(
                self._lay_out_rest(generation),
                exclusive=True,
                group="reader-layout",
                exit_on_error=False,
            )
        else:
            self.post_message(self.LayoutCompleted(len(self._layout.lines)))

    async def _lay_out_rest(self, generation: int) -> None:
        """Lay out the rest in short slices, yielding to the event loop between them."""
        layout = self._layout
        while layout is not None and not layout.complete and generation == self._generation:
            deadline = time.perf_counter() + STEP_SECONDS
            while not layout.complete and time.perf_counter() < deadline:
                layout.step(20)
            self._search_new_lines()
            self._update_virtual_size()
            await asyncio.sleep(0)
        if layout is not None and generation == self._generation:
            self.post_message(self.LayoutCompleted(len(layout.lines)))

    def _update_virtual_size(self) -> None:
        layout = self._layout
        lines = len(layout.lines) if layout else 0
        width = layout.width if layout else 0
        size = Size(width, lines)
        old = self.virtual_size
        if size != old:
            self.virtual_size = size
            # Lines appended below the view need no repaint (the scrollbar updates itself).
            if old.height < round(self.scroll_y) + self.size.height or size.width != old.width:
                self.refresh()

    def _invalidate(self) -> None:
        self._cache.clear()
        self.refresh()

    # -- links and find --

    def _resolve(self, url: str) -> str:
        return absolute_url(self._base_url, url) or url

    def _move_link(self, direction: int) -> None:
        layout = self._layout
        if layout is None or not layout.document.links:
            return
        current = self._focused_link
        if current is None:
            top = round(self.scroll_y)
            if direction > 0:
                layout.ensure_lines(top + self.size.height)
                candidates = [i for i, (first, _) in enumerate(layout.link_lines) if first >= top]
                target = candidates[0] if candidates else 0
            else:
                bottom = top + self.size.height
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
        self._update_virtual_size()
        if 0 <= target < len(layout.link_lines):
            self._focus_link(target)

    def _focus_link(self, index: int) -> None:
        layout = self._layout
        if layout is None:
            return
        self._focused_link = index
        first, last = layout.link_lines[index]
        self._scroll_into_view(first, last)
        self._invalidate()
        self.refresh_bindings()  # Enter ("Open link") becomes available in the footer

    def _scroll_into_view(self, first: int, last: int) -> None:
        height = self.scrollable_content_region.height or self.size.height
        top = round(self.scroll_y)
        if first < top or last >= top + height:
            self.scroll_to(y=max(0, first - height // 3), animate=False, force=True)

    def _search_new_lines(self) -> None:
        layout = self._layout
        pattern = self._find
        if layout is None or pattern is None:
            return
        lines = layout.lines
        for y in range(self._searched, len(lines)):
            text = line_text(lines[y])
            for match in pattern.finditer(text):
                number = len(self._matches)
                self._matches.append((y, match.start(), match.end()))
                self._match_lines.setdefault(y, []).append((match.start(), match.end(), number))
        self._searched = len(lines)

    def _select_match(self, number: int) -> None:
        self._current_match = number
        line, _, _ = self._matches[number]
        self._scroll_into_view(line, line)
        self._invalidate()


def _reading_minutes(article: Article) -> int:
    """The article's own estimate, or one from a cheap word estimate when extraction did not count words."""
    if article.word_count > 0 or not article.markdown.strip():
        return article.reading_minutes
    # Counting spaces and newlines runs at C speed (about 2 ms for 200k words); a regex count takes 50 ms.
    words = article.markdown.count(" ") + article.markdown.count("\n") + 1
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def _link_at(line: Line, column: int) -> int | None:
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
