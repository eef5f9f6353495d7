"""The bookmarks screen: saved articles newest first, search as you type, filters, edit, delete with undo."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import ClassVar, Final

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, OptionList, Select, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from termreader.bookmarks.store import Bookmark, BookmarkStore, SearchHit
from termreader.errors import TermreaderError
from termreader.models import Article
from termreader.ui.labels import safe

LIST_LIMIT: Final = 500
"""Newest bookmarks listed with no query: an OptionList of 100k rows costs seconds; search finds the rest."""
SEARCH_LIMIT: Final = 20
"""One screen of hits: snippet() re-tokenizes each body, so only what fits is ranked and shown."""
HIGHLIGHT: Final = "bold $text-accent"
META: Final = "$text-muted"


@dataclass(frozen=True, slots=True)
class Row:
    """One entry of the list: the bookmark and, for a search, its snippet with highlights."""

    bookmark: Bookmark
    snippet: str | None = None
    highlights: tuple[tuple[int, int], ...] = ()


def snippet_content(snippet: str, highlights: tuple[tuple[int, int], ...]) -> Content:
    """The snippet as literal text (never markup) with the matched terms styled."""
    segments: list[str | tuple[str, str]] = []
    last = 0
    for start, end in highlights:
        if start < last or end > len(snippet):
            continue
        if start > last:
            segments.append(_one_line(snippet[last:start]))
        segments.append((_one_line(snippet[start:end]), HIGHLIGHT))
        last = end
    segments.append(_one_line(snippet[last:]))
    return Content.assemble(*segments)


def _one_line(text: str) -> str:
    """Web text kept on one line with its edge spaces (safe() would trim them between pieces)."""
    lead = " " if text[:1].isspace() else ""
    tail = " " if text[-1:].isspace() and text.strip() else ""
    return lead + safe(text) + tail


def row_prompt(row: Row) -> Content:
    bookmark = row.bookmark
    title = Content.styled(safe(bookmark.title) or bookmark.url, "bold")
    meta = [bookmark.site or "", f"{bookmark.saved_at:%Y-%m-%d}"]
    meta += [f"#{tag}" for tag in bookmark.tags]
    if not bookmark.has_body:
        meta.append("link only")
    lines = [title, Content.styled(safe(" · ".join(m for m in meta if m)), META)]
    if row.snippet:
        lines.append(snippet_content(row.snippet, row.highlights))
    elif bookmark.note:
        lines.append(Content.styled(safe(bookmark.note), "italic"))
    return Content("\n").join(lines)


def _link_only_article(bookmark: Bookmark) -> Article:
    text = (
        "*This bookmark was saved as a link; its article has not been fetched yet.* "
        "Run `termreader bookmarks fetch` when online.\n\n"
        f"<{bookmark.url}>"
    )
    return Article(title=bookmark.title, markdown=text, url=bookmark.url, site_name=bookmark.site)


class EditBookmarkScreen(ModalScreen[tuple[tuple[str, ...], str] | None]):
    """Edit a bookmark's tags (comma-separated) and note; Enter saves, Esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    EditBookmarkScreen { align: center middle; }
    EditBookmarkScreen > #edit-dialog {
        width: 70; height: auto; padding: 1 2; border: round $accent; background: $surface;
    }
    EditBookmarkScreen Static { margin-top: 1; }
    """

    def __init__(self, bookmark: Bookmark) -> None:
        super().__init__()
        self.bookmark = bookmark

    def compose(self) -> ComposeResult:
        with Vertical(id="edit-dialog") as box:
            box.border_title = "Edit bookmark"
            box.border_subtitle = "Enter saves · Esc cancels"
            yield Static(Content.styled(safe(self.bookmark.title), "bold"))
            yield Static("Tags (comma-separated)")
            yield Input(", ".join(self.bookmark.tags), id="edit-tags")
            yield Static("Note")
            yield Input(self.bookmark.note, id="edit-note")

    @on(Input.Submitted)
    def _save(self) -> None:
        tags = tuple(t.strip() for t in self.query_one("#edit-tags", Input).value.split(",") if t.strip())
        self.dismiss((tags, self.query_one("#edit-note", Input).value))

    def action_cancel(self) -> None:
        self.dismiss(None)


class BookmarksScreen(Screen[None]):
    """Saved articles, offline: everything here reads the local store and never the network."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("slash", "focus_search", "Search"),
        Binding("down", "focus_list", "List", show=False),
        Binding("e", "edit", "Tags & note"),
        Binding("d", "delete", "Delete"),
        Binding("u", "undo", "Undo delete"),
    ]
    DEFAULT_CSS = """
    BookmarksScreen #bookmarks-bar { height: auto; }
    BookmarksScreen #bookmarks-search { width: 1fr; }
    BookmarksScreen #bookmarks-tag, BookmarksScreen #bookmarks-source { width: 26; }
    BookmarksScreen #bookmarks-status { height: 1; padding: 0 1; color: $text-muted; }
    BookmarksScreen #bookmarks-list { height: 1fr; }
    BookmarksScreen #bookmarks-list > .option-list--option { padding: 0 1; }
    """

    @dataclass
    class BookmarkOpened(Message):
        """The user chose a bookmark to read; the app shows `article` in the reader."""

        article: Article

    def __init__(self, store: BookmarkStore) -> None:
        super().__init__()
        self.store = store
        self.rows: list[Row] = []
        self.undo_stack: list[Bookmark] = []
        self.query_text = ""
        self.status = ""

    def compose(self) -> ComposeResult:
        with Horizontal(id="bookmarks-bar"):
            yield Input(placeholder='Search bookmarks (words, -word, "a phrase")', id="bookmarks-search")
            yield Select[str]([], prompt="All tags", id="bookmarks-tag")
            yield Select[str]([], prompt="All sources", id="bookmarks-source")
        yield Static("", id="bookmarks-status")
        yield OptionList(id="bookmarks-list")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#bookmarks-search", Input).focus()
        self._load_filters()
        self.refresh_rows()

    # --- loading --------------------------------------------------------------------------------

    def _filter(self, widget_id: str) -> str | None:
        value = self.query_one(widget_id, Select).value
        return value if isinstance(value, str) else None

    def refresh_rows(self) -> None:
        """Re-run the current query and filters (off the event loop)."""
        self._query(self.query_text, self._filter("#bookmarks-tag"), self._filter("#bookmarks-source"))

    @work(thread=True, exclusive=True, group="bookmark-search", exit_on_error=False, description="search")
    def _query(self, text: str, tag: str | None, source: str | None) -> None:
        worker = get_current_worker()
        try:
            if text.strip():
                hits: list[SearchHit] = self.store.search(text, tag=tag, source=source, limit=SEARCH_LIMIT)
                rows = [Row(h.bookmark, h.snippet, h.highlights) for h in hits]
                total = None
            else:
                rows = [Row(b) for b in self.store.list(tag=tag, source=source, limit=LIST_LIMIT)]
                total = self.store.count() if tag is None and source is None else None
        except TermreaderError as error:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._show_error, str(error))
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_rows, text, rows, total)

    @work(thread=True, group="bookmark-filters", exit_on_error=False, description="tags and sources")
    def _load_filters(self) -> None:
        try:
            tags, sources = self.store.tags(), self.store.sources()
        except TermreaderError as error:
            self.app.call_from_thread(self._show_error, str(error))
            return
        self.app.call_from_thread(self._set_filters, tags, sources)

    def _set_filters(self, tags: list[tuple[str, int]], sources: list[tuple[str, int]]) -> None:
        for widget_id, entries in (("#bookmarks-tag", tags), ("#bookmarks-source", sources)):
            select = self.query_one(widget_id, Select)
            current = select.value
            options = [(Content(f"{safe(name)} ({count})"), name) for name, count in entries]
            with select.prevent(Select.Changed):
                select.set_options(options)
                if isinstance(current, str) and current in {name for name, _ in entries}:
                    select.value = current

    def _show_rows(self, text: str, rows: list[Row], total: int | None) -> None:
        if text != self.query_text:
            return  # an older query finished after a newer one was typed
        self.rows = rows
        option_list = self.query_one("#bookmarks-list", OptionList)
        highlighted = option_list.highlighted
        option_list.set_options(Option(row_prompt(row), id=str(row.bookmark.id)) for row in rows)
        if rows:
            option_list.highlighted = min(highlighted or 0, len(rows) - 1)
        self._set_status(text, rows, total)

    def _set_status(self, text: str, rows: list[Row], total: int | None) -> None:
        filters = [f for f in (self._filter("#bookmarks-tag"), self._filter("#bookmarks-source")) if f]
        where = f" in {' · '.join(safe(f) for f in filters)}" if filters else ""
        if text.strip():
            shown = safe(text)
            if not rows:
                status = f"No bookmarks match “{shown}”{where}"
            elif len(rows) >= SEARCH_LIMIT:
                status = f"Best {len(rows)} results for “{shown}”{where} — add words to narrow"
            else:
                status = f"{len(rows)} result{'s' if len(rows) != 1 else ''} for “{shown}”{where}"
        elif not rows:
            status = (
                f"No bookmarks{where}" if filters else "No bookmarks yet — press b on an article to save it"
            )
        elif total is not None and total > len(rows):
            status = f"Newest {len(rows)} of {total} bookmarks — type to search them all"
        else:
            status = f"{len(rows)} bookmark{'s' if len(rows) != 1 else ''}{where}"
        self.status = status
        self.query_one("#bookmarks-status", Static).update(Content(status))

    def _show_error(self, message: str) -> None:
        self.notify(message, title="Bookmarks", severity="error")

    # --- events ---------------------------------------------------------------------------------

    @on(Input.Changed, "#bookmarks-search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self.refresh_rows()

    @on(Input.Submitted, "#bookmarks-search")
    def _search_submitted(self) -> None:
        if self.rows:
            self.query_one("#bookmarks-list", OptionList).focus()

    @on(Select.Changed)
    def _filter_changed(self) -> None:
        self.refresh_rows()

    @on(OptionList.OptionSelected, "#bookmarks-list")
    def _opened(self, event: OptionList.OptionSelected) -> None:
        self.open_row(event.option_index)

    def open_row(self, index: int) -> None:
        if not 0 <= index < len(self.rows):
            return
        bookmark = self.rows[index].bookmark
        article = bookmark.to_article() if bookmark.has_body else _link_only_article(bookmark)
        # Posted to the app: this screen is about to be dismissed and its queue closed.
        self.app.post_message(self.BookmarkOpened(article))
        self.dismiss()

    # --- actions --------------------------------------------------------------------------------

    def _current(self) -> Bookmark | None:
        index = self.query_one("#bookmarks-list", OptionList).highlighted
        if index is None or not 0 <= index < len(self.rows):
            return None
        return self.rows[index].bookmark

    def action_close(self) -> None:
        self.dismiss()

    def action_focus_list(self) -> None:
        """Down from the search box moves into the results (the list handles its own Down)."""
        if self.rows:
            self.query_one("#bookmarks-list", OptionList).focus()

    def action_focus_search(self) -> None:
        self.query_one("#bookmarks-search", Input).focus()

    def action_edit(self) -> None:
        bookmark = self._current()
        if bookmark is None:
            return

        def edited(result: tuple[tuple[str, ...], str] | None) -> None:
            if result is not None:
                self._save_edit(bookmark, *result)

        self.app.push_screen(EditBookmarkScreen(bookmark), edited)

    @work(group="bookmark-edit", exit_on_error=False, description="save tags and note")
    async def _save_edit(self, bookmark: Bookmark, tags: tuple[str, ...], note: str) -> None:
        try:
            await asyncio.to_thread(self.store.set_tags, bookmark.id, tags)
            await asyncio.to_thread(self.store.set_note, bookmark.id, note)
        except TermreaderError as error:
            self._show_error(str(error))
            return
        self._load_filters()
        self.refresh_rows()

    def action_delete(self) -> None:
        bookmark = self._current()
        if bookmark is not None:
            self._delete(bookmark)

    @work(group="bookmark-edit", exit_on_error=False, description="delete a bookmark")
    async def _delete(self, bookmark: Bookmark) -> None:
        try:
            removed = await asyncio.to_thread(self.store.remove, bookmark.id)
        except TermreaderError as error:
            self._show_error(str(error))
            return
        if removed is None:
            return
        self.undo_stack.append(removed)
        self.notify(f"Deleted “{safe(removed.title)}” — press u to undo", timeout=6)
        self._load_filters()
        self.refresh_rows()

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify("Nothing to undo", timeout=2)
            return
        self._undo(self.undo_stack.pop())

    @work(group="bookmark-edit", exit_on_error=False, description="restore a bookmark")
    async def _undo(self, bookmark: Bookmark) -> None:
        try:
            restored = await asyncio.to_thread(self.store.restore, bookmark)
        except TermreaderError as error:
            self.undo_stack.append(bookmark)
            self._show_error(str(error))
            return
        self.notify(f"Restored “{safe(restored.title)}”", timeout=3)
        self._load_filters()
        self.refresh_rows()
