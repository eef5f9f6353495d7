"""The three panes (sources, articles, reader) and moving between them, wide or one at a time when narrow."""

from __future__ import annotations

from typing import Final

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.events import DescendantFocus
from textual.widgets import Input, Static, TabbedContent, TabPane, Tabs

from termreader.ui.article_list import ArticleList
from termreader.ui.reader_view import ReaderView
from termreader.ui.sources_pane import SourcesList

NARROW_WIDTH: Final = 100
"""Below this many columns one pane is shown at a time."""
PANES: Final = ("sources", "articles", "reader")


class PaneLayout(Horizontal):
    """Owns which pane is current; in narrow mode that is also the only pane shown (CSS classes)."""

    def __init__(self, *, reader_width: int, id: str | None = None) -> None:
        super().__init__(id=id, classes="-pane-sources")
        self.reader_width = reader_width
        self.pane = "sources"
        self.narrow = False

    def compose(self) -> ComposeResult:
        with Vertical(id="sources-pane", classes="pane"):
            yield SourcesList(id="sources")
        with Vertical(id="articles-pane", classes="pane"):
            yield Input(placeholder="filter…", id="filter")
            with TabbedContent(id="tabs", initial="latest"):
                with TabPane("Latest", id="latest"):
                    yield ArticleList(id="latest-list")
                with TabPane("Popular", id="popular"):
                    yield Static("", id="popular-note")
                    yield ArticleList(ranked=True, id="popular-list")
        with Vertical(id="reader-pane", classes="pane"):
            yield Input(placeholder="find in the article…", id="find")
            yield ReaderView(reader_width=self.reader_width, id="reader")

    def on_mount(self) -> None:
        self.query_one("#sources-pane").border_title = "Sources"
        self.query_one("#articles-pane").border_title = "Articles"
        self.query_one("#reader-pane").border_title = "Reader"
        self.query_one("#filter").display = False
        self.query_one("#find").display = False
        # The tab strip would be a fourth stop for Tab; `l`/`p` and the mouse switch tabs instead.
        self.query_one("#tabs", TabbedContent).query_one(Tabs).can_focus = False

    @property
    def sources_list(self) -> SourcesList:
        return self.query_one("#sources", SourcesList)

    @property
    def reader(self) -> ReaderView:
        return self.query_one("#reader", ReaderView)

    @property
    def active_tab(self) -> str:
        return self.query_one("#tabs", TabbedContent).active or "latest"

    @property
    def active_list(self) -> ArticleList:
        return self.query_one(f"#{self.active_tab}-list", ArticleList)

    def set_narrow(self, narrow: bool) -> None:
        """Switch between three panes and one; the reader keeps its place across the re-wrap."""
        if narrow == self.narrow and self.has_class("-narrow") == narrow:
            return
        position = self.reader.reading_position
        self.narrow = narrow
        if narrow:
            self._apply_pane_classes()
        self.set_class(narrow, "-narrow")
        self.call_after_refresh(setattr, self.reader, "reading_position", position)

    def _mark(self, pane: str) -> None:
        self.pane = pane
        if self.narrow:  # the classes only matter to the narrow layout; each change restyles every pane
            self._apply_pane_classes()

    def _apply_pane_classes(self) -> None:
        for name in PANES:
            self.set_class(name == self.pane, f"-pane-{name}", update=False)
        self.update_node_styles()

    def go_to(self, pane: str) -> None:
        """Make `pane` current and focus it (in narrow mode: show only it)."""
        self._mark(pane)
        if pane == "sources":
            self.sources_list.focus()
        elif pane == "articles":
            self.active_list.focus()
        else:
            self.reader.focus()

    def step(self, direction: int) -> None:
        self.go_to(PANES[(PANES.index(self.pane) + direction) % len(PANES)])

    def back(self) -> None:
        """Esc/Backspace: close the find or filter box, else go one pane to the left."""
        find_input = self.query_one("#find", Input)
        if find_input.display:
            find_input.display = False
            self.reader.focus()
        elif self.query_one("#filter", Input).display:
            self.close_filter()
        elif self.pane == "reader":
            self.go_to("articles")
        elif self.pane == "articles":
            self.go_to("sources")

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        """A click or Tab moved focus: the pane holding it becomes the current one."""
        for node in event.widget.ancestors_with_self:
            if node.id in ("sources-pane", "articles-pane", "reader-pane") and node.id:
                pane = node.id.removesuffix("-pane")
                if pane != self.pane:
                    self._mark(pane)
                return

    def show_tab(self, tab: str) -> None:
        self.query_one("#tabs", TabbedContent).active = tab
        if self.pane != "reader":
            self.go_to("articles")

    # --- filter (articles) and find (reader) ------------------------------------------------

    def open_filter(self) -> None:
        if self.pane == "reader":
            return
        self.go_to("articles")
        filter_input = self.query_one("#filter", Input)
        filter_input.display = True
        filter_input.focus()

    def close_filter(self) -> None:
        filter_input = self.query_one("#filter", Input)
        filter_input.value = ""
        filter_input.display = False
        for widget in self.query(ArticleList):
            widget.set_filter("")
        self.go_to("articles")

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        for widget in self.query(ArticleList):
            widget.set_filter(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.active_list.focus()

    @on(TabbedContent.TabActivated, "#tabs")
    def _tab_activated(self) -> None:
        if self.pane == "articles":
            self.active_list.focus()

    @on(ReaderView.FindRequested)
    def _find_requested(self) -> None:
        find_input = self.query_one("#find", Input)
        find_input.display = True
        find_input.focus()

    @on(Input.Changed, "#find")
    def _find_changed(self, event: Input.Changed) -> None:
        count = self.reader.find(event.value) if event.value else 0
        self.query_one("#reader-pane").border_subtitle = f"{count} matches" if event.value else ""

    @on(Input.Submitted, "#find")
    def _find_submitted(self) -> None:
        self.query_one("#find", Input).display = False
        self.reader.focus()
