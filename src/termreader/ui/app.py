"""The reading app: sources, Latest/Popular lists and the reader, wired to the Services facade."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.events import Resize
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.worker import Worker

from termreader.errors import TermreaderError
from termreader.models import Article, SourceConfig
from termreader.services import Services, SourceSnapshot
from termreader.textutil import normalize_url
from termreader.ui.article_list import ArticleList
from termreader.ui.bookmark_actions import BookmarkActionsMixin
from termreader.ui.collector import settle_heap
from termreader.ui.commands import TermreaderCommands
from termreader.ui.dialogs import AddSourceScreen, OpenUrlScreen
from termreader.ui.heading_picker import HeadingPicker
from termreader.ui.help_screen import HelpScreen
from termreader.ui.history import History, HistoryEntry
from termreader.ui.labels import age_label
from termreader.ui.layout import NARROW_WIDTH, PaneLayout
from termreader.ui.markdown_lines import Document
from termreader.ui.read_marks import ReadMarksMixin
from termreader.ui.reader_view import ReaderView
from termreader.ui.refreshing import RefreshMixin
from termreader.ui.sources_pane import SourcesList
from termreader.ui.themes import DEFAULT_THEME, load_all_themes

if TYPE_CHECKING:
    pass


class TermreaderApp(RefreshMixin, BookmarkActionsMixin, ReadMarksMixin):
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
        self._popular_due: set[str] = set()
        self._theme_ready = False
        loaded = load_all_themes(services.paths.user_themes_dir)
        for theme in loaded.themes:
            self.register_theme(theme)
        self.theme_errors = list(loaded.errors)
        # Chosen before the first compose: switching in on_mount restyled every widget a second time.
        wanted = services.config.settings.theme
        self.theme = wanted if wanted in self.available_themes else DEFAULT_THEME

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
        first = self._paint_first_source()
        self.run_worker(
            self._load_cached(first), group="startup", exit_on_error=False, description="cached lists"
        )

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

    def _paint_first_source(self) -> str | None:
        """Read the highlighted source's lists now, so the first frame already shows them.

        One SQLite row (a list is capped by the item limit) takes about a millisecond; waiting for a worker
        instead costs a whole extra frame before anything useful is on screen.
        """
        first = self.services.source_named(self.sources_list.highlighted_name or "")
        if first is None:
            return None
        snapshot = self.services.cached_snapshot_now(first)
        self._adopt_cached({first.name: snapshot}, self.services.readstate.read_urls(first.name))
        self._show_source(first.name)
        return first.name

    async def _load_cached(self, first: str | None) -> None:
        """Load every other source from the cache in one thread hop, then refresh what is due.

        Each source is one SQLite read and JSON decode: done per source with a thread hop and a row redraw
        each, 200 sources cost a second of repaints; one hop and one redraw of the sources pane cost ~50 ms.
        """
        try:
            sources = self.services.sources
            rest = [source for source in sources if source.name != first]
            if rest:
                self._adopt_cached(await self.services.cached_snapshots(rest), await self.services.read_all())
            await self._load_saved()
            self._show_source(self.sources_list.highlighted_name)
            due = [source for source in sources if self._is_due(source)]
            if self.refresh_on_start and due:
                self.refresh_many(due, announce=False)
            # markdown-it is imported on the first parse; do that now, off the loop, so Enter never waits.
            await asyncio.to_thread(Document("*warm*").parse_all)
        finally:
            # Half a second later, off the first paint's path: the one full collection of start-up garbage.
            self.set_timer(0.5, settle_heap)

    def _adopt_cached(self, loaded: dict[str, SourceSnapshot], read: dict[str, set[str]] | set[str]) -> None:
        """Record cached snapshots and read marks, and show their state and counts in one redraw."""
        now = self.services.clock()
        changes: dict[str, dict[str, object]] = {}
        for name, snapshot in loaded.items():
            self.snapshots[name] = snapshot
            self.read[name] = read if isinstance(read, set) else read.get(name, set())
            if snapshot.fetched_at is None:
                changes[name] = {"state": "new", "detail": ""}
            else:
                changes[name] = {"state": "stale", "detail": age_label(now - snapshot.fetched_at)}
            changes[name].update(self._counts(name))
        self.sources_list.update_statuses(changes)

    def _is_due(self, source: SourceConfig) -> bool:
        snapshot = self.snapshots.get(source.name)
        if snapshot is None or snapshot.fetched_at is None:
            return True
        minutes = source.refresh_minutes or self.services.config.settings.refresh_minutes
        return (self.services.clock() - snapshot.fetched_at).total_seconds() >= minutes * 60

    async def _load_saved(self) -> None:
        store = self.services.bookmarks
        if store is None:
            return
        urls = [ref.url for snap in self.snapshots.values() for ref in self._all_refs(snap)]
        saved: set[str] = await asyncio.to_thread(store.saved_urls, urls)
        self.saved = {normalize_url(url) for url in saved}

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
            self.renew_popular(event.option.id)

    @on(OptionList.OptionSelected, "#sources")
    def _source_selected(self) -> None:
        self._go_to("articles")

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
        # A cached article is one SQLite row (a few ms even at 200k words): read it here, so the frame right
        # after Enter shows it; a worker and a thread hop would cost more than the read on a busy loop.
        cached = self.services.cached_article_now(url)
        if cached is not None:
            self.article_url, self.article_source, self.article = url, source, cached
            self.reader.show_article(cached, position=position)
            work = self._mark_opened(url, source)
        else:
            work = self._load_article(url, source, position)
        return self.run_worker(
            work, group="article", exclusive=True, exit_on_error=False, description=f"open {url}"
        )

    async def _mark_opened(self, url: str, source: str | None) -> None:
        if source is not None:
            await self._set_read(source, [url], True)

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
        await self._mark_opened(url, source)

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
