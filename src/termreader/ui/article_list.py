"""A virtualised list of article references with read and saved markers and a filter-as-you-type."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets.option_list import Option

from termreader.models import ArticleRef
from termreader.textutil import fold, normalize_url
from termreader.ui.labels import ARTICLE_ROW_LINES, article_prompt
from termreader.ui.vim_list import VimOptionList


@dataclass(frozen=True, slots=True)
class Row:
    """One shown row: the reference and its position in the unfiltered list (Popular shows the rank)."""

    ref: ArticleRef
    index: int


class LazyRow(Visual):
    """A row of fixed height whose Content is built when first drawn.

    OptionList measures every option up front; measuring 5,000 Content rows (wrap, truncate, grapheme
    splitting) took about 3 s here, while a fixed height costs nothing and only visible rows get built.
    """

    __slots__ = ("_build", "_content", "lines")

    def __init__(self, build: Callable[[], Content], lines: int) -> None:
        self._build = build
        self._content: Content | None = None
        self.lines = lines

    @property
    def content(self) -> Content:
        if self._content is None:
            self._content = self._build()
        return self._content

    def __str__(self) -> str:
        return self.content.plain

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        return self.content.render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return container_width

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.lines


class ArticleList(VimOptionList):
    """Rows for a source's Latest or Popular list; rebuilding keeps the highlighted article."""

    def __init__(self, *, ranked: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ranked = ranked
        self.refs: list[ArticleRef] = []
        self.rows: list[Row] = []
        self.read: set[str] = set()
        self.saved: set[str] = set()
        self.filter_text = ""

    def show(self, refs: list[ArticleRef], read: set[str], saved: set[str]) -> None:
        """Replace the rows; `read` and `saved` hold normalized URLs."""
        current = self.highlighted_ref
        self.refs = list(refs)
        self.read = set(read)
        self.saved = set(saved)
        self._rebuild(keep=current)

    def set_filter(self, text: str) -> None:
        self.filter_text = text
        self._rebuild(keep=self.highlighted_ref)

    def _matches(self, ref: ArticleRef, needle: str) -> bool:
        haystack = " ".join(part for part in (ref.title, ref.author, ref.snippet) if part)
        return needle in fold(haystack)

    def _rebuild(self, keep: ArticleRef | None) -> None:
        needle = fold(self.filter_text.strip())
        self.rows = [
            Row(ref, index) for index, ref in enumerate(self.refs) if not needle or self._matches(ref, needle)
        ]
        self.set_options(self._option(row) for row in self.rows)
        if not self.rows:
            return
        position = 0
        if keep is not None:
            position = next((i for i, row in enumerate(self.rows) if row.ref.url == keep.url), 0)
        self.highlighted = position

    def _option(self, row: Row) -> Option:
        key = normalize_url(row.ref.url)
        read, saved = key in self.read, key in self.saved
        rank = row.index + 1 if self.ranked else None
        return Option(
            LazyRow(lambda: article_prompt(row.ref, read=read, saved=saved, rank=rank), ARTICLE_ROW_LINES)
        )

    @property
    def highlighted_ref(self) -> ArticleRef | None:
        if self.highlighted is None or not 0 <= self.highlighted < len(self.rows):
            return None
        return self.rows[self.highlighted].ref

    def ref_at(self, index: int) -> ArticleRef | None:
        return self.rows[index].ref if 0 <= index < len(self.rows) else None

    def select_url(self, url: str) -> bool:
        key = normalize_url(url)
        for position, row in enumerate(self.rows):
            if normalize_url(row.ref.url) == key:
                self.highlighted = position
                return True
        return False

    def set_marks(self, *, read: set[str] | None = None, saved: set[str] | None = None) -> None:
        """Redraw only the rows whose read or saved marker changed."""
        old_read, old_saved = self.read, self.saved
        if read is not None:
            self.read = set(read)
        if saved is not None:
            self.saved = set(saved)
        changed = (old_read ^ self.read) | (old_saved ^ self.saved)
        if not changed:
            return
        for position, row in enumerate(self.rows):
            if normalize_url(row.ref.url) in changed:
                self.replace_option_prompt_at_index(position, self._option(row).prompt)
