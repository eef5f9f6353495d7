"""Read/unread marks from the app: `m` toggles one article, `A` marks a whole source read, counts follow."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import App

from termreader.services import Services, SourceSnapshot
from termreader.textutil import normalize_url
from termreader.ui.article_list import ArticleList

if TYPE_CHECKING:
    from termreader.models import ArticleRef
    from termreader.ui.sources_pane import SourcesList


class ReadMarksMixin(App[None]):
    """The read-state handling of TermreaderApp: marks kept in memory per source, saved through Services."""

    services: Services
    snapshots: dict[str, SourceSnapshot]
    read: dict[str, set[str]]
    current_source: str | None
    article_url: str | None
    article_source: str | None

    if TYPE_CHECKING:  # provided by TermreaderApp

        @property
        def sources_list(self) -> SourcesList: ...

        @property
        def pane(self) -> str: ...

        @property
        def active_list(self) -> ArticleList: ...

    @staticmethod
    def _all_refs(snapshot: SourceSnapshot) -> list[ArticleRef]:
        refs = list(snapshot.latest)
        if snapshot.popular is not None:
            refs += list(snapshot.popular.items)
        return refs

    def _counts(self, name: str) -> dict[str, object]:
        """The total and unread counts of `name`'s Latest list, as SourceStatus fields."""
        keys = self.snapshots.get(name, SourceSnapshot()).keys()
        return {"total": len(keys), "unread": len(keys - self.read.get(name, set()))}

    def _update_counts(self, name: str) -> None:
        self.sources_list.update_status(name, **self._counts(name))

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
