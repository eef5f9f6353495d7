"""The reading app: sources, Latest/Popular lists and the reader, wired to the Services facade."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, Final

from textual import on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.events import Resize
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.worker import Worker

from termreader.errors import TermreaderError
from termreader.models import Article, ArticleRef, SourceConfig
from termreader.services import Services, SourceSnapshot, error_word
from termreader.textutil import normalize_url
from termreader.ui.article_list import ArticleList
from termreader.ui.browser import open_in_browser
from termreader.ui.commands import TermreaderCommands
from termreader.ui.dialogs import AddSourceScreen, OpenUrlScreen
from termreader.ui.heading_picker import HeadingPicker
from termreader.ui.help_screen import HelpScreen
from termreader.ui.history import History, HistoryEntry
from termreader.ui.labels import age_label
from termreader.ui.layout import NARROW_WIDTH, PaneLayout
from termreader.ui.reader_view import ReaderView
from termreader.ui.sources_pane import SourcesList
from termreader.ui.themes import DEFAULT_THEME, load_all_themes

if TYPE_CHECKING:
    from termreader.ui.bookmarks_screen import BookmarksScreen

REFRESH_CONCURRENCY: Final = 6
"""Sources refreshed at once by `R`; the fetcher also caps connections per host."""


class TermreaderApp(App[None]):
    """Three panes; everything slow runs in workers and reports back by updating the panes."""

    CSS_PATH = "app.tcss"
    TITLE = "termreader"
    COMMANDS = App.COMMANDS | {TermreaderCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Keys"),
        Binding("tab", "next_pane", "Next pane", show=False),
        Binding("shift+tab", "previous_pane", "Previous pane", show=False),
        Binding("escape,backspace", "go_back", "Back"),
        Binding("slash", "filter", "Filter"),
        Binding("r", "refresh", "Refresh"),
        Binding("R", "refresh_all", "Refresh all", show=False),
        Binding("o", "open_browser", "Browser"),
        Binding("y", "copy_url", "Copy URL"),
        Binding("m", "toggle_read", "Read/unread"),
        Binding("A", "mark_all_read", "All read", show=False),
        Binding("b", "bookmark", "Bookmark"),
        Binding("B", "bookmarks", "Bookmarks", show=False),
        Binding("t", "headings", "Headings"),
        Binding("left_square_bracket,alt+left", "history_back", "History back", show=False),
        Binding("right_square_bracket,alt+right", "history_forward", "History forward", show=False),
        Binding("l", "tab('latest')", "Latest", show=False),
        Binding("p", "tab('popular')", "Popular", show=False),
    ]

    def __init__(self, services: Services, *, refresh_on_start: bool = True) -> None:
        super().__init__()
        self.services = services
        self.refresh_on_start = refresh_on_start
        self.snapshots: dict[str, SourceSnapshot] = {}
        self.read: dict[str, set[str]] = {}
        self.saved: set[str] = set()
        self.current_source: str | None = None
        self.article: Article | None = None
        self.article_url: str | None = None
        self.article_source: str | None = None
        self.history = History()
        self.refresh_progress: tuple[int, int] | None = None
        self._theme_ready = False
        loaded = load_all_themes(services.paths.user_themes_dir)
        for theme in loaded.themes:
            self.register_theme(theme)
        self.theme_errors = list(loaded.errors)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notifications carry web text and error messages: never parse them as markup."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    # --- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield PaneLayout(reader_width=self.services.config.settings.reader_width, id="main")
        yield Footer()

    @property
    def layout_panes(self) -> PaneLayout:
        return self.query_one("#main", PaneLayout)

    @property
    def pane(self) -> str:
        return self.layout_panes.pane

    @property
    def narrow(self) -> bool:
        return self.layout_panes.narrow

    @property
    def sources_list(self) -> SourcesList:
        return self.layout_panes.sources_list

    @property
    def reader(self) -> ReaderView:
        return self.layout_panes.reader

    @property
    def active_tab(self) -> str:
        return self.layout_panes.active_tab

    @property
    def active_list(self) -> ArticleList:
        return self.layout_panes.active_list

    def on_mount(self) -> None:
        wanted = self.services.config.settings.theme
        self.theme = wanted if wanted in self.available_themes else DEFAULT_THEME
        self.sources_list.set_sources([source.name for source in self.services.sources])
        if self.services.sources:
            self.reader.show_message("Choose an article: Enter opens it, ? lists every key.")
        else:
            self.reader.show_message(
                "No sources yet. Press Ctrl+P and choose 'Add source…' (or add them to "
                f"{self.services.config.path}), or try termreader --demo."
            )
        self.layout_panes.set_narrow(self.size.width < NARROW_WIDTH)
        self.sources_list.focus()
        self.call_after_refresh(self._startup_notices)
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self._theme_ready = True
        self.run_worker(self._load_cached(), group="startup", exit_on_error=False, description="cached lists")

    def _startup_notices(self) -> None:
        """Problems found while starting, told once the screen (and its toast rack) exists."""
        if self.theme_errors:
            self.notify("\n".join(self.theme_errors), title="Some themes were not loaded", severity="warning")
        if self.services.bookmarks_error:
            self.notify(self.services.bookmarks_error, title="Bookmarks unavailable", severity="warning")
        if self.services.cache.notice:
            self.notify(self.services.cache.notice, title="Cache rebuilt", severity="warning")

    def get_system_commands(self, screen: Screen[Any]) -> Any:
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "Add source…", "Detect a feed and popular posts, then add it", self.action_add_source
        )

    # --- loading lists ----------------------------------------------------------------------

    async def _load_cached(self) -> None:
        """Paint every source from the cache at once, then refresh what is due in the background."""
        now = self.services.clock()
        due: list[SourceConfig] = []
        for source in self.services.sources:
            snapshot = await self.services.cached_lists(source)
            self.snapshots[source.name] = snapshot
            self.read[source.name] = await self.services.read_urls(source.name)
            if snapshot.fetched_at is None:
                self.sources_list.update_status(source.name, state="new")
                due.append(source)
            else:
                age = now - snapshot.fetched_at
                minutes = source.refresh_minutes or self.services.config.settings.refresh_minutes
                self.sources_list.update_status(source.name, state="stale", detail=age_label(age))
                if age.total_seconds() >= minutes * 60:
                    due.append(source)
            self._update_counts(source.name)
        await self._load_saved()
        self._show_source(self.sources_list.highlighted_name)
        if self.refresh_on_start:
            for source in due:
                self.refresh_source(source)

    async def _load_saved(self) -> None:
        store = self.services.bookmarks
        if store is None:
            return
        urls = [ref.url for snap in self.snapshots.values() for ref in self._all_refs(snap)]
        saved: set[str] = await asyncio.to_thread(store.saved_urls, urls)
        self.saved = {normalize_url(url) for url in saved}

    @staticmethod
    def _all_refs(snapshot: SourceSnapshot) -> list[ArticleRef]:
        refs = list(snapshot.latest)
        if snapshot.popular is not None:
            refs += list(snapshot.popular.items)
        return refs

    def _update_counts(self, name: str) -> None:
        snapshot = self.snapshots.get(name, SourceSnapshot())
        keys = {normalize_url(ref.url) for ref in snapshot.latest}
        unread = len(keys - self.read.get(name, set()))
        self.sources_list.update_status(name, total=len(keys), unread=unread)

    def _show_source(self, name: str | None) -> None:
        """Fill both tabs from the in-memory snapshot of `name`."""
        self.current_source = name
        snapshot = self.snapshots.get(name or "", SourceSnapshot())
        read = self.read.get(name or "", set())
        self.query_one("#latest-list", ArticleList).show(list(snapshot.latest), read, self.saved)
        popular = snapshot.popular
        note = self.query_one("#popular-note", Static)
        if snapshot.popular_error and popular is None:
            note.update(f"Popular posts could not be fetched ({snapshot.popular_error}).")
        elif popular is None:
            note.update("Popular posts have not been fetched yet." if name else "")
        elif not popular.found:
            note.update("This site publishes no popular posts.")
        else:
            note.update(popular.heading or "")
        note.display = bool(name) and (popular is None or not popular.found or bool(popular.heading))
        items = list(popular.items) if popular is not None else []
        self.query_one("#popular-list", ArticleList).show(items, read, self.saved)
        self.query_one("#articles-pane").border_title = f"Articles · {name}" if name else "Articles"

    @on(OptionList.OptionHighlighted, "#sources")
    def _source_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id != self.current_source:
            self._show_source(event.option.id)

    @on(OptionList.OptionSelected, "#sources")
    def _source_selected(self) -> None:
        self._go_to("articles")

    # --- refreshing -------------------------------------------------------------------------

    def refresh_source(self, source: SourceConfig) -> Worker[None]:
        async def refresh() -> None:
            await self._refresh(source)

        return self.run_worker(
            refresh(),
            group=f"refresh:{source.name}",
            exclusive=True,
            exit_on_error=False,
            description=f"refresh {source.name}",
        )

    async def _refresh(self, source: SourceConfig, *, quiet: bool = False) -> bool:
        name = source.name
        self.sources_list.update_status(name, state="loading")
        try:
            snapshot = await self.services.refresh_source(source)
        except TermreaderError as error:  # anything the adapters did not already turn into `error`
            snapshot = await self.services.cached_lists(source)
            snapshot = SourceSnapshot(
                latest=snapshot.latest,
                popular=snapshot.popular,
                fetched_at=snapshot.fetched_at,
                error=error_word(error),
                message=str(error),
            )
        self.snapshots[name] = snapshot
        if snapshot.error:
            self.sources_list.update_status(name, state="error", detail=snapshot.error)
            if not quiet:
                self.notify(
                    f"{snapshot.message}\nShowing the cached list; press r to try again.",
                    title=f"Could not refresh {name}",
                    severity="warning",
                )
        else:
            self.sources_list.update_status(name, state="fresh", detail="")
        self._update_counts(name)
        if name == self.current_source:
            self._show_source(name)
        return snapshot.error is None

    def action_refresh(self) -> None:
        name = self.current_source
        source = self.services.source_named(name) if name else None
        if source is not None:
            self.refresh_source(source)

    def action_refresh_all(self) -> None:
        self.run_worker(
            self._refresh_all(),
            group="refresh-all",
            exclusive=True,
            exit_on_error=False,
            description="refresh all",
        )

    async def _refresh_all(self) -> None:
        sources = self.services.sources
        total = len(sources)
        done = 0
        failed: list[str] = []
        pane = self.query_one("#sources-pane")
        gate = asyncio.Semaphore(REFRESH_CONCURRENCY)

        async def one(source: SourceConfig) -> None:
            nonlocal done
            async with gate:
                ok = await self._refresh(source, quiet=True)
            done += 1
            if not ok:
                failed.append(source.name)
            self.refresh_progress = (done, total)
            pane.border_subtitle = f"refreshing {done} of {total}"

        self.refresh_progress = (0, total)
        pane.border_subtitle = f"refreshing 0 of {total}"
        await asyncio.gather(*(one(source) for source in sources))
        pane.border_subtitle = ""
        if failed:
            self.notify(
                f"{len(failed)} of {total} failed: {', '.join(failed)}", title="Refresh", severity="warning"
            )
        else:
            self.notify(f"Refreshed {total} sources", title="Refresh")

    # --- articles ---------------------------------------------------------------------------

    @on(OptionList.OptionSelected, "ArticleList")
    def _article_selected(self, event: OptionList.OptionSelected) -> None:
        assert isinstance(event.option_list, ArticleList)
        ref = event.option_list.ref_at(event.option_index)
        if ref is not None:
            self.open_article(ref.url, source=self.current_source)

    def open_article(
        self, url: str, *, source: str | None = None, position: float = 0.0, remember: bool = True
    ) -> Worker[None]:
        """Load `url` into the reader; a newer call cancels this one (exclusive worker group)."""
        if remember:
            self.history.visit(self._here())
        self._go_to("reader")
        return self.run_worker(
            self._load_article(url, source, position),
            group="article",
            exclusive=True,
            exit_on_error=False,
            description=f"open {url}",
        )

    async def _load_article(self, url: str, source: str | None, position: float) -> None:
        self.article_url = url
        self.article_source = source
        self.article = None
        self.reader.show_message(f"Loading {url} …")
        try:
            article = await self.services.article(url)
        except TermreaderError as error:
            self.reader.show_message(
                f"Could not open this page: {error}\n\nPress o to open it in the browser."
            )
            self.notify(str(error), title="Could not open the article", severity="error")
            return
        self.article = article
        self.reader.show_article(article, position=position)
        if source is not None:
            await self._set_read(source, [url], True)

    def show_article(self, article: Article, *, source: str | None = None) -> None:
        """Show an already extracted article (from bookmarks) without fetching."""
        self.history.visit(self._here())
        self.workers.cancel_group(self, "article")
        self.article = article
        self.article_url = article.url
        self.article_source = source
        self.reader.show_article(article)
        self._go_to("reader")

    @on(ReaderView.LinkActivated)
    def _link_activated(self, event: ReaderView.LinkActivated) -> None:
        source = self.current_source if self._in_current_lists(event.url) else None
        self.open_article(event.url, source=source)

    def _in_current_lists(self, url: str) -> bool:
        snapshot = self.snapshots.get(self.current_source or "")
        key = normalize_url(url)
        return snapshot is not None and any(normalize_url(ref.url) == key for ref in self._all_refs(snapshot))

    def _here(self) -> HistoryEntry | None:
        """The page in the reader now, with the place reached in it."""
        if self.article_url is None:
            return None
        return HistoryEntry(self.article_url, self.article_source, self.reader.reading_position)

    def action_history_back(self) -> None:
        here = self._here()
        entry = self.history.back(here) if here is not None else None
        if entry is not None:
            self.open_article(entry.url, source=entry.source, position=entry.position, remember=False)

    def action_history_forward(self) -> None:
        here = self._here()
        entry = self.history.forward(here) if here is not None else None
        if entry is not None:
            self.open_article(entry.url, source=entry.source, position=entry.position, remember=False)

    def action_headings(self) -> None:
        if self.article is None:
            return
        headings = self.reader.headings()
        if not headings:
            self.notify("This article has no headings.")
            return

        def jump(line: int | None) -> None:
            if line is not None:
                self.reader.jump_to_line(line)
                self.reader.focus()

        self.push_screen(HeadingPicker(headings), jump)

    # --- read state -------------------------------------------------------------------------

    async def _set_read(self, source: str, urls: list[str], read: bool) -> None:
        keys = {normalize_url(url) for url in urls}
        marks = set(self.read.get(source, set()))
        if read:
            await self.services.mark_read(source, urls)
            marks |= keys
        else:
            await self.services.mark_unread(source, urls)
            marks -= keys
        self.read[source] = marks
        self._update_counts(source)
        if source == self.current_source:
            for widget in self.query(ArticleList):
                widget.set_marks(read=marks)

    def _target(self) -> tuple[str, str | None] | None:
        """What o, y, m and b act on: the article in the reader, else the highlighted row (URL, source)."""
        if self.pane == "reader" and self.article_url is not None:
            return self.article_url, self.article_source
        ref = self.active_list.highlighted_ref
        if ref is not None:
            return ref.url, self.current_source
        if self.article_url is not None:
            return self.article_url, self.article_source
        return None

    async def action_toggle_read(self) -> None:
        target = self._target()
        if target is None:
            return
        url, source = target
        if source is None:
            return
        is_read = normalize_url(url) in self.read.get(source, set())
        await self._set_read(source, [url], not is_read)
        self.notify("Marked unread" if is_read else "Marked read", timeout=2)

    async def action_mark_all_read(self) -> None:
        name = self.current_source
        snapshot = self.snapshots.get(name or "")
        if name is None or snapshot is None:
            return
        await self._set_read(name, [ref.url for ref in self._all_refs(snapshot)], True)
        self.notify(f"All of {name} marked read", timeout=2)

    # --- browser, clipboard, bookmarks --------------------------------------------------------

    def action_open_browser(self) -> None:
        target = self._target()
        if target is not None:
            self.run_worker(self._open_browser(target[0]), group="browser", exit_on_error=False)

    async def _open_browser(self, url: str) -> None:
        problem = await asyncio.to_thread(open_in_browser, url)
        if problem is not None:
            self.notify(problem, title="Could not open the browser", severity="error")
        else:
            self.notify(f"Opened {url} in the browser", timeout=3)

    def action_copy_url(self) -> None:
        target = self._target()
        if target is None:
            return
        self.copy_to_clipboard(target[0])
        self.notify(f"Copied {target[0]}", timeout=3)

    def action_bookmark(self) -> None:
        if self.services.bookmarks is None:
            self.notify(self.services.bookmarks_error or "Bookmarks are unavailable.", severity="warning")
            return
        target = self._target()
        if target is not None:
            self.run_worker(self._toggle_bookmark(*target), group="bookmark", exit_on_error=False)

    async def _toggle_bookmark(self, url: str, source: str | None) -> None:
        store = self.services.bookmarks
        if store is None:
            return
        key = normalize_url(url)
        if await asyncio.to_thread(store.is_saved, url):
            await asyncio.to_thread(store.remove, url)
            self.saved.discard(key)
            self.notify("Bookmark removed", timeout=2)
        else:
            try:
                if self.article is not None and self.article_url == url:
                    article = self.article
                else:
                    article = await self.services.article(url)
            except TermreaderError as error:
                self.notify(str(error), title="Could not save the bookmark", severity="error")
                return
            try:
                await asyncio.to_thread(partial(store.save_article, article, source=source))
            except TermreaderError as error:
                self.notify(str(error), title="Could not save the bookmark", severity="error")
                return
            self.saved.add(key)
            self.notify("Saved to bookmarks", timeout=2)
        for widget in self.query(ArticleList):
            widget.set_marks(saved=set(self.saved))

    def action_bookmarks(self) -> None:
        if self.services.bookmarks is None:
            self.notify(self.services.bookmarks_error or "Bookmarks are unavailable.", severity="warning")
            return
        from termreader.ui.bookmarks_screen import BookmarksScreen

        def closed(_: None) -> None:
            # Bookmarks may have been deleted there: redraw the saved markers.
            self.run_worker(self._reload_saved(), group="bookmark", exit_on_error=False)

        self.push_screen(BookmarksScreen(self.services.bookmarks), closed)

    async def _reload_saved(self) -> None:
        await self._load_saved()
        for widget in self.query(ArticleList):
            widget.set_marks(saved=self.saved)

    def on_bookmarks_screen_bookmark_opened(self, message: BookmarksScreen.BookmarkOpened) -> None:
        self.show_article(message.article)

    # --- panes and navigation ---------------------------------------------------------------

    def on_resize(self, event: Resize) -> None:
        self.layout_panes.set_narrow(event.size.width < NARROW_WIDTH)

    def _go_to(self, pane: str) -> None:
        self.layout_panes.go_to(pane)

    def action_next_pane(self) -> None:
        self.layout_panes.step(1)

    def action_previous_pane(self) -> None:
        self.layout_panes.step(-1)

    def action_go_back(self) -> None:
        self.layout_panes.back()

    def action_tab(self, tab: str) -> None:
        self.layout_panes.show_tab(tab)

    def action_filter(self) -> None:
        self.layout_panes.open_filter()

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    # --- palette actions --------------------------------------------------------------------

    def action_add_source(self) -> None:
        def added(result: Any) -> None:
            if result is None:
                return
            name = result.source.name
            self.sources_list.set_sources([source.name for source in self.services.sources])
            self.run_worker(self._adopt_source(name), group="startup", exit_on_error=False)

        self.push_screen(AddSourceScreen(self.services), added)

    async def _adopt_source(self, name: str) -> None:
        source = self.services.source_named(name)
        if source is None:
            return
        self.snapshots[name] = await self.services.cached_lists(source)
        self.read[name] = await self.services.read_urls(name)
        self.sources_list.update_status(name, state="fresh")
        self._update_counts(name)
        self.sources_list.select_name(name)
        self._show_source(name)

    def remove_source(self, name: str) -> None:
        async def remove() -> None:
            try:
                await self.services.remove_source(name)
            except TermreaderError as error:
                self.notify(str(error), title="Could not remove the source", severity="error")
                return
            self.snapshots.pop(name, None)
            self.sources_list.set_sources([source.name for source in self.services.sources])
            self._show_source(self.sources_list.highlighted_name)
            self.notify(f"Removed {name}", timeout=3)

        self.run_worker(remove(), group="sources", exit_on_error=False)

    def action_open_url(self) -> None:
        def chosen(url: str | None) -> None:
            if url:
                self.open_article(url, source=None)

        self.push_screen(OpenUrlScreen(), chosen)

    def set_theme(self, name: str) -> None:
        if name in self.available_themes:
            self.theme = name

    def _theme_changed(self, theme: Any) -> None:
        if not self._theme_ready:
            return

        async def save() -> None:
            try:
                await self.services.save_theme(theme.name)
            except TermreaderError as error:
                self.notify(str(error), title="Theme not saved", severity="warning")

        self.run_worker(save(), group="theme", exclusive=True, exit_on_error=False)

    async def action_quit(self) -> None:
        self.workers.cancel_all()
        await self.services.aclose()
        self.exit()
