"""Refreshing from the app: one source (`r`), every source (`R`, and what is due at start) with progress.

Refresh-all goes through the concurrent refresher (conditional GET, parsing off the loop, batched writes);
its progress callback feeds the "refreshing n of N" line. It renews Latest lists only: the Popular list of a
source it refreshed is renewed when that source is on screen (at once for the current one), so 200 sources
never cost 200 popular-page scrapes.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import TYPE_CHECKING

from textual.app import App
from textual.worker import Worker

from termreader.errors import TermreaderError, error_word
from termreader.models import SourceConfig
from termreader.services import Services, SourceSnapshot
from termreader.ui.collector import settle_heap

if TYPE_CHECKING:
    from termreader.ui.sources_pane import SourcesList


class RefreshMixin(App[None]):
    """The refresh actions of TermreaderApp; it provides the panes and the in-memory snapshots."""

    services: Services
    snapshots: dict[str, SourceSnapshot]
    current_source: str | None
    refresh_progress: tuple[int, int] | None
    _popular_due: set[str]
    """Sources refreshed by refresh-all whose Popular list is not renewed yet."""

    if TYPE_CHECKING:  # provided by TermreaderApp and ReadMarksMixin

        @property
        def sources_list(self) -> SourcesList: ...

        def _update_counts(self, name: str) -> None: ...

        def _counts(self, name: str) -> dict[str, object]: ...

        def _show_source(self, name: str | None) -> None: ...

    # --- one source -------------------------------------------------------------------------

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

    async def _refresh(self, source: SourceConfig) -> bool:
        name = source.name
        self.sources_list.update_status(name, state="loading")
        self._popular_due.discard(name)
        try:
            snapshot = await self.services.refresh_source(source)
        except TermreaderError as error:  # anything the adapters did not already turn into `error`
            snapshot = await self.services.cached_lists(source)
            snapshot = replace(snapshot, error=error_word(error), message=str(error))
        self._adopt(name, snapshot)
        if snapshot.error:
            self.notify(
                f"{snapshot.message}\nShowing the cached list; press r to try again.",
                title=f"Could not refresh {name}",
                severity="warning",
            )
        return snapshot.error is None

    def _adopt(self, name: str, snapshot: SourceSnapshot) -> None:
        """Show a refreshed snapshot: status, counts and, for the source on screen, its lists."""
        self.snapshots[name] = snapshot
        if snapshot.error:
            self.sources_list.update_status(name, state="error", detail=snapshot.error)
        else:
            self.sources_list.update_status(name, state="fresh", detail="")
        self._update_counts(name)
        if name == self.current_source:
            self._show_source(name)

    def action_refresh(self) -> None:
        name = self.current_source
        source = self.services.source_named(name) if name else None
        if source is not None:
            self.refresh_source(source)

    # --- every source -----------------------------------------------------------------------

    def action_refresh_all(self) -> None:
        self.refresh_many(self.services.sources, announce=True)

    def refresh_many(self, sources: list[SourceConfig], *, announce: bool) -> Worker[None]:
        """Refresh `sources` in one worker (a newer call replaces a running one)."""
        return self.run_worker(
            self._refresh_all(sources, announce=announce),
            group="refresh-all",
            exclusive=True,
            exit_on_error=False,
            description="refresh all",
        )

    async def _refresh_all(self, sources: list[SourceConfig], *, announce: bool) -> None:
        if not sources:
            return
        total = len(sources)
        pane = self.query_one("#sources-pane")

        shown = 0.0

        def progress(done: int, count: int) -> None:
            nonlocal shown
            self.refresh_progress = (done, count)
            now = time.monotonic()
            # A redraw per source (200) cost more than the refresh itself: at most 10 a second.
            if done in (0, count) or now - shown >= 0.1:
                shown = now
                pane.border_subtitle = f"refreshing {done} of {count}"

        progress(0, total)
        # One rebuild of the sources pane, not one per row: 200 row redraws stalled the loop ~150 ms.
        self.sources_list.update_statuses({source.name: {"state": "loading"} for source in sources})
        reasons: dict[str, str]
        words: dict[str, str]
        ran = False
        try:
            report = await self.services.refresh_many(sources, on_progress=progress)
            reasons, words, ran = dict(report.failed), dict(report.failure_words), True
        except TermreaderError as error:  # the shared client could not even be built
            reasons = {source.name: str(error) for source in sources}
            words = {source.name: error_word(error) for source in sources}
        finally:
            pane.border_subtitle = ""
        loaded = await self.services.cached_snapshots(sources)
        changes: dict[str, dict[str, object]] = {}
        for name, cached in loaded.items():
            message = reasons.get(name)
            if message is not None:
                cached = replace(cached, error=words.get(name, "error"), message=message)
            self.snapshots[name] = cached
            changes[name] = {"state": "error" if cached.error else "fresh", "detail": cached.error or ""}
            changes[name].update(self._counts(name))
        self.sources_list.update_statuses(changes)
        if self.current_source in loaded:
            self._show_source(self.current_source)
        if announce:
            self._announce(total, reasons)
        elif reasons:  # the quiet refresh at start: only failures are worth a word
            self.notify(
                f"{', '.join(reasons)}\nShowing the cached lists; press r to try one again.",
                title=f"Could not refresh {len(reasons)} of {total} sources",
                severity="warning",
            )
        settle_heap()  # the new lists are long-lived: keep them out of full collections too
        if ran:
            self._popular_due |= {source.name for source in sources if source.name not in reasons}
            self.renew_popular(self.current_source)

    def _announce(self, total: int, reasons: dict[str, str]) -> None:
        if reasons:
            self.notify(
                f"{len(reasons)} of {total} failed: {', '.join(reasons)}", title="Refresh", severity="warning"
            )
        else:
            self.notify(f"Refreshed {total} sources", title="Refresh")

    def renew_popular(self, name: str | None) -> None:
        """Fetch the Popular list of `name` if refresh-all renewed its Latest list and not this one yet."""
        if name is None or name not in self._popular_due:
            return
        self._popular_due.discard(name)
        source = self.services.source_named(name)
        if source is None:
            return

        async def renew() -> None:
            snapshot = await self.services.refresh_popular(source)
            current = self.snapshots.get(source.name)
            if current is not None:
                snapshot = replace(current, popular=snapshot.popular, popular_error=snapshot.popular_error)
            self.snapshots[source.name] = snapshot
            if source.name == self.current_source:
                self._show_source(source.name)

        self.run_worker(renew(), group=f"popular:{source.name}", exclusive=True, exit_on_error=False)
