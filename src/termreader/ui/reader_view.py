"""The reading pane: a virtualised view that draws only visible lines of an article laid out progressively."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import ClassVar, Final

from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from termreader.models import Article
from termreader.ui.collector import hold_until_painted
from termreader.ui.markdown_lines import Document, HeadingEntry, Layout, LinkEntry
from termreader.ui.reader_document import article_document
from termreader.ui.reader_links import LinkCursor, link_at, resolve_link
from termreader.ui.reader_position import line_at_place, line_at_source_fraction, place_at, reading_fraction
from termreader.ui.reader_search import ArticleSearch
from termreader.ui.reader_styles import COMPONENT_NAMES, READER_CSS, LinePainter

MIN_WIDTH: Final = 20
"""Narrowest body, even in a tiny pane (the view then scrolls sideways)."""
SYNC_LAYOUT_CHARS: Final = 20_000
"""Articles up to this much Markdown (about 3,000 words, 15–25 ms of layout) are laid out in one go."""
STEP_SECONDS: Final = 0.008
"""Layout work done between yields to the event loop, so keys and scrolling stay responsive."""


class ReaderView(ScrollView, can_focus=True):
    """An article body drawn line by line from a layout, so any length opens at once.

    Keys: Tab/Shift-Tab move between links (only when the article has links, else the app handles them),
    Enter opens the focused link, `f` or Ctrl-F asks the app for a find box (FindRequested), `n`/`N` go to
    the next/previous match, Space/PageDown/PageUp/Home/End/j/k/g/G/Ctrl-D/Ctrl-U scroll.
    """

    ALLOW_SELECT = False
    """Mouse selection is not drawn by this line-API view; links and find cover what readers need."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {f"reader--{name}" for name in COMPONENT_NAMES}

    DEFAULT_CSS = READER_CSS

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
        self._painter = LinePainter(
            lambda: self.rich_style, lambda name: self.get_component_rich_style(name, partial=True)
        )
        self._links = LinkCursor()
        self._search = ArticleSearch()
        self._generation = 0
        self._pending: tuple[Document, float] | None = None
        self._ready = False
        """Set in on_mount (is_mounted only turns true after the Mount handlers have run)."""
        self._width_check_pending = False

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
        if self._layout is None or self._links.focused is None:
            return None
        return self._layout.links()[self._links.focused]

    def show_article(self, article: Article, *, position: float = 0.0) -> None:
        """Show an article with its header, the first screen at once and the rest progressively."""
        hold_until_painted(self)  # a full collection set off by a long article runs after its first screen
        self._base_url = article.canonical_url or article.url
        self._start(article_document(article), position)

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
        if self._layout is None:
            return 0.0
        return reading_fraction(self._layout, self.scroll_y, self.scrollable_content_region.height)

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
        search = self._search
        search.start(text)
        if self._layout is not None:
            search.scan(self._layout.lines)
        if search.matches:
            self._show_match(search.select(search.first_from(round(self.scroll_y))))
        self._invalidate()
        self.refresh_bindings()
        return search.count

    def find_next(self) -> None:
        """Go to the next match, wrapping at the end."""
        self._show_match(self._search.next())

    def find_previous(self) -> None:
        """Go to the previous match, wrapping at the start."""
        self._show_match(self._search.previous())

    @property
    def match_count(self) -> int:
        """Find matches so far."""
        return self._search.count

    # -- actions --

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Returning False lets the key fall through to the app (Tab to the next pane, Enter elsewhere).
        if action in ("next_link", "previous_link"):
            return bool(self._layout and self._layout.document.links)
        if action == "open_link":
            return self._links.focused is not None
        if action in ("find_next", "find_previous"):
            return bool(self._search.matches)
        return True

    def action_next_link(self) -> None:
        self._move_link(1)

    def action_previous_link(self) -> None:
        self._move_link(-1)

    def action_open_link(self) -> None:
        link = self.focused_link
        if link is not None:
            self.post_message(self.LinkActivated(resolve_link(self._base_url, link.url)))

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
        link = link_at(self._layout.lines[y], column)
        if link is not None:
            event.stop()
            self._focus_link(link)
            url = self._layout.document.links[link][0]
            self.post_message(self.LinkActivated(resolve_link(self._base_url, url)))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._painter.clear()
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
        layout = self._layout
        line = layout.lines[index] if layout is not None and index < len(layout.lines) else None
        return self._painter.paint(
            line,
            width,
            margin=self._margin() if line is not None else 0,
            focused_link=self._links.focused,
            matches=self._search.on_line(index),
            current_match=self._search.current,
        )

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
        self._links.clear()
        self._search.clear()

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
        line = line_at_source_fraction(layout, fraction)
        layout.ensure_lines(line + self.size.height + 2)
        self._update_virtual_size()
        self.scroll_to(y=line, animate=False, force=True)

    def _relayout_keeping_place(self) -> None:
        old = self._layout
        if old is None or self._document is None:
            return
        block, within = place_at(old, round(self.scroll_y))
        self._generation += 1
        self._cache.clear()
        layout = self._layout = Layout(self._document, self._content_width())
        line = line_at_place(layout, block, within)
        layout.ensure_lines(line + self.size.height + 2)
        self._links.keep_within(len(layout.link_lines))
        self._search.rescan(layout.lines)
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
            self._search.scan(layout.lines)
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

    def _move_link(self, direction: int) -> None:
        layout = self._layout
        if layout is None or not layout.document.links:
            return
        target = self._links.target(layout, direction, round(self.scroll_y), self.size.height)
        self._update_virtual_size()
        if target is not None:
            self._focus_link(target)

    def _focus_link(self, index: int) -> None:
        layout = self._layout
        if layout is None:
            return
        self._links.focused = index
        first, last = layout.link_lines[index]
        self._scroll_into_view(first, last)
        self._invalidate()
        self.refresh_bindings()  # Enter ("Open link") becomes available in the footer

    def _show_match(self, line: int | None) -> None:
        if line is not None:
            self._scroll_into_view(line, line)
            self._invalidate()

    def _scroll_into_view(self, first: int, last: int) -> None:
        height = self.scrollable_content_region.height or self.size.height
        top = round(self.scroll_y)
        if first < top or last >= top + height:
            self.scroll_to(y=max(0, first - height // 3), animate=False, force=True)
